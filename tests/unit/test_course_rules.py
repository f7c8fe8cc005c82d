"""Completion, expiry, prerequisites and status of a person's course: the pure rules."""

from datetime import date

import pytest

from app.courses import rules

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("completed", "months", "last_day"),
    [
        (date(2026, 1, 15), 12, date(2027, 1, 14)),
        (date(2026, 1, 31), 1, date(2026, 2, 27)),  # no 31 February: the month's last day
        (date(2024, 2, 29), 12, date(2025, 2, 27)),  # leap day
        (date(2026, 11, 30), 3, date(2027, 2, 27)),
        (date(2026, 5, 1), 24, date(2028, 4, 30)),
        (date(2026, 5, 1), None, None),
    ],
)
def test_expiry(completed, months, last_day):
    assert rules.expires_on(completed, months) == last_day


def test_completion_needs_every_lesson_and_the_quiz_when_there_is_one():
    assert rules.is_complete({1, 2}, {1, 2})
    assert rules.is_complete({1, 2}, {1, 2, 7})  # a lesson removed since counts for nothing
    assert not rules.is_complete({1, 2}, {1})
    assert not rules.is_complete(set(), set())  # an empty course completes nothing
    assert not rules.is_complete({1}, {1}, needs_quiz=True)
    assert rules.is_complete({1}, {1}, needs_quiz=True, quiz_passed=True)
    assert rules.is_complete(set(), set(), needs_quiz=True, quiz_passed=True)


def test_progress_counts_only_lessons_of_the_course():
    assert rules.progress({1, 2, 3, 4}, {1, 2, 9}) == (2, 4, 50)
    assert rules.progress(set(), {1}) == (0, 0, 0)


def test_missing_prerequisites_name_courses_and_competences():
    missing = rules.missing_prerequisites(
        [(1, "Urheberrecht"), (2, "Netiquette")],
        {2},
        [("3.3", "Rechtliche Vorgaben beachten", 2), ("2.4", "Netiquette", 1)],
        {"3.3": 1, "2.4": 3},
    )
    assert missing == [
        rules.MissingCourse(1, "Urheberrecht"),
        rules.MissingCompetence("3.3", "Rechtliche Vorgaben beachten", 2, 1),
    ]
    assert rules.missing_prerequisites([], set(), [], {}) == []


@pytest.mark.parametrize(
    ("due", "completed", "valid_until", "expected"),
    [
        (None, None, None, "open"),
        (date(2027, 1, 31), None, None, "open"),
        (date(2026, 12, 7), None, None, "due_soon"),  # exactly 14 days ahead
        (date(2026, 12, 8), None, None, "open"),
        (TODAY, None, None, "due_soon"),  # due today is not yet overdue
        (date(2026, 11, 22), None, None, "overdue"),
        (date(2026, 11, 1), date(2026, 10, 1), None, "done"),  # done late is done
        (None, date(2026, 1, 1), date(2026, 12, 31), "done"),  # 38 days left
        (None, date(2026, 1, 1), date(2026, 12, 22), "expiring"),  # 29 days left
        (None, date(2026, 1, 1), date(2026, 12, 23), "expiring"),  # 30 days: reminded too
        (None, date(2026, 1, 1), date(2026, 12, 24), "done"),
        (None, date(2025, 11, 23), TODAY, "expiring"),  # the last day still counts
        (None, date(2025, 11, 1), date(2026, 11, 22), "overdue"),  # expired yesterday
        (date(2027, 1, 1), date(2025, 11, 1), date(2026, 11, 22), "open"),  # a new due date
    ],
)
def test_status(due, completed, valid_until, expected):
    assert rules.status(TODAY, due, completed, valid_until) == expected
