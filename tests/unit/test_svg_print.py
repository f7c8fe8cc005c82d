"""SVG labels drawn as one text layout (app/svg_print.py) land where WeasyPrint's letter-by-
letter drawing puts them, for every text-anchor; texts that need per-letter placement keep
WeasyPrint's own drawing."""

import base64
import io

import pytest
from pypdf import PdfReader

from app import svg_print

weasyprint = pytest.importorskip("weasyprint")

LABELS = (
    ('<text x="20" y="30" font-size="12">{}</text>', "Grundlagen"),
    ('<text x="200" y="60" font-size="10" text-anchor="middle">{}</text>', "Fortgeschritten"),
    ('<text x="380" y="90" font-size="9" text-anchor="end" font-weight="700">{}</text>', "Über"),
)
LABELS = tuple((source.format(label), label) for source, label in LABELS)


def _svg(texts):
    body = "".join(texts)
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 120" width="400">{body}</svg>'


def _multiply(a, b):
    """The PDF matrix a·b (six numbers each)."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def _runs(svg_source):
    """(x, y) on the page where each text-showing operator of the PDF starts, in order,
    following the page's and its form XObjects' transformations."""
    from pypdf.generic import ContentStream

    uri = "data:image/svg+xml;base64," + base64.b64encode(svg_source.encode()).decode()
    html = f'<html><body style="margin:0"><img src="{uri}"></body></html>'
    reader = PdfReader(io.BytesIO(weasyprint.HTML(string=html).write_pdf()))
    page = reader.pages[0]
    runs = []

    def walk(contents, resources, matrix):
        stack, text_matrix = [], None
        for operands, operator in ContentStream(contents, reader).operations:
            if operator == b"q":
                stack.append(matrix)
            elif operator == b"Q":
                matrix = stack.pop()
            elif operator == b"cm":
                matrix = _multiply([float(n) for n in operands], matrix)
            elif operator == b"Tm":
                text_matrix = [float(n) for n in operands]
            elif operator in (b"TJ", b"Tj"):
                x, y = _multiply(text_matrix, matrix)[4:]
                runs.append((round(x, 1), round(y, 1)))
            elif operator == b"Do":
                form = resources["/XObject"][operands[0]].get_object()
                walk(form, form.get("/Resources", resources), matrix)

    walk(page.get_contents(), page["/Resources"], [1, 0, 0, 1, 0, 0])
    return runs


def test_labels_are_one_run_each_at_the_place_of_their_first_letter():
    svg_print.install()
    source = _svg(text for text, _ in LABELS)
    whole = _runs(source)
    with svg_print.letter_by_letter():
        letters = _runs(source)
    assert len(whole) == len(LABELS)
    # WeasyPrint's own drawing: a run per letter.
    lengths = [len(label) for _, label in LABELS]
    assert len(letters) == sum(lengths)
    firsts = [letters[sum(lengths[:i])] for i in range(len(LABELS))]
    for (x, y), (x0, y0) in zip(whole, firsts, strict=True):
        # The font's kerning may move an anchored word by a fraction of a point.
        assert abs(x - x0) <= 0.5 and y == y0


def test_texts_placed_letter_by_letter_keep_weasyprints_drawing():
    svg_print.install()
    spaced = '<text x="20" y="30" font-size="12" letter-spacing="3">Abc</text>'
    listed = '<text x="20 40 60" y="60" font-size="12">Xyz</text>'
    assert not svg_print.is_whole(_node(spaced)) and not svg_print.is_whole(_node(listed))
    assert svg_print.is_whole(_node(LABELS[1][0]))
    runs = _runs(_svg([spaced, listed]))
    assert len(runs) == 6
    # The listed x positions, 20 apart in the 400-wide viewBox drawn 300 pt wide, are kept.
    xs = [x for x, _ in runs[3:]]
    assert [xs[1] - xs[0], xs[2] - xs[1]] == pytest.approx([15, 15], abs=0.1)


def _node(source):
    from xml.etree import ElementTree

    return ElementTree.fromstring(source)  # noqa: S314 (the test's own strings)
