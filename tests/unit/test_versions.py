"""Comparing framework versions by code."""

from app.frameworks.versions import Entry, compare


def test_added_removed_and_changed_by_code():
    older = [Entry("1", "Suchen", None), Entry("1.1", "Suchen", "1"), Entry("1.2", "Alt", "1")]
    newer = [
        Entry("1", "Suchen", None),
        Entry("1.1", "Suchen und Filtern", "1"),
        Entry("1.3", "Neu", "1"),
    ]
    difference = compare(older, newer)
    assert [e.code for e in difference.added] == ["1.3"]
    assert [e.code for e in difference.removed] == ["1.2"]
    assert [(b.code, fields) for b, _a, fields in difference.changed] == [("1.1", ["title"])]


def test_moving_a_competence_is_a_change_of_parent():
    difference = compare([Entry("2.1", "X", "2")], [Entry("2.1", "X", "3")])
    assert difference.changed[0][2] == ["parent_code"]


def test_same_tree_has_no_difference():
    tree = [Entry("1", "A", None), Entry("1.1", "B", "1", "text")]
    assert compare(tree, list(tree)).empty
