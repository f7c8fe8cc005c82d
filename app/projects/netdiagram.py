"""The network diagram (Vorgangsknotennetz, DIN 69900) of a training project as SVG text.

Each activity is a box in the layout taught for IHK examinations (e.g. the Fachinformatiker
and Kaufleute exams) and in German project-management textbooks:

    +-------+----------------+-------+
    | FAZ   |                |   FEZ |
    +-------+----------------+-------+
    | Nr.   | Vorgang (name)         |
    +-------+----------------+-------+
    | Dauer |       GP       |    FP |
    +-------+----------------+-------+
    | SAZ   |                |   SEZ |
    +-------+----------------+-------+

FAZ/FEZ = earliest start/finish, SAZ/SEZ = latest start/finish, GP = total float,
FP = free float. A key box below the diagram names the fields. Links run from the right
edge of a box to the left edge of its successor, labelled with type and lag unless plain
FS 0 (DIN: NF, AF, EF, SF); critical boxes and links (both ends critical, the link tight)
are red and drawn thicker.

Pure: no Flask, no database; presentation attributes only, every text escaped (app.svg).
"""

import math
from xml.sax.saxutils import quoteattr

from app import svg
from app.projects.chart_parts import (
    CRITICAL,
    EPSILON,
    MUTED,
    TEXT,
    WHITE,
    Row,
    complete,
    is_critical_link,
    link_label,
    number,
)
from app.projects.network_layout import (
    COLUMN_GAP,
    MARGIN,
    NODE_HEIGHT,
    NODE_WIDTH,
    ROW_GAP,
    Grid,
)

SIDE = 46  # the width of the FAZ, Nr., Dauer, SAZ cells and of the FEZ, FP, SEZ cells
BANDS = (18, 32, 18, 18)  # the heights of the four rows of a box
LINE = "#44546a"
LINK = "#7b8794"
CRITICAL_FILL = "#fdecea"
LANE, LANES = 4, 7  # links sharing a channel between two rows of boxes run in lanes


def network_svg(rows, arrows, labels=None, fit=True):
    """The Netzplan of `rows` (chart_parts.Row) linked by `arrows` (chart_parts.Arrow).
    `fit`: scaled to the width of its container; else drawn at its own size in pixels, for
    a container that scrolls (a large network scaled to a page is too small to read)."""
    labels, rows = complete(labels), list(rows)
    grid = Grid(rows, list(arrows))
    width, height = grid.size()
    links = _links(grid, labels)
    boxes = [_node(row, *grid.position(row.id), labels) for row in rows]
    key, key_width, key_height = _key(labels, MARGIN, height + 8)
    width = max(width, math.ceil(key_width) + 2 * MARGIN)
    height += 8 + key_height + MARGIN
    title = labels["network_title"]
    size = 'width="100%"' if fit else f'width="{width}" height="{height}"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'{size} role="img" aria-label={quoteattr(title)} class="network-diagram">'
        f"{svg.tip(title)}{''.join(links)}{''.join(boxes)}{''.join(key)}</svg>"
    )


def _wrap(text, limit, lines=2):
    """Words in at most `lines` lines of `limit` characters, the last one cut."""
    words, result, current = " ".join(str(text).split()).split(" "), [], ""
    for index, word in enumerate(words):
        if current and len(current) + 1 + len(word) > limit:
            result.append(current)
            current = word
            if len(result) == lines - 1:
                current = " ".join(words[index:])
                break
        else:
            current = f"{current} {word}".strip()
    result.append(svg.cut(current, limit))
    return result


def _node(row, x, y, labels, fields=None):
    """One box; `fields` (the key box) puts field names where the numbers go."""
    timing, decimal = row.timing, labels["decimal"]
    critical = bool(timing and timing.critical)
    stroke, stroke_width = (CRITICAL, 2.5) if critical else (LINE, 1)
    right, middle = x + NODE_WIDTH, x + NODE_WIDTH / 2
    rows = [y + sum(BANDS[:i]) for i in range(5)]
    parts = [svg.rect(x, y, NODE_WIDTH, NODE_HEIGHT, WHITE)]
    if critical:
        parts.append(svg.rect(x, rows[1], SIDE, BANDS[1], CRITICAL_FILL))
    for edge in rows[1:4]:
        parts.append(svg.line(x, edge, right, edge, LINE, 0.8))
    for left, top, bottom in ((x + SIDE, y, rows[4]), (right - SIDE, y, rows[1]),
                              (right - SIDE, rows[2], rows[4])):  # fmt: skip
        parts.append(svg.line(left, top, left, bottom, LINE, 0.8))

    def shown(field, value):
        if fields:
            return labels[field]
        return number(value, decimal)

    def cell(field, value, cx, row, anchor="middle", ink=TEXT):
        base = rows[row] + BANDS[row] / 2 + 4
        if fields:
            ink = MUTED
        elif field in ("total_float", "free_float") and value < -EPSILON:
            ink = CRITICAL
        extra = f' data-field="{field}"'
        size = 9.5 if fields else 11  # the key's names are longer than the numbers
        return svg.text(cx, base, shown(field, value), size, ink, anchor, extra=extra)

    if timing is not None:
        parts += [
            cell("es", timing.es, x + SIDE / 2, 0),
            cell("ef", timing.ef, right - SIDE / 2, 0),
            cell("duration", row.duration, x + SIDE / 2, 2),
            cell("total_float", timing.total_float, middle, 2),
            cell("free_float", timing.free_float, right - SIDE / 2, 2),
            cell("ls", timing.ls, x + SIDE / 2, 3),
            cell("lf", timing.lf, right - SIDE / 2, 3),
        ]
    number_text = labels["number"] if fields else svg.cut(row.id, 6)
    ink = MUTED if fields else TEXT
    parts.append(svg.text(x + SIDE / 2, rows[1] + 20, number_text, 11, ink, "middle", True,
                          extra=' data-field="id"'))  # fmt: skip
    name = [labels["activity"]] if fields else _wrap(row.name, 21)
    first = rows[1] + (20 if len(name) == 1 else 14)
    for index, line in enumerate(name):
        parts.append(svg.text(x + SIDE + 6, first + 13 * index, line, 11, ink,
                              extra=' data-field="name"'))  # fmt: skip
    parts.append(svg.rect(x, y, NODE_WIDTH, NODE_HEIGHT, "none", stroke=stroke,
                          stroke_width=stroke_width))  # fmt: skip
    if fields:
        return "".join(parts)
    summary = (
        f"{row.id} {row.name} · {labels['duration']} {shown('duration', row.duration)} · "
        + " · ".join(
            f"{labels[field]} {shown(field, getattr(timing, field))}"
            for field in ("es", "ef", "ls", "lf", "total_float", "free_float")
        )
    )
    kind = "node critical" if critical else "node"
    return svg.element("g", dict(class_=kind, data_id=row.id), svg.tip(summary) + "".join(parts))


def _ports(grid):
    """Where each link (by its index in grid.arrows) leaves its source (right edge) and
    enters its target (left edge): spread along the edge in the order of the far ends, so
    that links do not cross there."""
    leaving = {ident: [] for ident in grid.ids}
    entering = {ident: [] for ident in grid.ids}
    for index, arrow in enumerate(grid.arrows):
        leaving[arrow.source].append((grid.slot[arrow.target], grid.column[arrow.target], index))
        entering[arrow.target].append((grid.slot[arrow.source], grid.column[arrow.source], index))
    out, into = {}, {}
    for ident in grid.ids:
        x, y = grid.position(ident)
        for edge_x, group, found in ((x + NODE_WIDTH, leaving, out), (x, entering, into)):
            group = sorted(group[ident])
            step = min(14, (NODE_HEIGHT - 24) / max(len(group) - 1, 1))
            for place, (*_, index) in enumerate(group):
                offset = (place - (len(group) - 1) / 2) * step
                found[index] = (edge_x, y + NODE_HEIGHT / 2 + offset)
    return out, into


def _links(grid, labels):
    """Beside each other: an S-curve through the gap. Further apart: into the channel
    between two rows of boxes, along it, and out again, so that no link crosses a box."""
    out, into = _ports(grid)
    taken_cells = {(grid.slot[ident], grid.column[ident]) for ident in grid.ids}
    lanes = {}
    drawn, on_top = [], []
    order = sorted(range(len(grid.arrows)), key=lambda i: grid.position(grid.arrows[i].source))
    for index in order:
        arrow = grid.arrows[index]
        (sx, sy), (tx, ty) = out[index], into[index]
        source, target = grid.timing[arrow.source], grid.timing[arrow.target]
        span = grid.column[arrow.target] - grid.column[arrow.source]
        s_slot, t_slot = grid.slot[arrow.source], grid.slot[arrow.target]
        free = s_slot == t_slot and not any(
            (s_slot, column) in taken_cells
            for column in range(grid.column[arrow.source] + 1, grid.column[arrow.target])
        )
        end = tx - 6
        if span == 1 or free or span < 1:
            bend = (sx + end) / 2 if span >= 1 else sx + COLUMN_GAP / 2
            path = f"M{sx},{sy:.1f} C{bend:.1f},{sy:.1f} {bend:.1f},{ty:.1f} {end},{ty:.1f}"
        else:
            channel = s_slot + 1 if t_slot > s_slot or s_slot == 0 else s_slot
            out_x, in_x = sx + COLUMN_GAP * 0.6, tx - COLUMN_GAP * 0.6
            cy = MARGIN + channel * (NODE_HEIGHT + ROW_GAP) - ROW_GAP / 2
            cy += _lane(lanes.setdefault(channel, []), out_x, in_x) * LANE
            path = (
                f"M{sx},{sy:.1f} C{(sx + out_x) / 2:.1f},{sy:.1f} {(sx + out_x) / 2:.1f},"
                f"{cy:.1f} {out_x:.1f},{cy:.1f} H{in_x:.1f} C{(in_x + end) / 2:.1f},{cy:.1f} "
                f"{(in_x + end) / 2:.1f},{ty:.1f} {end},{ty:.1f}"
            )
        critical = is_critical_link(arrow, source, target)
        colour, stroke_width = (CRITICAL, 2.2) if critical else (LINK, 1.2)
        parts = [
            svg.element("path", dict(d=path, fill="none", stroke=colour,
                                     stroke_width=stroke_width)),
            svg.polygon([(tx, ty), (tx - 8, ty - 4), (tx - 8, ty + 4)], colour),
        ]  # fmt: skip
        words = link_label(arrow, labels)
        if words:
            text_width = svg.width(words, 10) * 0.9
            parts.append(svg.rect(tx - 13 - text_width, ty - 12.5, text_width + 4, 10.5, WHITE,
                                  rx=2, opacity=0.85))  # fmt: skip
            parts.append(svg.text(tx - 11, ty - 4, words, 9.5, colour, "end", True))
        kind = "link critical" if critical else "link"
        group = svg.element("g", dict(class_=kind, data_source=arrow.source,
                                      data_target=arrow.target), "".join(parts))  # fmt: skip
        (on_top if critical else drawn).append(group)
    return drawn + on_top


def _lane(taken, begin, end):
    """The offset from the channel's middle (0, 1, -1, 2, -2, ...) of the first of seven
    lanes free from `begin` on, else of the one free soonest; `taken` holds how far each
    lane is taken."""
    lane = next((n for n, up_to in enumerate(taken) if up_to < begin - 6), None)
    if lane is None and len(taken) < LANES:
        lane = len(taken)
        taken.append(end)
    elif lane is None:
        lane = taken.index(min(taken))
    taken[lane] = end
    return (lane + 1) // 2 * (1 if lane % 2 else -1)


def _key(labels, x, y):
    """The key box naming the fields, the colour of the critical path, the link types."""
    parts = [svg.text(x, y + 12, labels["legend"], 12, TEXT, bold=True)]
    parts.append(_node(Row("", "", 0, _Blank()), x, y + 20, labels, fields=True))
    left = x + NODE_WIDTH + 24
    parts.append(svg.line(left, y + 40, left + 30, y + 40, CRITICAL, 2.5))
    parts.append(svg.text(left + 38, y + 44, labels["critical_path"], 11))
    parts.append(svg.text(left, y + 68, labels["link_types"], 11))
    parts.append(svg.text(left, y + 90, labels["time_note"], 11, MUTED))
    text_width = max(svg.width(labels["link_types"], 11), svg.width(labels["time_note"], 11))
    return parts, NODE_WIDTH + 24 + text_width, NODE_HEIGHT + 24


class _Blank:
    es = ef = ls = lf = total_float = free_float = 0
    critical = False
