"""What a course develops and what it needs first: competence mapping and prerequisites."""

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts import audit
from app.courses.models import (
    CompetencePrerequisite,
    Course,
    CourseCompetence,
    CoursePrerequisite,
)
from app.courses.services import touch
from app.errors import DomainError
from app.extensions import db
from app.frameworks.models import Competence

# ---- competences and prerequisites


def competence_choices(framework):
    """The competences (not areas) of a framework version a course may develop."""
    return db.session.scalars(
        select(Competence)
        .where(Competence.framework_id == framework.id, Competence.depth == 1)
        .order_by(Competence.position)
    ).all()


def set_competences(actor, course, levels, framework):
    """levels: {competence id: level or 0} for the competences of one framework version."""
    valid = {c.id: c for c in competence_choices(framework)}
    top = len(framework.scale.levels)
    problems = [
        (valid[cid].code if cid in valid else str(cid), _("Unknown competence."))
        for cid in levels
        if cid not in valid
    ]
    problems += [
        (valid[cid].code, _("The level must be between 1 and %(top)d.", top=top))
        for cid, level in levels.items()
        if cid in valid and not 0 <= level <= top
    ]
    if problems:
        raise DomainError(_("Nothing was saved."), problems=problems)
    existing = {row.competence_id: row for row in course.competences}
    changes = {}
    for cid, level in levels.items():
        row = existing.get(cid)
        old = row.level if row else 0
        if old == level:
            continue
        if row is None:
            course.competences.append(CourseCompetence(competence_id=cid, level=level))
        elif level == 0:
            course.competences.remove(row)
        else:
            row.level = level
        changes[valid[cid].code] = [old, level]
    if changes:
        touch(course)
        audit.record(actor, "course.competences", course, {"changes": changes})
    db.session.commit()
    return len(changes)


def _requires(course_id, wanted, graph):
    """Whether course_id (transitively) requires wanted, in {course: {required}}."""
    seen, stack = set(), [course_id]
    while stack:
        current = stack.pop()
        if current == wanted:
            return True
        if current not in seen:
            seen.add(current)
            stack.extend(graph.get(current, ()))
    return False


def set_prerequisites(actor, course, course_ids, competence_levels):
    """course_ids: courses to complete first; competence_levels: {competence id: level}."""
    course_ids = set(course_ids)
    if course.id in course_ids:
        raise DomainError(_("A course cannot require itself."), where="courses")
    known = set(db.session.scalars(select(Course.id).where(Course.id.in_(course_ids))))
    if course_ids - known:
        raise DomainError(_("Unknown course."), where="courses")
    graph = {}
    for owner, required in db.session.execute(
        select(CoursePrerequisite.course_id, CoursePrerequisite.required_course_id)
    ):
        graph.setdefault(owner, set()).add(required)
    for required in course_ids:
        if _requires(required, course.id, graph):
            title = db.session.get(Course, required).title
            raise DomainError(
                _("%(title)s already requires this course: that would be a circle.", title=title),
                where="courses",
            )
    competences = {
        c.id: c
        for c in db.session.scalars(
            select(Competence).where(Competence.id.in_(set(competence_levels)))
        )
    }
    for cid, level in competence_levels.items():
        if cid not in competences:
            raise DomainError(_("Unknown competence."), where="competences")
        top = len(competences[cid].framework.scale.levels)
        if not 1 <= level <= top:
            raise DomainError(
                _("The level must be between 1 and %(top)d.", top=top), where="competences"
            )
    course.required_courses = [
        CoursePrerequisite(required_course_id=required) for required in sorted(course_ids)
    ]
    course.required_competences = [
        CompetencePrerequisite(competence_id=cid, level=level)
        for cid, level in sorted(competence_levels.items())
    ]
    touch(course)
    audit.record(
        actor,
        "course.prerequisites",
        course,
        {
            "courses": sorted(course_ids),
            "competences": {str(k): v for k, v in competence_levels.items()},
        },
    )
    db.session.commit()
