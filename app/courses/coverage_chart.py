"""The curriculum coverage heatmap as SVG text, drawn on the server so that the page and a
PDF show the same picture.

Pure: no Flask, no database. Presentation attributes only (no style attribute, no script), so
that the strict Content-Security-Policy lets the SVG render inline. Every text goes through
_text or _tip, which escape it.
"""

from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from app.svg import box as _box
from app.svg import cut as _cut
from app.svg import text as _text
from app.svg import tip as _tip
from app.svg import width as _width

TEXT = "#1f2933"
MUTED = "#6c7a89"
GRID = "#e3e8ef"
EMPTY = "#f6f8fb"
AREA = "#eef2f7"
TARGET = "#b36b00"  # dark amber: readable as text on white
GAP = "#c62828"
WHITE = "#ffffff"

# Sequential palette from light blue to the brand's dark blue. The level number is printed in
# every cell, so colour is never the only signal.
PALETTE_LIGHT = (0xDC, 0xE8, 0xF6)
PALETTE_DARK = (0x12, 0x35, 0x68)


@dataclass(frozen=True)
class Labels:
    """The chart's texts, translated by the caller."""

    title: str = "Curriculum coverage"
    required: str = "Required"
    best: str = "Developed"
    not_developed: str = "not developed"
    gap: str = "required, no course develops it"
    under: str = "developed below the required level"
    draft: str = "draft course, not counted"


def palette(level_count):
    """[(fill, text colour)] per level, level 1 first and lightest."""
    count = max(level_count, 1)
    colours = []
    for level in range(1, count + 1):
        share = (level - 1) / (count - 1) if count > 1 else 1.0
        rgb = [round(a + (b - a) * share) for a, b in zip(PALETTE_LIGHT, PALETTE_DARK, strict=True)]
        colours.append(("#{:02x}{:02x}{:02x}".format(*rgb), WHITE if share >= 0.45 else TEXT))
    return colours


def _colour(colours, level):
    return colours[min(max(level, 1), len(colours)) - 1]


class _Layout:
    """Sizes: narrower columns for many courses; past that the page scrolls sideways rather
    than shrinking the chart until it cannot be read."""

    mark = 16  # the gutter for "!" and "↓"
    label = 290
    summary = 42  # the "required" and "developed" columns
    row = 22
    header_chars = 28

    def __init__(self, coverage):
        count = len(coverage.courses)
        self.column = 36 if count <= 12 else 30 if count <= 30 else 26
        self.summary_x = self.mark + self.label
        # The code once more beside the grid: whoever scrolls sideways (on a phone, or past
        # many courses) still sees which row is which.
        self.code_x = self.summary_x + 2 * self.summary + 8
        self.grid_x = self.code_x + (32 if count else 0)
        self.grid_width = self.column * count
        self.grid_end = self.grid_x + self.grid_width
        longest = max([len(_cut(c.title, self.header_chars)) for c in coverage.courses] + [10])
        reach = _width("x" * longest, 11) * 0.71 + 10  # titles are rotated by 45°
        self.top = round(reach + 14)
        self.width = round(self.grid_end + max(reach - self.column / 2, 8) + 8)
        self.bottom = self.top + self.row * len(coverage.rows)


def heatmap_svg(coverage, labels=None):
    """The coverage heatmap: competences as rows (areas as headings), courses as columns, the
    level a course develops in each cell, the required and the best developed level beside
    each competence, gaps outlined in red and marked "!", a legend below."""
    labels = labels or Labels()
    layout = _Layout(coverage)
    colours = palette(coverage.level_count)
    parts = _headers(coverage, layout, labels)
    for index in range(len(coverage.courses)):
        x = layout.grid_x + layout.column * index
        parts.append(
            f'<line x1="{x}" y1="{layout.top}" x2="{x}" y2="{layout.bottom}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
    for index, row in enumerate(coverage.rows):
        y = layout.top + layout.row * index
        if row.is_area:
            parts.append(_area(row, layout, y))
        else:
            parts += _competence(row, layout, labels, colours, y)
        parts += _cells(coverage, row, layout, colours, y)
    legend, legend_height = _legend(coverage, layout, labels, colours)
    height = layout.bottom + 16 + legend_height
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {layout.width} {height}" '
        f'width="{layout.width}" height="{height}" role="img" '
        f'aria-label={quoteattr(labels.title)} class="coverage-heatmap">'
        f"{_tip(labels.title)}{''.join(parts)}{''.join(legend)}</svg>"
    )


def _rotated(x, y, content, tip, bold=False, draft=False):
    extra = f' transform="rotate(-45 {x:.1f} {y:.1f})"'
    if draft:
        extra += ' font-style="italic"'
    return _text(x, y, content, 11, MUTED if draft else TEXT, bold=bold, tip=tip, extra=extra)


def _headers(coverage, layout, labels):
    base = layout.top - 6
    centre = layout.summary_x + layout.summary / 2 - 3
    parts = [
        _rotated(centre, base, labels.required, labels.required, bold=True),
        _rotated(centre + layout.summary, base, labels.best, labels.best, bold=True),
    ]
    for index, course in enumerate(coverage.courses):
        x = layout.grid_x + layout.column * index + layout.column / 2 - 3
        tip = course.title if course.published else f"{course.title} ({labels.draft})"
        title = _cut(course.title, layout.header_chars)
        parts.append(_rotated(x, base, title, tip, draft=not course.published))
    return parts


def _area(row, layout, y):
    heading = _cut(f"{row.code} {row.title}".strip(), 70)
    return _box(layout.mark, y + 1, layout.grid_end - layout.mark, layout.row - 2, AREA) + _text(
        layout.mark + 4, y + layout.row / 2 + 4, heading, bold=True, tip=row.title
    )


def _competence(row, layout, labels, colours, y):
    middle = y + layout.row / 2 + 4
    parts = []
    if layout.grid_width:
        parts.append(_box(layout.grid_x, y + 2, layout.grid_width, layout.row - 4, EMPTY))
    parts.append(_text(layout.mark + 4, middle, row.code, bold=True, tip=row.title))
    title_chars = int((layout.label - 48) / (12 * 0.56))
    parts.append(_text(layout.mark + 44, middle, _cut(row.title, title_chars), tip=row.title))
    if layout.grid_width:
        parts.append(_text(layout.code_x, middle, row.code, 11, MUTED, tip=row.title))
    centre = layout.summary_x + layout.summary / 2
    if row.required:
        parts.append(
            _box(layout.summary_x + 6, y + 3, layout.summary - 12, layout.row - 6, WHITE, TARGET, 2)
        )
        tip = f"{labels.required}: {row.required}"
        parts.append(_text(centre, middle, row.required, 12, TARGET, "middle", True, tip))
    else:
        parts.append(_text(centre, middle, "–", 12, MUTED, "middle"))
    centre += layout.summary
    if row.best:
        fill, ink = _colour(colours, row.best)
        x = layout.summary_x + layout.summary + 6
        parts.append(_box(x, y + 3, layout.summary - 12, layout.row - 6, fill))
        tip = f"{labels.best}: {row.best}"
        parts.append(_text(centre, middle, row.best, 12, ink, "middle", True, tip))
    else:
        parts.append(_text(centre, middle, "–", 12, MUTED, "middle"))
    if row.gap:  # the whole row, in red: the point of the chart
        end = max(layout.grid_end, layout.grid_x - 6)
        parts.append(_box(1, y + 1, end - 1, layout.row - 2, "none", GAP, 2))
    elif row.under:  # only the "developed" cell, so that many of them stay readable
        x = layout.summary_x + layout.summary + 2
        parts.append(_box(x, y + 1, layout.summary - 4, layout.row - 2, "none", TARGET, 2, "4 3"))
    if row.gap or row.under:
        colour, mark, tip = (GAP, "!", labels.gap) if row.gap else (TARGET, "↓", labels.under)
        parts.append(_text(layout.mark / 2 + 0.5, middle, mark, 13, colour, "middle", True, tip))
    return parts


def _cells(coverage, row, layout, colours, y):
    parts = []
    for index, course in enumerate(coverage.courses):
        level = coverage.cells.get((course.id, row.code))
        if not level:
            continue
        x = layout.grid_x + layout.column * index
        fill, ink = _colour(colours, level)
        tip = f"{course.title} · {row.code} {row.title}: {level} {coverage.level_name(level)}"
        if course.published:
            parts.append(_box(x + 2, y + 2, layout.column - 4, layout.row - 4, fill))
        else:
            parts.append(_draft_box(x + 2, y + 2, layout.column - 4, layout.row - 4, fill))
            ink = TEXT
        middle = y + layout.row / 2 + 4
        parts.append(_text(x + layout.column / 2, middle, level, 11, ink, "middle", True, tip))
    return parts


def _legend(coverage, layout, labels, colours):
    """Legend entries flow left to right and wrap at the chart's width."""
    entries = [
        (_swatch(colours, level), coverage.level_name(level))
        for level in range(1, coverage.level_count + 1)
    ]
    entries += [
        (lambda x, y: [_box(x, y, 22, 16, EMPTY, GRID, 1)], labels.not_developed),
        (lambda x, y: _marker(x, y, "2", TARGET, ""), labels.required),
        (lambda x, y: _marker(x, y, "!", GAP, ""), labels.gap),
        (lambda x, y: _marker(x, y, "↓", TARGET, "4 3"), labels.under),
    ]
    if any(not course.published for course in coverage.courses):
        fill = colours[0][0]
        entries.append((lambda x, y: [_draft_box(x, y, 22, 16, fill)], labels.draft))
    parts, x, y, line = [], layout.mark, layout.bottom + 16, 22
    right = max(layout.width - 8, 320)
    for draw, text in entries:
        span = 30 + _width(text, 11) + 14
        if x > layout.mark and x + span > right:
            x, y = layout.mark, y + line
        parts += draw(x, y)
        parts.append(_text(x + 28, y + 12, text, 11))
        x += span
    return parts, y + line - (layout.bottom + 16)


def _draft_box(x, y, width, height, fill):
    """A draft course's cell: paler and dashed, so that it reads as "not counted" in print."""
    return _box(x, y, width, height, fill, MUTED, 1, "3 2", ' fill-opacity="0.45"')


def _swatch(colours, level):
    fill, ink = _colour(colours, level)
    return lambda x, y: [
        _box(x, y, 22, 16, fill),
        _text(x + 11, y + 12, level, 11, ink, "middle", True),
    ]


def _marker(x, y, mark, colour, dash):
    fill = WHITE if mark.isdigit() else "none"
    return [
        _box(x + 1, y + 1, 20, 14, fill, colour, 2, dash),
        _text(x + 11, y + 12.5, mark, 12, colour, "middle", True),
    ]
