"""SVG text in PDFs at the cost of one text layout per label.

WeasyPrint draws an SVG <text> letter by letter, a text layout of its own for each letter, so
that it can honour per-letter `x`/`y` lists, `dx`, `dy`, `rotate`, `letter-spacing` and
`textLength`. The charts of this app (the competence profile, Gantt, network diagram) use
none of these: each label has one `x` and one `y`. Such a text is drawn here as one layout:
the same glyphs at the same place (with the font's kerning), for a fraction of the work; in
the pass's profile chart the letters were a tenth of the whole rendering. Every other text
goes to WeasyPrint's own drawing. `install()` puts it in place; it is idempotent.
"""

from contextlib import contextmanager
from math import inf

# What makes WeasyPrint place letters one by one, or shift the text's baseline.
_PER_LETTER = (
    "dx",
    "dy",
    "rotate",
    "letter-spacing",
    "textLength",
    "direction",
    "display-anchor",
    "dominant-baseline",
    "alignment-baseline",
)


def _single(value):
    """One length (not a list of per-letter positions)."""
    return value is not None and len(value.replace(",", " ").split()) == 1


def is_whole(node):
    """Whether the <text> node can be drawn as one layout."""
    attrib = node.attrib
    return (
        bool(node.text)
        and _single(attrib.get("x"))
        and _single(attrib.get("y"))
        and not any(name in attrib for name in _PER_LETTER)
    )


def _style(svg, node, font_size):
    """The text style WeasyPrint's SVG text builds from a node's font attributes."""
    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.svg.text import Style

    style = Style()
    style.update(INITIAL_VALUES)
    style.font_config = svg.font_config
    style["font_family"] = [
        font.strip("\"'") for font in node.get("font-family", "sans-serif").split(",")
    ]
    style["font_style"] = node.get("font-style", "normal")
    weight = node.get("font-weight", 400)
    weight = {"normal": 400, "bold": 700}.get(weight, weight)
    try:
        style["font_weight"] = int(weight)
    except ValueError:
        style["font_weight"] = 400
    style["font_size"] = font_size
    return style


def draw_whole(svg, node, font_size):
    """Draw a text node as one layout, keeping what WeasyPrint's drawing keeps: the cursor
    after the text and the text's bounding box (text-anchor shifts the text by it)."""
    from weasyprint.draw.text import draw_emojis, draw_first_line
    from weasyprint.matrix import Matrix
    from weasyprint.svg.bounding_box import extend_bounding_box
    from weasyprint.svg.text import TextBox
    from weasyprint.svg.utils import size
    from weasyprint.text.line_break import split_first_line

    style = _style(svg, node, font_size)
    layout, _, _, width, height, baseline = split_first_line(node.text, style, svg.context, inf, 0)
    x = size(node.attrib["x"].strip(), font_size, svg.inner_width)
    y = size(node.attrib["y"].strip(), font_size, svg.inner_height)
    svg.cursor_d_position[0] = svg.cursor_d_position[1] = 0
    svg.cursor_position = x + width, y
    node.text_bounding_box = extend_bounding_box(
        node.text_bounding_box, ((x, y - baseline), (x + width, y - baseline + height))
    )

    svg.stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    layout.reactivate(style)
    svg.fill_stroke(fill, stroke, text=True)
    box = TextBox(layout, style)
    box.baseline = baseline
    emojis = draw_first_line(svg.stream, box, "none", "none", Matrix(a=1, d=-1, e=x, f=y))
    svg.stream.end_text()
    svg.stream.pop_state()
    draw_emojis(svg.stream, style, x, y, emojis)


def install():
    """Draw whole texts as one layout from now on in this process."""
    from weasyprint import svg

    letter_by_letter = svg.TAGS["text"]
    if getattr(letter_by_letter, "whole_text", False):
        return

    def text(svg_, node, font_size):
        if is_whole(node):
            return draw_whole(svg_, node, font_size)
        return letter_by_letter(svg_, node, font_size)

    text.whole_text = True
    text.letter_by_letter = letter_by_letter
    # The drawing of a node recognises text nodes (for text-anchor and their bounding box)
    # by comparing their tag's function with the module's `text`: both are replaced.
    svg.TAGS["text"] = svg.TAGS["tspan"] = text
    svg.text = text


@contextmanager
def letter_by_letter():
    """WeasyPrint's own letter-by-letter drawing for a while (comparisons, baselines)."""
    from weasyprint import svg

    whole = svg.TAGS["text"]
    original = getattr(whole, "letter_by_letter", whole)
    svg.TAGS["text"] = svg.TAGS["tspan"] = svg.text = original
    try:
        yield
    finally:
        svg.TAGS["text"] = svg.TAGS["tspan"] = svg.text = whole
