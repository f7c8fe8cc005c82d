"""Building courses (trainer): course data, modules, lessons, links, competences,
prerequisites, publishing. Each use case checks first, then writes and commits once."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.accounts import audit
from app.accounts.models import utcnow
from app.courses.models import (
    Course,
    CourseModule,
    Lesson,
)
from app.errors import DomainError
from app.extensions import db

LANGUAGES = ("de", "en")


@dataclass
class CourseData:
    title: str
    summary: str = ""
    language: str = "de"
    hours: float = 1.0
    mandatory: bool = False
    validity_months: int | None = None


def _check_course(data):
    title = (data.title or "").strip()
    if not title:
        raise DomainError(_("The title is missing."), where="title")
    if len(title) > 200:
        raise DomainError(_("The title is longer than 200 characters."), where="title")
    if data.language not in LANGUAGES:
        raise DomainError(_("Please choose a language."), where="language")
    if data.hours is None or not 0 < data.hours <= 1000:
        raise DomainError(_("The hours must lie between 0 and 1,000."), where="hours")
    if data.validity_months is not None and not 1 <= data.validity_months <= 120:
        raise DomainError(
            _("The validity must lie between 1 and 120 months."), where="validity_months"
        )
    if data.mandatory and not data.validity_months:
        raise DomainError(
            _("A mandatory training needs a validity period in months."),
            where="validity_months",
        )
    return title


def touch(course):
    course.updated_at = utcnow()


def create_course(actor, data, key=None):
    title = _check_course(data)
    course = Course(
        key=key,
        title=title,
        summary=(data.summary or "").strip(),
        language=data.language,
        hours=data.hours,
        mandatory=data.mandatory,
        validity_months=data.validity_months or None,
        created_by_id=actor.id if actor else None,
    )
    db.session.add(course)
    db.session.flush()
    audit.record(actor, "course.create", course, {"title": title})
    db.session.commit()
    return course


def update_course(actor, course, data):
    title = _check_course(data)
    before = {"title": course.title, "mandatory": course.mandatory}
    course.title, course.summary = title, (data.summary or "").strip()
    course.language, course.hours = data.language, data.hours
    course.mandatory, course.validity_months = data.mandatory, data.validity_months or None
    touch(course)
    audit.record(
        actor,
        "course.update",
        course,
        {"before": before, "after": {"title": title, "mandatory": data.mandatory}},
    )
    db.session.commit()


def courses_for_trainers():
    """Every course with its module and lesson counts, newest change first."""
    lessons = (
        select(Lesson.course_id, func.count().label("n"))
        .where(Lesson.removed.is_(False))
        .group_by(Lesson.course_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Course, func.coalesce(lessons.c.n, 0))
        .outerjoin(lessons, lessons.c.course_id == Course.id)
        .order_by(Course.status != "draft", Course.title)
    ).all()
    return rows


def get_course(course_id):
    return db.session.scalar(
        select(Course)
        .where(Course.id == course_id)
        .options(
            selectinload(Course.modules).selectinload(CourseModule.lessons),
            selectinload(Course.competences),
            selectinload(Course.required_courses),
            selectinload(Course.required_competences),
        )
    )


# ---- publishing


def outline_of(course):
    """The snapshot learners see: modules and lessons with text, links and attachments."""
    return {
        "modules": [
            {
                "id": module.id,
                "title": module.title,
                "lessons": [
                    {
                        "id": lesson.id,
                        "title": lesson.title,
                        "body": lesson.body,
                        "links": [{"title": k.title, "url": k.url} for k in lesson.links],
                        "attachments": [
                            {"id": a.id, "filename": a.filename, "size": a.size}
                            for a in lesson.attachments
                        ],
                    }
                    for lesson in module.lessons
                ],
            }
            for module in course.modules
            if module.lessons
        ]
    }


def publish(actor, course):
    """Publish (or publish again): learners see the course as it is now."""
    outline = outline_of(course)
    count = sum(len(module["lessons"]) for module in outline["modules"])
    if count == 0:
        raise DomainError(_("A course needs at least one lesson before it can be published."))
    if not course.competences:
        raise DomainError(_("Map the course to at least one competence before publishing it."))
    first = course.status != "published"
    course.outline, course.lesson_count = outline, count
    course.status, course.published_at = "published", utcnow()
    audit.record(actor, "course.publish", course, {"lessons": count, "first": first})
    db.session.commit()


def archive(actor, course):
    """Take a course out of the catalogue; enrolments and completions stay."""
    course.status = "archived"
    audit.record(actor, "course.archive", course, {})
    db.session.commit()


def has_unpublished_changes(course):
    return course.status == "published" and course.updated_at > (course.published_at or utcnow())


def planned_measures():
    """Courses of the Medienkonzept: the published ones and drafts in preparation, with the
    competences they develop (two queries)."""
    return db.session.scalars(
        select(Course)
        .where(Course.status.in_(("published", "draft")))
        .options(selectinload(Course.competences))
        .order_by(Course.status != "published", Course.mandatory.desc(), Course.title)
    ).all()
