"""Which reminders are due on a day: expiring completions and overdue courses (pure)."""

from datetime import date, timedelta

import pytest

from app.courses import rules
from app.courses.reminders import EnrolmentFacts, Reminder, select

TODAY = date(2026, 11, 23)


def facts(enrolment_id=1, **fields):
    values = {
        "enrolment_id": enrolment_id,
        "user_id": 10 + enrolment_id,
        "course_id": 100 + enrolment_id,
        "course_title": f"Kurs {enrolment_id}",
    }
    return EnrolmentFacts(**(values | fields))


def completed(expires_in_days, **fields):
    return facts(completed=True, expires_on=TODAY + timedelta(days=expires_in_days), **fields)


@pytest.mark.parametrize(("days", "reminded"), [(-1, False), (0, True), (30, True), (31, False)])
def test_a_completion_expiring_within_30_days_gets_a_reminder(days, reminded):
    expiring = [r for r in select([completed(days)], TODAY) if r.kind == "expiring"]
    assert bool(expiring) is reminded


def test_the_expiring_reminder_names_course_person_and_last_day():
    last_day = TODAY + timedelta(days=rules.EXPIRING_DAYS)
    assert select([completed(rules.EXPIRING_DAYS)], TODAY) == [
        Reminder(
            key=f"expiring:1:{last_day.isoformat()}",
            user_id=11,
            kind="expiring",
            course_id=101,
            course_title="Kurs 1",
            day=last_day,
        )
    ]


def test_a_completion_without_expiry_never_gets_a_reminder():
    assert select([facts(completed=True, due_on=TODAY - timedelta(days=90))], TODAY) == []


def test_overdue_from_the_day_after_the_due_date():
    due_yesterday = facts(due_on=TODAY - timedelta(days=1))
    due_today = facts(2, due_on=TODAY)
    assert [(r.kind, r.key) for r in select([due_yesterday, due_today], TODAY)] == [
        ("overdue", "overdue:1:2026-11-22")
    ]


def test_an_open_course_without_due_date_is_never_overdue():
    assert select([facts()], TODAY) == []


def test_an_expired_completion_is_overdue_from_the_day_after_it_ended():
    ended_yesterday = completed(-1)
    ended_long_ago = completed(-200, enrolment_id=2)
    assert [(r.kind, r.key, r.day) for r in select([ended_yesterday, ended_long_ago], TODAY)] == [
        ("overdue", "overdue:1:2026-11-23", TODAY),
        ("overdue", "overdue:2:2026-05-08", date(2026, 5, 8)),
    ]


def test_an_expired_completion_with_a_new_later_due_date_waits_for_that_date():
    renewal_due = TODAY + timedelta(days=10)
    assert select([completed(-5, due_on=renewal_due)], TODAY) == []
    later = renewal_due + timedelta(days=1)
    assert [r.key for r in select([completed(-5, due_on=renewal_due)], later)] == [
        f"overdue:1:{renewal_due.isoformat()}"
    ]


def test_an_old_due_date_of_the_first_round_does_not_date_the_overdue_reminder():
    # Due in spring, completed, expired yesterday: overdue since today, not since spring.
    round_one = completed(-1, due_on=date(2025, 3, 1))
    assert [r.key for r in select([round_one], TODAY)] == ["overdue:1:2026-11-23"]


def test_a_completion_that_still_counts_is_not_overdue_whatever_its_due_date():
    assert [r.kind for r in select([completed(90, due_on=TODAY - timedelta(days=9))], TODAY)] == []


def test_selection_agrees_with_the_status_of_the_course():
    cases = [completed(days) for days in (-40, -1, 0, 1, 29)] + [
        facts(due_on=TODAY + timedelta(days=days)) for days in (-3, -1, 0, 5)
    ]
    for case in cases:
        kinds = [r.kind for r in select([case], TODAY)]
        status = rules.status(
            TODAY,
            due_on=case.due_on,
            completed_on=TODAY if case.completed else None,
            valid_until=case.expires_on,
        )
        assert kinds == ([status] if status in ("expiring", "overdue") else []), case


def test_unpublished_courses_and_inactive_people_get_no_reminders():
    assert select([completed(3, course_published=False)], TODAY) == []
    assert select([facts(due_on=TODAY - timedelta(days=3), user_active=False)], TODAY) == []


def test_keys_are_stable_and_a_later_round_gets_its_own():
    first = select([completed(10)], TODAY)
    assert select([completed(10)], TODAY + timedelta(days=5)) == first
    next_round = select([completed(370)], TODAY + timedelta(days=360))
    assert next_round[0].key != first[0].key
    overdue = facts(due_on=TODAY - timedelta(days=2))
    assert select([overdue], TODAY) == select([overdue], TODAY + timedelta(days=30))


def test_one_reminder_per_enrolment_in_the_order_given():
    chosen = select(
        [facts(3, due_on=TODAY - timedelta(days=1)), completed(4, enrolment_id=1), facts(2)], TODAY
    )
    assert [(r.user_id, r.kind) for r in chosen] == [(13, "overdue"), (11, "expiring")]
