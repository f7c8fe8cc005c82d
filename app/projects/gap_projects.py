"""From competence gaps to a training project: the courses that close the gaps of a
department or job role (their requirement profiles against the levels held today), linked
by the courses' prerequisites (FS), each as long as its estimated hours (8 hours a day,
rounded up, at least one day)."""

import math
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts import settings
from app.accounts.models import Department, JobRole
from app.courses.models import Course, CourseCompetence, CoursePrerequisite
from app.errors import DomainError
from app.extensions import db
from app.frameworks.models import Competence, Framework
from app.frameworks.profiles import default_framework
from app.mediapass import report_queries
from app.mediapass.gaps import gaps_of
from app.projects.models import ProjectActivity, ProjectLink, TrainingProject
from app.projects.services import ProjectData, apply_settings, check_project

HOURS_PER_DAY = 8


def days_of(hours):
    """Working days of a course: 8 hours a day, rounded up, at least one."""
    return max(1, math.ceil((hours or 0) / HOURS_PER_DAY - 1e-9))


def group_choices():
    """[(value, label)] of the departments and job roles, e.g. ("d-3", "Department: Sales")."""
    departments = db.session.scalars(select(Department).order_by(Department.name)).all()
    roles = db.session.scalars(select(JobRole).order_by(JobRole.name)).all()
    return [(f"d-{d.id}", _("Department: %(name)s", name=d.name)) for d in departments] + [
        (f"j-{r.id}", _("Job role: %(name)s", name=r.name)) for r in roles
    ]


def _group(value):
    kind, _sep, number = (value or "").partition("-")
    model = {"d": Department, "j": JobRole}.get(kind)
    record = db.session.get(model, int(number)) if model and number.isdigit() else None
    if record is None:
        raise DomainError(_("Choose a department or a job role."), where="group")
    return kind, record


def _lowest_held(people):
    """{code: the lowest level held among the people who lack the required level}."""
    lowest = {}
    for person in people:
        for code in gaps_of(person):
            held = person.held.get(code, 0)
            lowest[code] = min(held, lowest.get(code, held))
    return lowest


def _helpful_courses(framework, lowest):
    """Ids of published courses that develop a missing competence above the level held."""
    rows = db.session.execute(
        select(CourseCompetence.course_id, Competence.code, CourseCompetence.level)
        .join(Competence, Competence.id == CourseCompetence.competence_id)
        .join(Framework, Framework.id == Competence.framework_id)
        .join(Course, Course.id == CourseCompetence.course_id)
        .where(Framework.lineage == framework.lineage, Course.status == "published")
    )
    return {course_id for course_id, code, level in rows if code in lowest and level > lowest[code]}


def _with_prerequisites(chosen):
    """The chosen courses and, transitively, the published courses they require; and the
    prerequisite pairs among them."""
    pairs = db.session.execute(
        select(CoursePrerequisite.course_id, CoursePrerequisite.required_course_id)
        .join(Course, Course.id == CoursePrerequisite.required_course_id)
        .where(Course.status == "published")
    ).all()
    required = {}
    for course_id, required_id in pairs:
        required.setdefault(course_id, set()).add(required_id)
    found, stack = set(), list(chosen)
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(required.get(current, ()))
    return found, [(r, c) for c, r in pairs if c in found and r in found]


def _ordered(courses, pairs):
    """Courses with their prerequisites first, else by title (Kahn's order)."""
    waiting = {course.id: 0 for course in courses}
    after = {}
    for required_id, course_id in pairs:
        waiting[course_id] += 1
        after.setdefault(required_id, []).append(course_id)
    by_id = {course.id: course for course in courses}
    ready = sorted((c for c in courses if waiting[c.id] == 0), key=lambda c: c.title.casefold())
    order = []
    while ready:
        course = ready.pop(0)
        order.append(course)
        for following in after.get(course.id, ()):
            waiting[following] -= 1
            if waiting[following] == 0:
                ready.append(by_id[following])
                ready.sort(key=lambda c: c.title.casefold())
    return order


def create_from_gaps(actor, group, start_on=None):
    """A new project of the courses that close the gaps of a department or job role."""
    kind, record = _group(group)
    framework = default_framework()
    if framework is None:
        raise DomainError(_("No competence framework has been published yet."), where="group")
    people = report_queries.everyone(
        framework,
        department_id=record.id if kind == "d" else None,
        job_role_id=record.id if kind == "j" else None,
    )
    minimum = settings.report_min_group()  # as HR's gap report withholds small groups
    if len(people) < minimum:
        raise DomainError(
            _(
                "%(group)s has fewer than %(n)d people: its gaps are not shown, to protect "
                "the people in it.",
                group=record.name,
                n=minimum,
            ),
            where="group",
        )
    lowest = _lowest_held(people)
    if not lowest:
        raise DomainError(
            _("Everyone in %(group)s holds the required levels.", group=record.name),
            where="group",
        )
    chosen, pairs = _with_prerequisites(_helpful_courses(framework, lowest))
    if not chosen:
        raise DomainError(
            _("No published course closes the gaps of %(group)s.", group=record.name),
            where="group",
        )
    courses = _ordered(db.session.scalars(select(Course).where(Course.id.in_(chosen))).all(), pairs)
    codes = ", ".join(
        sorted(lowest, key=lambda code: [int(p) for p in code.split(".") if p.isdigit()])
    )
    data = ProjectData(
        name=_("Closing competence gaps: %(group)s", group=record.name)[:200],
        start_on=start_on or date.today(),
        goal=_(
            "Close the gaps of %(group)s in the competences %(codes)s (%(framework)s).",
            group=record.name,
            codes=codes,
            framework=framework.title,
        ),
    )
    project = TrainingProject(created_by_id=actor.id if actor else None)
    apply_settings(project, data, check_project(data))
    db.session.add(project)
    activities = {}
    for position, course in enumerate(courses):
        activities[course.id] = ProjectActivity(
            key=str(position + 1),
            name=course.title[:200],
            duration=float(days_of(course.hours)),
            course_id=course.id,
            position=position,
        )
    project.activities = list(activities.values())
    project.links = [
        ProjectLink(source=activities[required_id], target=activities[course_id], type="FS")
        for required_id, course_id in pairs
    ]
    db.session.commit()
    return project
