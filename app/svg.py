"""Small pieces of SVG text shared by the server-drawn charts (heatmaps): texts and boxes
with presentation attributes only, every text escaped.

Pure: no Flask, no database."""

from xml.sax.saxutils import escape

TEXT = "#1f2933"


def cut(text, limit):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: max(limit - 1, 1)].rstrip() + "…"


def width(text, size):
    """A generous width of a text in a sans-serif font: enough for laying out."""
    return len(text) * size * 0.56


def tip(text):
    return f"<title>{escape(str(text))}</title>"


_title = tip


def text(x, y, content, size=12, fill=TEXT, anchor="start", bold=False, tip=None, extra=""):
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}" '
        f'font-family="sans-serif" text-anchor="{anchor}"{weight}{extra}>'
        f"{_title(tip) if tip else ''}{escape(str(content))}</text>"
    )


def box(x, y, width, height, fill, stroke="", stroke_width=0, dash="", extra=""):
    line = f' stroke="{stroke}" stroke-width="{stroke_width}"' if stroke else ""
    if dash:
        line += f' stroke-dasharray="{dash}"'
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" rx="3" '
        f'fill="{fill}"{line}{extra}/>'
    )
