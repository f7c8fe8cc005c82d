"""Small pieces of SVG text shared by the server-drawn charts (heatmaps): texts and boxes
with presentation attributes only, every text escaped.

Pure: no Flask, no database."""

from xml.sax.saxutils import escape, quoteattr

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


def coordinate(value):
    """At most two decimals, no trailing zeros."""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def element(tag, attributes, inner=""):
    """An element with every attribute value escaped; `class_` is written `class`,
    `stroke_width` is written `stroke-width`, None leaves an attribute out."""
    written = "".join(
        f" {name.rstrip('_').replace('_', '-')}={quoteattr(coordinate(value))}"
        for name, value in attributes.items()
        if value is not None
    )
    return f"<{tag}{written}>{inner}</{tag}>" if inner else f"<{tag}{written}/>"


def line(x1, y1, x2, y2, stroke, stroke_width=1, **attributes):
    return element(
        "line",
        dict(x1=x1, y1=y1, x2=x2, y2=y2, stroke=stroke, stroke_width=stroke_width) | attributes,
    )


def rect(x, y, w, h, fill, inner="", **attributes):
    """A plain rectangle (box() rounds its corners); `inner`: e.g. a tip()."""
    return element("rect", dict(x=x, y=y, width=w, height=h, fill=fill) | attributes, inner)


def polygon(points, fill, inner="", **attributes):
    """points: [(x, y), ...]."""
    written = " ".join(f"{coordinate(float(x))},{coordinate(float(y))}" for x, y in points)
    return element("polygon", dict(points=written, fill=fill) | attributes, inner)
