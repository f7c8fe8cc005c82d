"""The rules of learning as plain functions: completion, expiry, prerequisites and the
status of a person's course (open, due soon, overdue, done, expiring)."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

DUE_SOON_DAYS = 14  # an open course due within this many days is "due soon"
EXPIRING_DAYS = 30  # a completion ending within this many days is "expiring"

STATUSES = ("open", "due_soon", "overdue", "done", "expiring")


def add_months(day, months):
    """The same day `months` later; the last day of the month when that month is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expires_on(completed_on, validity_months):
    """The last day a completion counts; None when it does not expire. Completed on
    15.01.2026 with 12 months of validity, it counts up to and including 14.01.2027."""
    if not validity_months:
        return None
    return add_months(completed_on, validity_months) - timedelta(days=1)


def is_complete(lesson_ids, done_ids, needs_quiz=False, quiz_passed=False):
    """All lessons of the published course done, and its final quiz passed if it has one.
    A course without lessons is complete only through its quiz."""
    lesson_ids = set(lesson_ids)
    if not lesson_ids and not needs_quiz:
        return False
    return lesson_ids <= set(done_ids) and (quiz_passed or not needs_quiz)


def progress(lesson_ids, done_ids):
    """(done, total, percent) of a course's lessons."""
    lesson_ids = set(lesson_ids)
    done = len(lesson_ids & set(done_ids))
    total = len(lesson_ids)
    return done, total, round(100 * done / total) if total else 0


@dataclass(frozen=True)
class MissingCourse:
    course_id: int
    title: str


@dataclass(frozen=True)
class MissingCompetence:
    code: str
    title: str
    level: int
    held: int


def missing_prerequisites(required_courses, completed, required_competences, held):
    """What a person lacks before enrolling.

    required_courses: [(course id, title)]; completed: ids of courses whose completion
    counts today; required_competences: [(code, title, level)]; held: {code: level}.
    Returns [MissingCourse | MissingCompetence] in the order given."""
    missing = [
        MissingCourse(course_id, title)
        for course_id, title in required_courses
        if course_id not in completed
    ]
    missing += [
        MissingCompetence(code, title, level, held.get(code, 0))
        for code, title, level in required_competences
        if held.get(code, 0) < level
    ]
    return missing


def status(today, due_on=None, completed_on=None, valid_until=None):
    """The status of one person's course on a day.

    - done: completed, and the completion counts for more than EXPIRING_DAYS;
    - expiring: completed, and the completion ends within EXPIRING_DAYS (the reminders
      use the same window);
    - overdue: not completed (or the completion has expired) and the due date has passed;
      an expired completion without a due date is overdue from the day after it ended;
    - due_soon: not completed, due within DUE_SOON_DAYS;
    - open: anything else."""
    if completed_on is not None and (valid_until is None or valid_until >= today):
        if valid_until is not None and (valid_until - today).days <= EXPIRING_DAYS:
            return "expiring"
        return "done"
    if completed_on is not None and valid_until is not None and valid_until < today:
        due_on = max(due_on, valid_until) if due_on else valid_until
    if due_on is not None and due_on < today:
        return "overdue"
    if due_on is not None and (due_on - today).days <= DUE_SOON_DAYS:
        return "due_soon"
    return "open"
