"""Retention periods: checking what an admin enters, and the cut-off moment of each kind."""

from datetime import datetime

from app.privacy import rules


def test_good_values_become_whole_numbers():
    periods, problems = rules.check(
        {
            "attempts_months": "6",
            "progress_days": " 30 ",
            "audit_months": 24,
            "feedback_months": "1",
        }
    )
    assert problems == []
    assert periods == {"attempts_months": 6, "progress_days": 30, "audit_months": 24,
                       "feedback_months": 1}  # fmt: skip


def test_every_bad_value_is_named():
    _periods, problems = rules.check(
        {
            "attempts_months": "0",
            "progress_days": "3651",
            "audit_months": "zwei",
            "feedback_months": "-1",
        }
    )
    assert problems == [
        ("attempts_months", "Enter 1 to 120 months."),
        ("progress_days", "Enter 1 to 3650 days."),
        ("audit_months", "Please enter a whole number."),
        ("feedback_months", "Please enter a whole number."),
    ]
    _periods, problems = rules.check({})
    assert [key for key, _message in problems] == [kind.key for kind in rules.KINDS]
    _periods, problems = rules.check({**rules.DEFAULTS, "audit_months": True})
    assert problems == [("audit_months", "Please enter a whole number.")]


def test_months_are_calendar_months_and_the_31st_becomes_the_months_last_day():
    assert rules.months_before(datetime(2026, 11, 23, 12, 30), 6) == datetime(2026, 5, 23, 12, 30)
    assert rules.months_before(datetime(2026, 3, 31, 8, 0), 1) == datetime(2026, 2, 28, 8, 0)
    assert rules.months_before(datetime(2028, 3, 31), 1) == datetime(2028, 2, 29)
    assert rules.months_before(datetime(2026, 1, 15), 13) == datetime(2024, 12, 15)


def test_each_kind_has_its_cut_off():
    now = datetime(2026, 11, 23, 3, 0)
    cutoffs = rules.cutoffs(
        {"attempts_months": 12, "progress_days": 90, "audit_months": 24, "feedback_months": 1}, now
    )
    assert cutoffs == {
        "attempts_months": datetime(2025, 11, 23, 3, 0),
        "progress_days": datetime(2026, 8, 25, 3, 0),
        "audit_months": datetime(2024, 11, 23, 3, 0),
        "feedback_months": datetime(2026, 10, 23, 3, 0),
    }
