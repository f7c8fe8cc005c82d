"""Training projects: create, change and delete them, save the activity table, import and
export networks. Each use case checks everything first, then writes and commits once;
bad input raises DomainError naming the field or the row."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, lazyload, selectinload

from app.accounts.models import User, utcnow
from app.courses.models import Course
from app.errors import DomainError
from app.extensions import db
from app.messages import translated
from app.projects import closures as closure_text
from app.projects import mspdi, network, predecessors, scheduling
from app.projects.calendar import STATES
from app.projects.models import ProjectActivity, ProjectLink, TrainingProject
from app.projects.planning import calendar_for, deadline_date, deadline_point, project_calendar

EDITORS = ("trainer", "admin")
MAX_DURATION = 10_000  # working days: forty years is no training measure


def may_plan(user):
    """Trainers and admins plan training projects; None is the command line."""
    return user is None or user.has_role(*EDITORS)


def get_project(user, project_id):
    """The project with its activities (their people and courses) and links, in a fixed
    number of queries; None when it does not exist or the person may not plan projects."""
    if not may_plan(user):
        return None
    return db.session.scalar(
        select(TrainingProject)
        .where(TrainingProject.id == project_id)
        .options(
            selectinload(TrainingProject.activities).options(
                # Only the person's name and address are shown: none of its own relations.
                joinedload(ProjectActivity.responsible).options(
                    lazyload(User.role_rows), lazyload(User.department), lazyload(User.job_role)
                ),
                joinedload(ProjectActivity.course),
            ),
            selectinload(TrainingProject.links),
        )
    )


def project_list():
    """[(project, number of activities)], the latest change first."""
    counts = (
        select(ProjectActivity.project_id, func.count().label("n"))
        .group_by(ProjectActivity.project_id)
        .subquery()
    )
    return db.session.execute(
        select(TrainingProject, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.project_id == TrainingProject.id)
        .order_by(TrainingProject.updated_at.desc(), TrainingProject.id.desc())
    ).all()


def media_concept_projects():
    """The projects that are planned measures of the Medienkonzept, by start date."""
    return db.session.scalars(
        select(TrainingProject)
        .where(TrainingProject.in_media_concept.is_(True))
        .order_by(TrainingProject.start_on, TrainingProject.name)
    ).all()


# ---- the project and its calendar


@dataclass
class ProjectData:
    name: str
    start_on: date
    goal: str = ""
    deadline_on: date | None = None
    weekdays: tuple = (0, 1, 2, 3, 4)
    state: str = "NW"
    closures: list = field(default_factory=list)  # [(first, last, label)]
    in_media_concept: bool = False


def check_project(data):
    name = " ".join((data.name or "").split())
    if not name:
        raise DomainError(_("The name is missing."), where="name")
    if len(name) > 200:
        raise DomainError(_("The name is longer than 200 characters."), where="name")
    if data.start_on is None:
        raise DomainError(_("The start date is missing."), where="start_on")
    if not data.weekdays or not set(data.weekdays) <= set(range(7)):
        raise DomainError(_("Choose at least one working day of the week."), where="weekdays")
    if data.state not in STATES:
        raise DomainError(_("Choose a federal state."), where="state")
    if data.deadline_on is not None and data.deadline_on < data.start_on:
        raise DomainError(_("The deadline lies before the start."), where="deadline_on")
    for first, last, _label in data.closures:
        if last < first:
            raise DomainError(_("A closure ends before it begins."), where="closures")
    return name


def apply_settings(project, data, name):
    project.name = name
    project.goal = (data.goal or "").strip()
    project.start_on = data.start_on
    project.deadline_on = data.deadline_on
    project.weekdays = "".join(str(day) for day in sorted(set(data.weekdays)))
    project.state = data.state
    project.closures = closure_text.to_json(sorted(data.closures))
    project.in_media_concept = bool(data.in_media_concept)
    project.updated_at = utcnow()


def create_project(actor, data):
    name = check_project(data)
    project = TrainingProject(created_by_id=actor.id if actor else None)
    apply_settings(project, data, name)
    db.session.add(project)
    db.session.commit()
    return project


def update_project(actor, project, data):
    name = check_project(data)
    apply_settings(project, data, name)
    db.session.commit()


def delete_project(actor, project):
    db.session.delete(project)
    db.session.commit()


def project_data(project):
    """The project's settings as ProjectData (for forms and copies)."""
    return ProjectData(
        name=project.name,
        start_on=project.start_on,
        goal=project.goal,
        deadline_on=project.deadline_on,
        weekdays=tuple(int(day) for day in project.weekdays),
        state=project.state,
        closures=closure_text.from_json(project.closures),
        in_media_concept=project.in_media_concept,
    )


# ---- the activity table


@dataclass
class TableRow:
    """One row of the editor as typed: numbers are still text."""

    key: str = ""
    name: str = ""
    duration: str = ""
    predecessors: str = ""
    responsible: str = ""  # an e-mail address
    course_id: int | None = None
    notes: str = ""
    remove: bool = False

    def is_blank(self):
        return not any(
            (self.key.strip(), self.name.strip(), self.duration.strip(), self.predecessors.strip())
        )


def parse_days(text):
    """A number of working days typed with a decimal comma or point; None when it is none."""
    text = (text or "").strip().replace(",", ".").replace("\u2212", "-")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return None
    return float(text)


def _check_rows(rows, people, courses):
    """(kept rows with their parsed values, problems [(row index, message)])."""
    problems, kept, keys = [], [], {}
    for index, row in enumerate(rows):
        if row.remove or row.is_blank():
            continue
        key = row.key.strip()
        if not key:
            problems.append((index, _("The number (Nr.) is missing.")))
            continue
        if not predecessors.KEY.fullmatch(key):
            problems.append(
                (
                    index,
                    _(
                        "The number %(key)s may hold letters, digits, “_” and “.” only "
                        "(at most 20).",
                        key=key,
                    ),
                )
            )
            continue
        if key in keys:
            problems.append((index, _("The number %(key)s is used twice.", key=key)))
            continue
        keys[key] = index
        kept.append((index, row, key))
    checked = []
    for index, row, key in kept:
        name = " ".join(row.name.split())
        duration = parse_days(row.duration)
        responsible = None
        message = None
        if not name:
            message = _("The name of activity %(key)s is missing.", key=key)
        elif len(name) > 200:
            message = _("The name is longer than 200 characters.")
        elif duration is None:
            message = _("The duration must be a number of working days, e.g. 3 or 0,5.")
        elif not 0 <= duration <= MAX_DURATION:
            message = _("The duration must lie between 0 and 10,000 working days.")
        elif row.responsible.strip():
            responsible = people.get(row.responsible.strip().lower())
            if responsible is None:
                message = _("No person has the e-mail address %(email)s.", email=row.responsible)
        if message is None and row.course_id and row.course_id not in courses:
            message = _("The course does not exist.")
        links = []
        if message is None:
            try:
                links = predecessors.parse(row.predecessors, keys, own_id=key)
            except predecessors.PredecessorError as error:
                message = translated(error.message)
        if message is None and len(row.notes) > 5000:
            message = _("The notes are longer than 5,000 characters.")
        if message:
            problems.append((index, message))
            continue
        checked.append((index, row, key, name, duration, responsible, links))
    return checked, problems


def _people_by_email(rows):
    emails = {row.responsible.strip().lower() for row in rows if row.responsible.strip()}
    if not emails:
        return {}
    found = db.session.scalars(select(User).where(func.lower(User.email).in_(emails)))
    return {user.email.lower(): user for user in found}


def _course_ids(rows):
    wanted = {row.course_id for row in rows if row.course_id}
    if not wanted:
        return set()
    return set(db.session.scalars(select(Course.id).where(Course.id.in_(wanted))))


def _cycle_problem(checked):
    activities = [scheduling.Activity(key, duration) for _i, _r, key, _n, duration, *_ in checked]
    links = [
        scheduling.Link(source, key, kind, lag)
        for _i, _r, key, _n, _d, _p, found in checked
        for source, kind, lag in found
    ]
    for problem in scheduling.validate(activities, links):
        if problem.startswith("cycle: "):
            cycle = problem.removeprefix("cycle: ")
            first = cycle.split(" -> ")[0]
            index = next(i for i, _r, key, *_ in checked if key == first)
            cycle = cycle.replace(" -> ", " → ")
            return index, _("The predecessors form a cycle: %(cycle)s.", cycle=cycle)
        return checked[0][0], problem
    return None


def save_table(actor, project, rows):
    """Replace the project's activities and links with the rows of the editor: rows left
    blank are ignored; rows marked remove, and activities no row names, are deleted.
    Nothing is saved when any row is bad: DomainError with problems [(row index, message)]."""
    checked, problems = _check_rows(rows, _people_by_email(rows), _course_ids(rows))
    if not problems and checked:
        cycle = _cycle_problem(checked)
        if cycle:
            problems.append(cycle)
    if problems:
        raise DomainError(
            _("Nothing was saved: please correct the marked rows."), problems=problems
        )

    # Rows are matched to stored activities by their number; a number no row names any
    # more (removed, or renamed) is deleted with its links.
    existing = {activity.key: activity for activity in project.activities}
    stored = {}
    for position, (_index, row, key, name, duration, responsible, _links) in enumerate(checked):
        activity = existing.pop(key, None)
        if activity is None:
            activity = ProjectActivity(key=key)
            project.activities.append(activity)
        activity.name, activity.duration = name, duration
        activity.responsible = responsible
        activity.course_id = row.course_id or None
        activity.notes = row.notes.strip()
        activity.position = position
        stored[key] = activity
    for activity in existing.values():
        project.activities.remove(activity)
    _set_links(
        project,
        [
            (stored[source], stored[key], kind, lag)
            for _i, _r, key, _n, _d, _p, found in checked
            for source, kind, lag in found
        ],
    )
    project.updated_at = utcnow()
    db.session.commit()


def _set_links(project, wanted):
    """Make the project's links those of `wanted` [(source, target, type, lag)], keeping a
    row where the pair is linked already (the pair is unique)."""
    current = {(link.source, link.target): link for link in project.links}
    links = []
    for source, target, kind, lag in wanted:
        link = current.pop((source, target), None) or ProjectLink(source=source, target=target)
        link.type, link.lag = kind, float(lag)
        links.append(link)
    project.links = links


def predecessor_texts(project, language):
    """{activity id: its predecessors as the editor writes them}."""
    found = {}
    keys = {activity.id: activity.key for activity in project.activities}
    for link in project.links:
        found.setdefault(link.target_id, []).append((keys[link.source_id], link.type, link.lag))
    return {ident: predecessors.format(items, language) for ident, items in found.items()}


# ---- networks: import and export


def to_network(project):
    """The project as a network.Network (ids are the activities' numbers)."""
    keys = {activity.id: activity.key for activity in project.activities}
    calendar = project_calendar(project)
    deadline = None
    if project.deadline_on is not None:
        deadline = deadline_point(calendar, project.deadline_on)
    return network.Network(
        name=project.name,
        deadline=deadline,
        activities=tuple(
            scheduling.Activity(a.key, a.duration, a.name) for a in project.activities
        ),
        links=tuple(
            scheduling.Link(keys[link.source_id], keys[link.target_id], link.type, link.lag)
            for link in project.links
        ),
        notes={a.key: a.notes for a in project.activities if a.notes},
        start=datetime.combine(calendar.day(0), datetime.min.time()),
    )


def export_json(project):
    """The network JSON of the project (what import reads back), with its calendar."""
    data = network.dump(to_network(project))
    data["start"] = project.start_on.isoformat()
    data["calendar"] = {
        "weekdays": [int(day) for day in project.weekdays],
        "state": project.state,
        "closures": project.closures,
    }
    if project.goal:
        data["goal"] = project.goal
    return data


def export_mspdi(project):
    found = to_network(project)
    return mspdi.write(found, start=found.start)


def _network_problems(found):
    problems = []
    for position, activity in enumerate(found.activities):
        where = f"activities[{position}]"
        if not predecessors.KEY.fullmatch(activity.id):
            problems.append(
                (
                    where,
                    _(
                        "The id %(id)s may hold letters, digits, “_” and “.” only (at most 20).",
                        id=activity.id,
                    ),
                )
            )
        if len(activity.name) > 200:
            problems.append((where, _("The name is longer than 200 characters.")))
        if activity.duration > MAX_DURATION:
            problems.append((where, _("The duration must lie between 0 and 10,000 working days.")))
    pairs = set()
    for position, link in enumerate(found.links):
        if (link.source, link.target) in pairs:
            problems.append(
                (
                    f"links[{position}]",
                    _(
                        "%(source)s and %(target)s are linked twice.",
                        source=link.source,
                        target=link.target,
                    ),
                )
            )
        pairs.add((link.source, link.target))
    return problems


def imported_settings(found, extra=None, today=None):
    """ProjectData for a network from a file; `extra`: the JSON's own keys (calendar, goal)."""
    extra = extra or {}
    calendar = extra.get("calendar") if isinstance(extra.get("calendar"), dict) else {}
    start = found.start.date() if found.start else (today or date.today())
    weekdays = calendar.get("weekdays", [0, 1, 2, 3, 4])
    if not (
        isinstance(weekdays, list)
        and weekdays
        and all(isinstance(d, int) and 0 <= d <= 6 for d in weekdays)
    ):
        raise DomainError(
            _("The calendar's weekdays are not numbers from 0 to 6."), where="calendar"
        )
    state = calendar.get("state", "NW")
    if state not in STATES:
        raise DomainError(_("Unknown federal state %(state)s.", state=state), where="calendar")
    try:
        closures = closure_text.from_json(calendar.get("closures", []))
    except (TypeError, ValueError, KeyError, AttributeError):
        raise DomainError(_("The calendar's closures are not readable."), where="calendar")
    goal = extra.get("goal", "")
    name = found.name.strip() or _("Imported project")
    data = ProjectData(
        name=name[:200],
        start_on=start,
        goal=goal if isinstance(goal, str) else "",
        weekdays=tuple(weekdays),
        state=state,
        closures=closures,
    )
    if found.deadline is not None:
        cal = calendar_for(start, data.weekdays, state, closures, points=found.deadline)
        data.deadline_on = deadline_date(cal, found.deadline)
    return data


def import_network(actor, found, extra=None):
    """A new project from a network.Network; all or nothing."""
    problems = _network_problems(found)
    if problems:
        raise DomainError(_("The file cannot be imported."), problems=problems)
    data = imported_settings(found, extra)
    name = check_project(data)
    project = TrainingProject(created_by_id=actor.id if actor else None)
    apply_settings(project, data, name)
    db.session.add(project)
    activities = {}
    for position, item in enumerate(found.activities):
        activities[item.id] = ProjectActivity(
            key=item.id,
            name=" ".join(item.name.split()),
            duration=float(item.duration),
            notes=found.notes.get(item.id, ""),
            position=position,
        )
    project.activities = list(activities.values())
    project.links = [
        ProjectLink(
            source=activities[link.source],
            target=activities[link.target],
            type=link.type,
            lag=float(link.lag),
        )
        for link in found.links
    ]
    db.session.commit()
    return project


def read_file(data):
    """(network, the JSON's own keys) of an uploaded file, or DomainError with every problem;
    a JSON file may carry the project's calendar and goal beside the network."""
    import json

    from app.projects import exchange

    try:
        found = exchange.read(data)
    except exchange.FILE_ERRORS as error:
        raise DomainError(
            _("The file cannot be imported."), problems=[("", p) for p in error.problems]
        )
    extra = {}
    if not exchange.is_xml(data):
        loaded = json.loads(bytes(data).decode("utf-8-sig"))
        extra = {key: loaded[key] for key in ("calendar", "goal") if key in loaded}
    problems = _network_problems(found)
    if problems:
        raise DomainError(_("The file cannot be imported."), problems=problems)
    imported_settings(found, extra)  # the calendar it carries must be readable too
    return found, extra


def preview(found, extra=None, language="de"):
    """What an import would create: its settings and each activity with its schedule."""
    data = imported_settings(found, extra)
    incoming = {}
    for link in found.links:
        incoming.setdefault(link.target, []).append((link.source, link.type, link.lag))
    result = scheduling.schedule(found.activities, found.links, found.deadline)
    calendar = calendar_for(
        data.start_on, data.weekdays, data.state, data.closures, points=result.duration
    )
    rows = [
        {
            "key": activity.id,
            "name": activity.name,
            "duration": activity.duration,
            "predecessors": predecessors.format(incoming.get(activity.id, []), language),
            "timing": result.timings[activity.id],
            "es_date": calendar.start_date(result.timings[activity.id].es),
            "ef_date": calendar.finish_date(
                result.timings[activity.id].ef, result.timings[activity.id].es
            ),
        }
        for activity in found.activities
    ]
    return {"settings": data, "rows": rows, "links": len(found.links), "duration": result.duration}
