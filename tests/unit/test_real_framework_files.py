"""Real third-party exchange files (tests/data/frameworks, sources in SOURCES.md): read with
the counts their sources give, and written back without losing the tree."""

import json
from pathlib import Path

import pytest

from app.frameworks.case import read_case, write_case
from app.frameworks.moodlecsv import read_moodle_csv, write_moodle_csv
from app.frameworks.tree import shape

DATA = Path(__file__).resolve().parents[1] / "data" / "frameworks"

# file: (title, number of tree nodes below the framework), as SOURCES.md counts them.
FILES = {
    "case-opensalt-act-holistic-math-ordering.json": ("ACT Holistic Framework, Math", 28),
    "case-opensalt-what-standards-could-be.json": ("What Standards Could Be", 16),
    "case-opensalt-test-markdown-framework.json": ("Test Markdown Framework", 2),
    "case-opensalt-test-sequence-number.json": ("Sequence Number Test", 2),
    "case-opensalt-test-utf8.json": ("UTF8 𝑑 Test", 1),
    "moodle-oecd-core-example.csv": ("OECD", 64),
    "moodle-iste-educators-2018.csv": ("ISTE Standards for Educators", 31),
    "moodle-digcomplmsadmin.csv": ("DigCompLMSAdmin", 39),
    "moodle-mcf-simple-sample-unordered.csv": ("Simple Sample 3410ul", 4),
}


def read(name):
    data = (DATA / name).read_bytes()
    return read_case(data) if name.endswith(".json") else read_moodle_csv(data)


@pytest.mark.parametrize("name", sorted(FILES))
def test_real_file_reads_with_its_title_and_count(name):
    framework = read(name)
    assert (framework.title, len(framework.nodes)) == FILES[name]


@pytest.mark.parametrize("name", sorted(FILES))
def test_real_file_survives_both_writers(name):
    framework = read(name)
    assert shape(read_case(json.dumps(write_case(framework)))) == shape(framework)
    # Moodle needs an idnumber: a node without a code travels under its identifier.
    for node in framework.nodes:
        node.code = node.code or node.key
    assert shape(read_moodle_csv(write_moodle_csv(framework))) == shape(framework)


def test_sequence_numbers_order_siblings_against_file_order():
    codes = [
        code for code, _title, _parent, _i in shape(read("case-opensalt-test-sequence-number.json"))
    ]
    assert codes.index("SNT.2") < codes.index("SNT.1")


def test_children_listed_before_their_parent_still_attach():
    framework = read("moodle-iste-educators-2018.csv")
    assert all(
        node.parent is None or node.parent in {n.key for n in framework.nodes}
        for node in framework.nodes
    )


def test_associations_to_things_outside_the_package_do_not_break_the_import():
    framework = read("case-opensalt-what-standards-could-be.json")
    assert len(framework.nodes) == 16
