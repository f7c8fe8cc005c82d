"""The editor's notations: predecessors ("A; B NF+2; C AF-1,5"), company closures, and
telling network JSON from MSPDI by the first character."""

from datetime import date

import pytest

from app.projects import closures, exchange, predecessors
from app.projects.predecessors import PredecessorError, parse

IDS = {"A", "B", "C", "D", "E", "1.1", "EF"}


def test_german_and_english_types_signed_lags_and_both_decimal_signs():
    assert parse("A; B NF+2; C AF-1,5; D EF; E SF+0.5", IDS) == [
        ("A", "FS", 0.0),
        ("B", "FS", 2.0),
        ("C", "SS", -1.5),
        ("D", "FF", 0.0),
        ("E", "SF", 0.5),
    ]
    assert parse("B+2;C ss - 1.5\n1.1 ; EF FF\u22121", IDS) == [
        ("B", "FS", 2.0),
        ("C", "SS", -1.5),
        ("1.1", "FS", 0.0),
        ("EF", "FF", -1.0),
    ]
    assert parse("  ", IDS) == [] and parse(None, IDS) == []


@pytest.mark.parametrize(
    "text, named",
    [
        ("A, B", "semicolon"),
        ("X", "no activity X"),
        ("A XY", "unknown link type XY"),
        ("A; A AF", "A is named twice"),
        ("B NF+", '"B NF+" is not a predecessor'),
        ("D", "cannot follow itself"),
    ],
)
def test_a_bad_entry_is_named(text, named):
    with pytest.raises(PredecessorError) as raised:
        parse(text, IDS, own_id="D")
    assert named in str(raised.value)


def test_format_writes_what_parse_reads_in_either_language():
    links = parse("A; B NF+2; C AF-1,5; D EF; E SF+0.5", IDS)
    assert predecessors.format(links, "de") == "A; B NF+2; C AF-1,5; D EF; E SF+0,5"
    assert predecessors.format(links, "en") == "A; B FS+2; C SS-1.5; D FF; E SF+0.5"
    for language in ("de", "en"):
        assert parse(predecessors.format(links, language), IDS) == links


def test_closures_as_lines():
    text = "24.12.2026 - 31.12.2026 Betriebsferien\n2026-10-02 Brückentag\n\n1.5.2027"
    found = closures.parse(text)
    assert found == [
        (date(2026, 12, 24), date(2026, 12, 31), "Betriebsferien"),
        (date(2026, 10, 2), date(2026, 10, 2), "Brückentag"),
        (date(2027, 5, 1), date(2027, 5, 1), ""),
    ]
    assert closures.parse(closures.format(found, "de")) == found
    assert closures.parse(closures.format(found, "en")) == found
    assert closures.from_json(closures.to_json(found)) == found
    for bad, named in (
        ("31.02.2026", "line 1: no such date"),
        ("\n1.1.2027 - 1.1.2026", "line 2: the closure ends"),
        ("Ostern", '"Ostern" is not a closure'),
    ):
        with pytest.raises(closures.ClosureError, match=named):
            closures.parse(bad)


@pytest.mark.parametrize(
    "data, xml",
    [
        (b"<?xml version='1.0'?><Project/>", True),
        (b"\xef\xbb\xbf\n  <Project/>", True),
        ("\ufeff<Project/>".encode("utf-16"), True),
        (b'{"activities": []}', False),
        (b"\xef\xbb\xbf {}", False),
        (b"", False),
    ],
)
def test_xml_is_told_from_json_by_its_first_character(data, xml):
    assert exchange.is_xml(data) is xml
