"""Curriculum coverage and its heatmap, on plain data."""

import xml.etree.ElementTree as ET

from app.courses.coverage import coverage_of
from app.courses.coverage_chart import Labels, heatmap_svg, palette

SVG = "{http://www.w3.org/2000/svg}"
LEVELS = ("Grundlagen", "Aufbau", "Fortgeschritten", "Expertise")
COMPETENCES = [
    ("1", "Suchen, Verarbeiten und Aufbewahren", True),
    ("1.1", "Suchen und Filtern", False),
    ("1.2", "Auswerten und Bewerten", False),
    ("1.3", "Speichern und Abrufen", False),
    ("2", "Kommunizieren und Kooperieren", True),
    ("2.1", "Interagieren", False),
    ("2.2", "Teilen", False),
]


def _coverage(courses, cells, required=None, competences=COMPETENCES):
    return coverage_of(competences, courses, cells, required or {}, len(LEVELS), LEVELS)


def _row(coverage, code):
    return next(row for row in coverage.rows if row.code == code)


def test_the_best_level_is_the_highest_over_all_published_courses():
    coverage = _coverage(
        [(1, "Recherche", True), (2, "Quellen prüfen", True)],
        {(1, "1.1"): 1, (2, "1.1"): 3, (1, "1.2"): 2},
    )
    assert _row(coverage, "1.1").best == 3
    assert _row(coverage, "1.2").best == 2
    assert _row(coverage, "1.3").best == 0


def test_a_required_competence_no_course_develops_is_a_gap():
    coverage = _coverage([(1, "Recherche", True)], {(1, "1.1"): 2}, {"1.1": 2, "2.1": 1})
    assert [row.code for row in coverage.gaps] == ["2.1"]
    assert not _row(coverage, "1.1").gap
    assert not _row(coverage, "1.3").gap  # not required: no gap, however uncovered


def test_a_competence_developed_only_below_the_required_level_is_under_not_a_gap():
    coverage = _coverage(
        [(1, "Recherche", True), (2, "Vertiefung", True)],
        {(1, "1.1"): 1, (2, "1.1"): 2, (1, "1.2"): 3},
        {"1.1": 3, "1.2": 3},
    )
    assert [row.code for row in coverage.under] == ["1.1"]
    assert coverage.gaps == []
    assert not _row(coverage, "1.2").under  # developed up to the required level


def test_draft_courses_are_shown_but_close_no_gap():
    coverage = _coverage(
        [(1, "Veröffentlicht", True), (2, "Entwurf", False)],
        {(2, "2.1"): 4, (1, "1.1"): 1, (2, "1.1"): 4},
        {"2.1": 1, "1.1": 2},
    )
    assert [course.title for course in coverage.courses] == ["Veröffentlicht", "Entwurf"]
    assert coverage.cells[(2, "2.1")] == 4  # the draft's column still shows its level
    assert _row(coverage, "2.1").gap
    assert _row(coverage, "1.1").best == 1 and _row(coverage, "1.1").under
    assert [course.title for course in coverage.published_courses] == ["Veröffentlicht"]


def test_areas_are_headings_never_required_and_unknown_cells_are_left_out():
    coverage = _coverage(
        [(1, "Recherche", True)],
        {(1, "1.1"): 2, (1, "9.9"): 3, (7, "1.1"): 4},
        {"1": 2, "1.1": 1},
    )
    area = _row(coverage, "1")
    assert area.is_area and not area.is_required and not area.gap
    assert coverage.cells == {(1, "1.1"): 2}
    assert [row.code for row in coverage.competences] == ["1.1", "1.2", "1.3", "2.1", "2.2"]


def test_level_names_are_padded_to_the_number_of_levels():
    coverage = coverage_of(COMPETENCES, [], {}, {}, 3, ["Grundlagen"])
    assert coverage.level_names == ("Grundlagen", "2", "3")
    assert coverage.level_name(5) == "5"


def _parse(svg):
    root = ET.fromstring(svg)  # noqa: S314  (our own output, not untrusted input)
    assert root.tag == f"{SVG}svg"
    return root


def _texts(root):
    """The visible text of every text element (without its tooltip)."""
    texts = []
    for node in root.iter(f"{SVG}text"):
        tip = node.find(f"{SVG}title")
        texts.append(tip.tail if tip is not None else node.text)
    return texts


def test_the_heatmap_is_well_formed_and_escapes_every_text():
    nasty = 'Datenschutz <script>alert("x")</script> & "Recht"'
    coverage = _coverage(
        [(1, nasty, True), (2, "Entwurf & <b>", False)],
        {(1, "1.1"): 2, (2, "2.1"): 1},
        {"1.1": 2, "2.2": 1},
        competences=[*COMPETENCES, ("2.3", 'Titel mit <tag> & "Zitat"', False)],
    )
    labels = Labels(title='Abdeckung "A" & <B>', gap="Lücke <!>")
    svg = heatmap_svg(coverage, labels)
    root = _parse(svg)
    assert "<script" not in svg and "<b>" not in svg and "<tag>" not in svg
    assert "&lt;script&gt;" in svg
    assert root.get("aria-label") == 'Abdeckung "A" & <B>'
    titles = ["".join(node.itertext()) for node in root.iter(f"{SVG}title")]
    assert nasty in titles  # the full course title, for pointing at a truncated header
    assert any('Titel mit <tag> & "Zitat"' in title for title in titles)


def test_the_heatmap_uses_no_style_attribute_and_no_script():
    coverage = _coverage([(1, "Recherche", True)], {(1, "1.1"): 2}, {"1.1": 3, "2.1": 1})
    svg = heatmap_svg(coverage)
    root = _parse(svg)
    assert "<script" not in svg and "<style" not in svg
    for node in root.iter():
        assert "style" not in node.attrib
        assert not any(name.startswith("on") for name in node.attrib)


def test_every_cell_prints_its_level_and_gaps_carry_a_mark():
    coverage = _coverage(
        [(1, "Recherche", True), (2, "Teilen", True)],
        {(1, "1.1"): 2, (2, "2.2"): 4},
        {"2.1": 3},
    )
    texts = _texts(_parse(heatmap_svg(coverage)))
    assert "2" in texts and "4" in texts  # level numbers, not colour alone
    assert "!" in texts  # 2.1 is required and no course develops it
    assert "required, no course develops it" in texts  # the legend explains the mark
    assert "Fortgeschritten" in texts  # level names in the legend


def test_the_heatmap_works_with_no_one_and_sixty_courses():
    widths = {}
    for count in (0, 1, 10, 60):
        courses = [(n, f"Kurs {n} mit einem recht langen Titel", True) for n in range(count)]
        cells = {(n, "1.1"): 1 + n % 4 for n in range(count)}
        root = _parse(heatmap_svg(_coverage(courses, cells, {"1.1": 2})))
        widths[count] = float(root.get("width"))
        headers = [n for n in root.iter(f"{SVG}text") if "rotate" in n.get("transform", "")]
        assert len(headers) == count + 2  # the courses, "required" and "developed"
    assert widths[0] < widths[1] < widths[10] < widths[60]
    # Many courses get narrower columns: the page scrolls sideways, the chart is not squeezed.
    assert (widths[60] - widths[10]) / 50 < (widths[10] - widths[1]) / 9


def test_long_titles_are_truncated_in_the_chart_but_kept_in_the_tooltip():
    title = "Informationen recherchieren und Quellen bewerten im beruflichen Alltag"
    root = _parse(heatmap_svg(_coverage([(1, title, True)], {(1, "1.1"): 1})))
    header = [n for n in root.iter(f"{SVG}text") if "rotate" in n.get("transform", "")][-1]
    tip = header.find(f"{SVG}title")
    assert tip.tail.endswith("…") and len(tip.tail) < len(title)
    assert tip.text == title


def test_the_palette_gets_darker_and_switches_text_to_white():
    colours = palette(8)
    assert len(colours) == 8
    brightness = [sum(int(fill[i : i + 2], 16) for i in (1, 3, 5)) for fill, _ in colours]
    assert brightness == sorted(brightness, reverse=True)
    assert colours[0][1] != "#ffffff" and colours[-1][1] == "#ffffff"
