"""A training project's plan: its working-day calendar, the schedule (DIN 69900) and the
rows with dates that the table, the charts and the PDF show."""

import math
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from app.projects import closures as closure_text
from app.projects import predecessors, scheduling
from app.projects.calendar import WorkingCalendar, german_holidays
from app.projects.charts import Arrow, Row


@lru_cache(maxsize=64)
def _holidays(state, first_year, last_year):
    return german_holidays(state, range(first_year, last_year + 1))


def calendar_for(start, weekdays, state, closures, until=None, points=0.0):
    """The WorkingCalendar of a project starting on `start`, with the public holidays of
    every year it reaches: up to the date `until` and to the time point `points`."""
    weekdays = frozenset(int(day) for day in weekdays)
    first_year = start.year - 1  # a missed deadline draws late starts before the start
    last_year = max(start.year + 1, until.year if until else start.year)
    while True:
        calendar = WorkingCalendar(
            start, weekdays, _holidays(state, first_year, last_year), tuple(closures)
        )
        reached = calendar.day(max(math.ceil(points), 0)).year
        if reached <= last_year:
            return calendar
        # Holidays only push dates later: extend until the last point's year is covered.
        last_year = reached + 1


def project_calendar(project, points=0.0):
    return calendar_for(
        project.start_on,
        project.weekdays,
        project.state,
        closure_text.from_json(project.closures),
        until=project.deadline_on,
        points=points,
    )


def deadline_point(calendar, deadline):
    """The time point at which work must be done when the last day worked may be
    `deadline` (a date): the number of working days up to and including it."""
    return float(calendar.index_of(deadline + timedelta(days=1)))


def deadline_date(calendar, point):
    """The last day worked before the time point `point` (the inverse of deadline_point)."""
    return calendar.finish_date(point, 0.0)


@dataclass(frozen=True)
class PlanRow:
    activity_id: int
    key: str
    name: str
    duration: float
    timing: scheduling.Timing
    es_date: date
    ef_date: date
    ls_date: date
    lf_date: date
    responsible: str
    course: str
    predecessors: str
    notes: str


@dataclass(frozen=True)
class Plan:
    rows: list  # [PlanRow] in the project's order
    chart_rows: list  # [charts.Row]
    arrows: list  # [charts.Arrow]
    calendar: WorkingCalendar
    duration: float  # T, working days
    end: float  # E: T, or the deadline when it is earlier
    end_date: date | None
    deadline_point: float | None
    critical_path: list  # numbers of the critical activities by earliest start
    late: bool  # the deadline cannot be met


def plan(project, language="de"):
    """Schedule the project (loaded with its activities and links) on its calendar."""
    keys = {activity.id: activity.key for activity in project.activities}
    activities = [scheduling.Activity(a.key, a.duration, a.name) for a in project.activities]
    links = [
        scheduling.Link(keys[link.source_id], keys[link.target_id], link.type, link.lag)
        for link in project.links
    ]
    calendar = project_calendar(project)
    deadline = None
    if project.deadline_on is not None:
        deadline = deadline_point(calendar, project.deadline_on)
    result = scheduling.schedule(activities, links, deadline)
    calendar = project_calendar(project, points=result.duration)
    texts = {}
    for link in project.links:
        texts.setdefault(link.target_id, []).append((keys[link.source_id], link.type, link.lag))
    rows = []
    for activity in project.activities:
        timing = result.timings[activity.key]
        rows.append(
            PlanRow(
                activity_id=activity.id,
                key=activity.key,
                name=activity.name,
                duration=activity.duration,
                timing=timing,
                es_date=calendar.start_date(timing.es),
                ef_date=calendar.finish_date(timing.ef, timing.es),
                ls_date=calendar.start_date(timing.ls),
                lf_date=calendar.finish_date(timing.lf, timing.ls),
                responsible=activity.responsible.name if activity.responsible else "",
                course=activity.course.title if activity.course else "",
                predecessors=predecessors.format(texts.get(activity.id, []), language),
                notes=activity.notes,
            )
        )
    return Plan(
        rows=rows,
        chart_rows=[Row(r.key, r.name, r.duration, r.timing) for r in rows],
        arrows=[Arrow(link.source, link.target, link.type, link.lag) for link in links],
        calendar=calendar,
        duration=result.duration,
        end=result.end,
        end_date=calendar.finish_date(result.duration, 0.0) if rows else None,
        deadline_point=deadline,
        critical_path=result.critical_ids(),
        late=any(r.timing.total_float < -scheduling.CRITICAL_TOLERANCE for r in rows),
    )
