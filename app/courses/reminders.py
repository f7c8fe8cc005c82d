"""Which reminders are due on a day: completions about to expire and overdue courses, as
plain functions on plain data (the nightly `flask courses reminders` queues them)."""

from dataclasses import dataclass
from datetime import date, timedelta

from app.courses.rules import EXPIRING_DAYS

EXPIRING = "expiring"
OVERDUE = "overdue"


@dataclass(frozen=True)
class EnrolmentFacts:
    """What the selection needs to know of one enrolment, its course and its person."""

    enrolment_id: int
    user_id: int
    course_id: int
    course_title: str
    due_on: date | None = None
    completed: bool = False  # the current round is completed
    expires_on: date | None = None  # last day the current completion counts
    course_published: bool = True
    user_active: bool = True


@dataclass(frozen=True)
class Reminder:
    """One thing to tell one person. `key` names it for good: the same completion or the
    same missed due date always gives the same key, a later round a new one.

    day: for "expiring" the last day the completion counts; for "overdue" the due date
    that passed, or for an expired completion the first day without it."""

    key: str
    user_id: int
    kind: str
    course_id: int
    course_title: str
    day: date


def select(enrolments, today):
    """The reminders due on `today`, in the order of the enrolments given.

    - expiring: a completion whose last day lies within [today, today + EXPIRING_DAYS];
    - overdue: not completed (or the completion has expired) and the due date has passed;
      an expired completion counts as due from the day after it ended, unless a later due
      date was set for the new round (as rules.status decides).
    Only published courses and active people get reminders."""
    horizon = today + timedelta(days=EXPIRING_DAYS)
    reminders = []
    for facts in enrolments:
        if not (facts.course_published and facts.user_active):
            continue
        reminder = _expiring(facts, today, horizon) or _overdue(facts, today)
        if reminder is not None:
            reminders.append(reminder)
    return reminders


def _expiring(facts, today, horizon):
    if facts.completed and facts.expires_on is not None and today <= facts.expires_on <= horizon:
        return _reminder(EXPIRING, facts, facts.expires_on)
    return None


def _overdue(facts, today):
    if facts.completed and (facts.expires_on is None or facts.expires_on >= today):
        return None  # the completion still counts
    due = facts.due_on
    if facts.completed:  # it has expired: the course is due again from the next day
        lapsed = facts.expires_on + timedelta(days=1)
        if due is None or due < lapsed:
            return _reminder(OVERDUE, facts, lapsed)
    if due is not None and due < today:
        return _reminder(OVERDUE, facts, due)
    return None


def _reminder(kind, facts, day):
    return Reminder(
        key=f"{kind}:{facts.enrolment_id}:{day.isoformat()}",
        user_id=facts.user_id,
        kind=kind,
        course_id=facts.course_id,
        course_title=facts.course_title,
        day=day,
    )
