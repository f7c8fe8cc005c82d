"""The report heatmaps as SVG text: rows (people or competences) × columns, a coloured cell
with its value printed in it, so colour is never the only signal.

Pure: no Flask, no database; presentation attributes only (the strict CSP), every text
escaped (app.svg)."""

from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from app.courses.coverage_chart import palette
from app.svg import box, cut, text, tip

MUTED = "#6c7a89"
GRID = "#e3e8ef"
EMPTY = "#f6f8fb"
GAP = "#c62828"
WHITE = "#ffffff"
# From red through amber to green: the share of people meeting a requirement.
SHARE_STEPS = (
    (0.0, "#f8d7da", "#842029"),
    (0.5, "#fff3cd", "#664d03"),
    (0.8, "#d1e7dd", "#0f5132"),
)


@dataclass(frozen=True)
class Cell:
    label: str  # printed in the cell
    fill: str
    ink: str
    tip: str
    outline: bool = False  # a gap: outlined in red


def level_cell(level, target, level_names, tip_text):
    """A person's level in a competence; outlined when below the required level."""
    if not level and not target:
        return None
    if not level:
        return Cell("–", WHITE, GAP, tip_text, outline=True)
    fill, ink = palette(len(level_names))[min(level, len(level_names)) - 1]
    return Cell(str(level), fill, ink, tip_text, outline=level < target)


def share_cell(share, tip_text):
    """The share of people meeting a requirement, in percent."""
    if share is None:
        return None
    fill, ink = next((f, i) for limit, f, i in reversed(SHARE_STEPS) if share >= limit)
    return Cell(f"{round(100 * share)}", fill, ink, tip_text)


def grid_svg(title, rows, columns, cells, note="", column=34):
    """rows: [(label, tip)], columns: [(label, tip)], cells: {(row, column): Cell}; a wider
    `column` leaves room for names as column headings."""
    label_width, row_height = 220, 22
    top = 30
    width = label_width + column * len(columns) + 8
    height = top + row_height * len(rows) + (24 if note else 8)
    parts = []
    for index, (code, column_tip) in enumerate(columns):
        x = label_width + column * index + column / 2
        heading = cut(code, int(column / 6.5))
        parts.append(text(x, top - 10, heading, 11, MUTED, "middle", True, column_tip))
    for r, (label, row_tip) in enumerate(rows):
        y = top + row_height * r
        parts.append(text(4, y + 15, cut(label, 32), 12, tip=row_tip))
        parts.append(
            f'<line x1="0" y1="{y + row_height}" x2="{width}" y2="{y + row_height}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        for c in range(len(columns)):
            x = label_width + column * c
            cell = cells.get((r, c))
            if cell is None:
                parts.append(box(x + 2, y + 2, column - 4, row_height - 4, EMPTY))
                continue
            outline = (GAP, 2) if cell.outline else ("", 0)
            parts.append(box(x + 2, y + 2, column - 4, row_height - 4, cell.fill, *outline))
            parts.append(
                text(x + column / 2, y + 15, cell.label, 11, cell.ink, "middle", True, cell.tip)
            )
    if note:
        parts.append(text(4, height - 8, note, 11, MUTED))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label={quoteattr(title)} '
        f'class="report-heatmap">{tip(title)}{"".join(parts)}</svg>'
    )
