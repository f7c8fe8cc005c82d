"""Charts as SVG text, drawn on the server so that the page and the PDF show the same picture.

Pure: no Flask, no database. Only presentation attributes, no style attributes, so that the
strict Content-Security-Policy lets the SVG render inline.
"""

from dataclasses import dataclass
from xml.sax.saxutils import escape

BRAND = "#1d4f91"
TARGET = "#f0a202"
TRACK = "#e3e8ef"
TEXT = "#1f2933"
MUTED = "#6c7a89"


@dataclass(frozen=True)
class Bar:
    code: str
    title: str
    held: int
    target: int  # 0: not required


def profile_chart(bars, max_level, level_names, title="", legend=("held", "required")):
    """Horizontal bars: the level held per competence, a marker at the required level."""
    label_width, bar_width, row, top = 64, 360, 24, 34
    width = label_width + bar_width + 24
    height = top + row * len(bars) + 40
    step = bar_width / max(max_level, 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="profile-chart">',
        f"<title>{escape(title)}</title>",
    ]
    for level in range(1, max_level + 1):
        x = label_width + step * level
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{top + row * len(bars)}" '
            f'stroke="{TRACK}" stroke-width="1"/>'
        )
        name = level_names[level - 1] if level - 1 < len(level_names) else str(level)
        parts.append(
            f'<text x="{x - step / 2:.1f}" y="{top - 12}" font-size="10" fill="{MUTED}" '
            f'text-anchor="middle" font-family="sans-serif">{escape(name)}</text>'
        )
    for index, bar in enumerate(bars):
        y = top + row * index
        parts.append(
            f'<text x="0" y="{y + 15}" font-size="12" fill="{TEXT}" font-family="sans-serif">'
            f"<title>{escape(bar.title)}</title>{escape(bar.code)}</text>"
        )
        parts.append(
            f'<rect x="{label_width}" y="{y + 4}" width="{bar_width}" height="14" rx="3" '
            f'fill="{TRACK}"/>'
        )
        if bar.held:
            length = step * min(bar.held, max_level)
            parts.append(
                f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="14" rx="3" '
                f'fill="{BRAND}"><title>{escape(bar.title)}: {bar.held}</title></rect>'
            )
        if bar.target:
            x = label_width + step * min(bar.target, max_level)
            parts.append(
                f'<line x1="{x:.1f}" y1="{y + 1}" x2="{x:.1f}" y2="{y + 21}" stroke="{TARGET}" '
                f'stroke-width="3"/>'
            )
    legend_y = top + row * len(bars) + 22
    parts.append(
        f'<rect x="{label_width}" y="{legend_y - 10}" width="14" height="10" fill="{BRAND}"/>'
        f'<text x="{label_width + 20}" y="{legend_y}" font-size="11" fill="{TEXT}" '
        f'font-family="sans-serif">{escape(legend[0])}</text>'
    )
    if legend[1]:  # an empty second entry: a chart without required levels
        parts.append(
            f'<line x1="{label_width + 90}" y1="{legend_y - 11}" x2="{label_width + 90}" '
            f'y2="{legend_y + 1}" stroke="{TARGET}" stroke-width="3"/>'
            f'<text x="{label_width + 98}" y="{legend_y}" font-size="11" fill="{TEXT}" '
            f'font-family="sans-serif">{escape(legend[1])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
