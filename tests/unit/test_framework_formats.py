"""Tree checks and the two exchange formats: reading, errors with their place, round trips."""

import json

import pytest

from app.frameworks.case import read_case, write_case
from app.frameworks.moodlecsv import COLUMNS, read_moodle_csv, write_moodle_csv
from app.frameworks.tree import FormatError, Node, check_tree, shape

DOC = "doc-1"


def case_package(items, associations, title="Testrahmen"):
    return json.dumps(
        {
            "CFDocument": {"identifier": DOC, "title": title},
            "CFItems": [
                {"identifier": key, "fullStatement": text, "humanCodingScheme": code}
                for key, code, text in items
            ],
            "CFAssociations": [
                {
                    "identifier": f"a-{child}",
                    "associationType": "isChildOf",
                    "originNodeURI": {"identifier": child},
                    "destinationNodeURI": {"identifier": parent},
                    **({"sequenceNumber": seq} if seq is not None else {}),
                }
                for child, parent, seq in associations
            ],
        }
    )


ITEMS = [
    ("c-2", "2", "Kommunizieren"),
    ("c-1-1", "1.1", "<p>Suchen &amp; Filtern</p>"),
    ("c-1", "1", "Suchen"),
    ("c-1-2", "1.2", "Auswerten"),
]
LINKS = [
    ("c-1-2", "c-1", 2),
    ("c-1-1", "c-1", 1),
    ("c-2", DOC, 2),
    ("c-1", DOC, 1),
]


def test_case_tree_from_associations_with_order_html_and_children_first():
    framework = read_case(("\ufeff" + case_package(ITEMS, LINKS)).encode())
    assert framework.title == "Testrahmen"
    assert shape(framework) == [
        ("1", "Suchen", None, 0),
        ("1.1", "Suchen & Filtern", "1", 0),
        ("1.2", "Auswerten", "1", 1),
        ("2", "Kommunizieren", None, 1),
    ]


def test_case_parent_outside_the_package_is_reported_with_the_item():
    with pytest.raises(FormatError) as raised:
        read_case(case_package(ITEMS, [*LINKS[:3], ("c-1", "elsewhere", 1)]))
    assert ("item c-1", "parent 'elsewhere' does not exist in the package") in (
        raised.value.problems
    )


def test_case_second_parent_elsewhere_is_a_warning_only():
    framework = read_case(case_package(ITEMS, [*LINKS, ("c-2", "other-doc-item", 3)]))
    assert any("second parent" in message for _where, message in framework.warnings)


def test_case_cycle_names_its_items():
    items = [("x", "1", "X"), ("y", "2", "Y")]
    with pytest.raises(FormatError) as raised:
        read_case(case_package(items, [("x", "y", 1), ("y", "x", 1)]))
    assert any(
        "cycle" in message and "'x'" in message and "'y'" in message
        for _where, message in raised.value.problems
    )


def test_case_duplicate_identifier_and_missing_title():
    items = [("x", "1", "X"), ("x", "1b", "X again"), ("z", "3", "")]
    with pytest.raises(FormatError) as raised:
        read_case(case_package(items, [("x", DOC, 1), ("z", DOC, 2)]))
    messages = [message for _where, message in raised.value.problems]
    assert "duplicate identifier 'x'" in messages
    assert "'z' has no title" in messages


def test_broken_json_names_the_line():
    with pytest.raises(FormatError) as raised:
        read_case('{\n"CFDocument": {\n"title": "x",\n}')
    assert raised.value.problems[0][0] == "line 4"


def test_case_round_trip_keeps_the_tree_and_identifiers_are_stable():
    framework = read_case(case_package(ITEMS, LINKS))
    written = write_case(framework)
    again = read_case(json.dumps(written))
    assert shape(again) == shape(framework)
    assert write_case(again) == written  # UUIDs kept, so a second export is identical


MOODLE = (
    ",".join(COLUMNS)
    + "\r\n"
    + ',dk,Digitale Kompetenz,"Ein Rahmen,\r\nüber zwei Zeilen",1,"Nein,Ja",'
    + ',,,,,,1,"domain,competency"\r\n'
    + ",A 1,Bereich A,,1,,,,,,,,0,\r\n"
    + "A 1,A 1.1,Kompetenz A1,<b>fett</b>,1,,,,,,,,0,\r\n"
    + ",B,Bereich B,,1,,,,,,,,0,\r\n"
)


def test_moodle_csv_reads_the_framework_row_and_the_tree():
    framework = read_moodle_csv(("\ufeff" + MOODLE).encode())
    assert framework.title == "Digitale Kompetenz"
    assert framework.scale == ["Nein", "Ja"]
    assert shape(framework) == [
        ("A 1", "Bereich A", None, 0),
        ("A 1.1", "Kompetenz A1", "A 1", 0),
        ("B", "Bereich B", None, 1),
    ]
    assert [node.kind for node in framework.nodes] == ["domain", "competency", "domain"]


def test_moodle_csv_errors_name_physical_lines():
    bad = MOODLE + "nope,C,Kompetenz C,,1,,,,,,,,0,\r\n" + ",B,Doppelt,,1,,,,,,,,0,\r\n"
    with pytest.raises(FormatError) as raised:
        read_moodle_csv(bad)
    assert ("line 7", "parent 'nope' of 'C' does not exist") in raised.value.problems
    assert ("line 8", "duplicate identifier 'B'") in raised.value.problems


def test_moodle_csv_wrong_header_is_named():
    with pytest.raises(FormatError) as raised:
        read_moodle_csv("a,b,c\n1,2,3\n")
    assert raised.value.problems[0][0] == "line 1"


def test_moodle_csv_cycle_and_missing_framework_row():
    rows = ",".join(COLUMNS) + "\nB,A,Eins,,1,,,,,,,,0,\nA,B,Zwei,,1,,,,,,,,0,\n"
    with pytest.raises(FormatError) as raised:
        read_moodle_csv(rows)
    messages = " ".join(message for _where, message in raised.value.problems)
    assert "isframework=1" in messages and "cycle" in messages


def test_moodle_round_trip_and_across_formats():
    framework = read_moodle_csv(MOODLE)
    again = read_moodle_csv(write_moodle_csv(framework))
    assert shape(again) == shape(framework)
    via_case = read_case(json.dumps(write_case(framework)))
    assert shape(read_moodle_csv(write_moodle_csv(via_case))) == shape(framework)


def test_check_tree_on_plain_nodes():
    nodes = [Node("a", "A"), Node("b", "B", parent="a"), Node("c", "C", parent="missing")]
    assert check_tree(nodes) == [("", "parent 'missing' of 'c' does not exist")]
