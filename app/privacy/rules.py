"""Retention periods as plain data: the kinds, their defaults and limits, checking the values
an admin enters, and the cut-off moment of each kind. Pure: no Flask, no database."""

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.messages import N_


@dataclass(frozen=True)
class Kind:
    key: str  # the setting's key, e.g. "attempts_months"
    unit: str  # "months" or "days"
    default: int
    low: int
    high: int


# What is kept for a limited time; everything else lives as long as the account (see the
# record of processing activities, app/privacy/processing.py).
KINDS = (
    # Answers given in finished quiz attempts; the attempt's result (score, passed) stays.
    Kind("attempts_months", "months", 12, 1, 120),
    # Lesson-by-lesson progress of finished course rounds; completions stay.
    Kind("progress_days", "days", 90, 1, 3650),
    # Audit log entries (who did or viewed what).
    Kind("audit_months", "months", 24, 1, 120),
    # Course feedback: survey answers (anonymous, kept by day).
    Kind("feedback_months", "months", 24, 1, 120),
)
BY_KEY = {kind.key: kind for kind in KINDS}
DEFAULTS = {kind.key: kind.default for kind in KINDS}


def check(values):
    """(periods, problems): the values as whole numbers, and [(key, message)] for every value
    that is missing, not a whole number, or outside its kind's limits."""
    periods, problems = {}, []
    for kind in KINDS:
        value = values.get(kind.key)
        if isinstance(value, str):
            value = value.strip()
            value = int(value) if value.isdigit() else value
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append((kind.key, N_("Please enter a whole number.")))
        elif not kind.low <= value <= kind.high:
            message = (
                N_("Enter %(low)d to %(high)d months.", low=kind.low, high=kind.high)
                if kind.unit == "months"
                else N_("Enter %(low)d to %(high)d days.", low=kind.low, high=kind.high)
            )
            problems.append((kind.key, message))
        else:
            periods[kind.key] = value
    return periods, problems


def months_before(moment, months):
    """The same moment `months` calendar months earlier; the 31st becomes the month's last day."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def cutoff(kind, period, now):
    """Rows of this kind from before the returned moment are past their time."""
    if kind.unit == "months":
        return months_before(now, period)
    return now - timedelta(days=period)


def cutoffs(periods, now: datetime):
    """{key: moment} for every kind, from the periods ({key: number})."""
    return {kind.key: cutoff(kind, periods[kind.key], now) for kind in KINDS}
