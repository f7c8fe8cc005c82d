"""Facility, discrimination and answer counts of quiz items."""

import pytest

from app.assessments.statistics import ItemResult, correlation, item_statistics


def test_correlation():
    assert correlation([0, 1, 2], [0, 2, 4]) == pytest.approx(1.0)
    assert correlation([0, 1, 2], [4, 2, 0]) == pytest.approx(-1.0)
    assert correlation([1, 1, 1], [0, 1, 2]) is None  # no variance
    assert correlation([1], [1]) is None


def _results(rows):
    return [
        ItemResult(attempt, question, fraction, 1.0, chosen)
        for attempt, question, fraction, chosen in rows
    ]


def test_an_item_the_strong_get_right_discriminates():
    rows = []
    # Four attempts: strong ones (1, 2) get question 1 and the rest right, weak ones not.
    for attempt, strong in ((1, True), (2, True), (3, False), (4, False)):
        rows.append((attempt, 1, 1.0 if strong else 0.0, (0,) if strong else (1,)))
        rows.append((attempt, 2, 1.0 if strong else 0.0, ()))
        rows.append((attempt, 3, 1.0 if attempt != 3 else 0.0, ()))
    stats = {s.question_id: s for s in item_statistics(_results(rows))}
    assert stats[1].attempts == 4 and stats[1].facility == 50.0
    assert stats[1].discrimination > 0.8
    assert stats[1].choices == {0: 2, 1: 2}
    assert stats[3].facility == 75.0


def test_an_item_everybody_gets_right_has_no_discrimination():
    rows = [(a, 1, 1.0, ()) for a in (1, 2, 3)] + [(a, 2, a / 3, ()) for a in (1, 2, 3)]
    stats = {s.question_id: s for s in item_statistics(_results(rows))}
    assert stats[1].facility == 100.0 and stats[1].discrimination is None


def test_the_item_does_not_correlate_with_itself():
    """With only one item the rest of the test is always 0: nothing to correlate with."""
    rows = [(1, 1, 1.0, ()), (2, 1, 0.0, ())]
    (only,) = item_statistics(_results(rows))
    assert only.discrimination is None and only.facility == 50.0
