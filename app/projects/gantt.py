"""The Gantt chart (Balkenplan) of a training project as SVG text: a row per activity on a
date axis, critical activities in red, floats as thin bars after the bars, milestones as
diamonds, days not worked shaded, links as thin elbow arrows.

Pure: no Flask, no database; presentation attributes only (the strict CSP), every text
escaped (app.svg).
"""

import math
from xml.sax.saxutils import quoteattr

from app import svg
from app.projects.chart_parts import (
    BRAND,
    CRITICAL,
    EPSILON,
    GRID,
    MUTED,
    TEXT,
    WHITE,
    complete,
    is_critical_link,
    number,
)
from app.projects.gantt_axis import HEAD, SHADE, axis, shading

LABEL_WIDTH = 310
ROW = 24
RIGHT = 48  # room for a negative float's label after the last bar
MAX_WIDTH = 1400
MIN_PLOT = 640  # a short project still fills a page instead of being scaled up
MAX_DAY = 36
FLOAT = "#8c9db3"
FREE = "#3f9c8f"
TODAY = "#e07b00"
STRIPE = "#f6f8fb"
LINK = "#8a96a3"
LINKS_UP_TO = 30  # rows; beyond, only the critical links, or the arrows hide the bars


class Scale:
    """Dates and the scheduler's time points as x coordinates."""

    def __init__(self, calendar, first, left, day_width):
        self.calendar, self.first, self.left, self.day = calendar, first, left, day_width

    def x(self, day):
        return self.left + (day - self.first).days * self.day

    def start(self, point):
        """Where work at `point` begins: into its day by the fraction of a day."""
        whole = math.floor(point + EPSILON)
        return self.x(self.calendar.day(whole)) + max(point - whole, 0) * self.day

    def end(self, point):
        """Where work ending at `point` ends: a whole day ends at the right of its column."""
        whole = math.ceil(point - EPSILON) - 1
        return self.x(self.calendar.day(whole)) + min(point - whole, 1) * self.day


def _milestone(timing):
    return timing.ef - timing.es < EPSILON


def _frame(rows, calendar):
    """The first and the last date drawn: a row's late finish too when it has float."""
    if not rows:
        return calendar.day(0), calendar.day(0)
    firsts, lasts = [], []
    for timing in (row.timing for row in rows):
        firsts.append(calendar.start_date(timing.es))
        lasts.append(calendar.finish_date(timing.ef, timing.es))
        if timing.total_float > EPSILON:
            lasts.append(calendar.finish_date(timing.lf, timing.ls))
    return min(firsts), max(lasts)


def gantt_svg(rows, arrows, calendar, today=None, labels=None):
    """The Balkenplan: `rows` (chart_parts.Row) in the order shown, `arrows`
    (chart_parts.Arrow), dates from `calendar` (calendar.WorkingCalendar)."""
    labels = complete(labels)
    rows = list(rows)
    first, last = _frame(rows, calendar)
    days = (last - first).days + 1
    day_width = min(MAX_DAY, (MAX_WIDTH - LABEL_WIDTH - RIGHT) / days)
    scale = Scale(calendar, first, LABEL_WIDTH, max(day_width, MIN_PLOT / days))
    width = LABEL_WIDTH + days * scale.day + RIGHT
    bottom = HEAD + ROW * len(rows)
    legend, legend_height = _legend(labels, width, bottom + 14)
    height = bottom + 14 + legend_height

    parts = [svg.rect(0, HEAD + ROW * i, width, ROW, STRIPE) for i in range(1, len(rows), 2)]
    parts += shading(scale, first, last, HEAD, bottom, labels)
    parts += axis(scale, first, last, bottom, labels)
    parts += _label_columns(rows, labels, bottom)
    if today is not None and first <= today <= last:
        x = scale.x(today) + scale.day / 2
        title = svg.tip(f"{labels['today']}: {today.strftime(labels['date'])}")
        parts.append(
            svg.element(
                "line",
                dict(x1=x, y1=HEAD - 6, x2=x, y2=bottom, stroke=TODAY, stroke_width=1.5,
                     stroke_dasharray="5 3", class_="today"),
                title,
            )
        )  # fmt: skip
    positions = {row.id: index for index, row in enumerate(rows)}
    timings = {row.id: row.timing for row in rows}
    for arrow in arrows:
        if arrow.source in positions and arrow.target in positions:
            link = _link(arrow, positions, timings, scale, only_critical=len(rows) > LINKS_UP_TO)
            parts.append(link)
    for index, row in enumerate(rows):
        parts += _bar(row, HEAD + ROW * index, scale, labels)
    parts += legend
    title = labels["gantt_title"]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {svg.coordinate(float(width))} {svg.coordinate(float(height))}" '
        f'width="100%" role="img" aria-label={quoteattr(title)} class="gantt-chart">'
        f"{svg.tip(title)}{''.join(parts)}</svg>"
    )


def _label_columns(rows, labels, bottom):
    parts = [
        svg.text(8, HEAD - 8, labels["number"], 11, MUTED, bold=True),
        svg.text(56, HEAD - 8, labels["activity"], 11, MUTED, bold=True),
        svg.text(LABEL_WIDTH - 10, HEAD - 8, labels["duration_days"], 11, MUTED, "end", True),
        svg.line(LABEL_WIDTH, 0, LABEL_WIDTH, bottom, GRID),
    ]
    for index, row in enumerate(rows):
        y = HEAD + ROW * index + 16
        ink = CRITICAL if row.timing.critical else TEXT
        duration = number(row.duration, labels["decimal"])
        parts.append(svg.text(8, y, svg.cut(row.id, 6), 12, MUTED, tip=row.id))
        parts.append(svg.text(56, y, svg.cut(row.name, 31), 12, ink, tip=row.name))
        parts.append(svg.text(LABEL_WIDTH - 10, y, duration, 12, TEXT, "end"))
    return parts


def _bar(row, top, scale, labels):
    timing, middle, decimal = row.timing, top + ROW / 2, labels["decimal"]
    colour = CRITICAL if timing.critical else BRAND
    # Under a deadline the free float (to the successors) can exceed the total float (to
    # the deadline); only the part that does not delay the project is drawn.
    free = min(timing.free_float, timing.total_float)
    start = scale.calendar.start_date(timing.es)
    finish = scale.calendar.finish_date(timing.ef, timing.es)
    tip = f"{row.id} {row.name}: {start.strftime(labels['date'])}"
    if finish != start:
        tip += f" – {finish.strftime(labels['date'])}"
    tip = svg.tip(tip + f" · {labels['total_float']} {number(timing.total_float, decimal)}")
    if _milestone(timing):
        x = end = scale.start(timing.es)
        float_end, free_end = scale.start(timing.ls), scale.start(timing.es + free)
        diamond = [(x, middle - 7), (x + 7, middle), (x, middle + 7), (x - 7, middle)]
        parts = [
            svg.polygon(diamond, colour, tip, stroke=WHITE, class_="milestone", data_id=row.id)
        ]
    else:
        x, end = scale.start(timing.es), scale.end(timing.ef)
        float_end, free_end = scale.end(timing.lf), scale.end(timing.ef + free)
        bar = dict(rx=2, class_="bar", data_id=row.id)
        parts = [svg.rect(x, top + 5, max(end - x, 1.5), 14, colour, tip, **bar)]
    if timing.total_float > EPSILON:
        words = svg.tip(f"{labels['float']}: {number(timing.total_float, decimal)}")
        width = max(float_end - end, 1)
        parts.append(svg.rect(end, middle + 1, width, 3, FLOAT, words, class_="float"))
    if free > EPSILON:
        words = svg.tip(f"{labels['free']}: {number(timing.free_float, decimal)}")
        width = max(free_end - end, 1)
        parts.append(svg.rect(end, middle + 5, width, 3, FREE, words, class_="free-float"))
    if timing.total_float < -EPSILON:
        # A missed deadline: no bar runs backwards; the row says by how much.
        late = number(timing.total_float, decimal)
        # Right of where a link from the bar's end turns down, below where it runs on.
        after = end + (21 if _milestone(timing) else 14)
        parts.append(
            svg.text(after, middle + 7, late, 10, CRITICAL, bold=True,
                     tip=f"{labels['late']}: {late}", extra=' class="negative-float"')
        )  # fmt: skip
    return parts


def _anchor(timing, at_start, scale):
    if _milestone(timing):
        return scale.start(timing.es) + (-7 if at_start else 7)
    return scale.start(timing.es) if at_start else scale.end(timing.ef)


def _link(arrow, positions, timings, scale, only_critical=False):
    """An elbow from the source's end (FS, FF) or start (SS, SF) to the target's start,
    entering from above or below as planning tools draw it, or to its end from the right."""
    source, target = timings[arrow.source], timings[arrow.target]
    s_row, t_row = positions[arrow.source], positions[arrow.target]
    sx = _anchor(source, arrow.type in ("SS", "SF"), scale)
    # Links run along the upper half of a row, the floats along its lower half.
    sy = HEAD + ROW * s_row + ROW / 2 - 3
    ty = HEAD + ROW * t_row + ROW / 2 - 3
    down = t_row >= s_row
    critical = is_critical_link(arrow, source, target)
    if only_critical and not critical:
        return ""
    colour = CRITICAL if critical else LINK
    if arrow.type in ("FS", "SS"):
        tx = _anchor(target, True, scale) + (7 if _milestone(target) else 0)
        bend = tx + 4
        if bend >= sx + 3 and t_row != s_row:
            edge = ty - 5 if down else ty + 11
            path = f"M{sx:.2f},{sy} H{bend:.2f} V{edge}"
            head = _head(bend, edge, (0, 1) if down else (0, -1), colour)
        else:
            between = HEAD + ROW * (s_row + 1 if down else s_row)
            # Down clear of a link that turns at the same bar's end, back, and in.
            turn = min(tx - 8, sx + 10)
            path = f"M{sx:.2f},{sy} h10 V{between} H{turn:.2f} V{ty} H{tx - 1:.2f}"
            head = _head(tx - 1, ty, (1, 0), colour)
    else:
        tx = _anchor(target, False, scale)
        path = f"M{sx:.2f},{sy} H{max(sx, tx) + 8:.2f} V{ty} H{tx + 1:.2f}"
        head = _head(tx + 1, ty, (-1, 0), colour)
    return svg.element("path", dict(d=path, fill="none", stroke=colour, class_="link")) + head


def _head(x, y, direction, colour):
    dx, dy = direction
    back_x, back_y = x - 5 * dx, y - 5 * dy
    return svg.polygon(
        [(x, y), (back_x + 3 * dy, back_y + 3 * dx), (back_x - 3 * dy, back_y - 3 * dx)], colour
    )


def _legend(labels, width, top):
    """Swatches and words in lines that wrap at the chart's width."""
    items = [
        ("bar", BRAND, labels["normal"]),
        ("bar", CRITICAL, labels["critical"]),
        ("diamond", BRAND, labels["milestone"]),
        ("thin", FLOAT, labels["float"]),
        ("thin", FREE, labels["free"]),
        ("line", TODAY, labels["today"]),
        ("shade", None, labels["nonworking"]),
    ]
    parts, x, y = [], 8.0, top + 12
    for kind, colour, words in items:
        item_width = 30 + svg.width(words, 11)
        if x + item_width > width and x > 8:
            x, y = 8.0, y + 20
        if kind == "bar":
            parts.append(svg.rect(x, y - 9, 20, 10, colour, rx=2))
        elif kind == "diamond":
            diamond = [(x + 10, y - 10), (x + 16, y - 4), (x + 10, y + 2), (x + 4, y - 4)]
            parts.append(svg.polygon(diamond, colour))
        elif kind == "thin":
            parts.append(svg.rect(x, y - 5, 20, 3, colour))
        elif kind == "line":
            parts.append(svg.line(x + 10, y - 11, x + 10, y + 3, colour, 1.5,
                                  stroke_dasharray="5 3"))  # fmt: skip
        else:
            parts.append(svg.rect(x, y - 11, 20, 14, SHADE))
        parts.append(svg.text(x + 26, y, words, 11))
        x += item_width + 14
    return parts, y - top + 10
