"""Learning (learner): the catalogue, enrolling, lessons, progress and completion.

A course's lessons for learners are those of its published snapshot (`Course.outline`);
progress counts in the current round of an enrolment (`round_started_at`)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import gettext as _
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, selectinload, undefer

from app.accounts import audit
from app.accounts.models import utcnow
from app.courses import rules
from app.courses.models import (
    Completion,
    Course,
    CourseCompetence,
    Enrolment,
    Lesson,
    LessonProgress,
)
from app.errors import DomainError
from app.extensions import db
from app.frameworks import evidence as evidence_service
from app.frameworks import profiles
from app.frameworks.models import Competence


@dataclass
class CatalogueFilter:
    text: str = ""
    area: str = ""  # code of an area of the default framework, e.g. "2"
    competence: str = ""  # code, e.g. "2.4"
    mandatory: bool | None = None
    language: str = ""


def catalogue(user, filters, today=None):
    """Published courses matching the filters, each with the person's status: two queries
    for the courses and their competences, one for the person's enrolments."""
    today = today or date.today()
    query = (
        select(Course)
        .where(Course.status == "published")
        .options(selectinload(Course.competences))
        .order_by(Course.mandatory.desc(), Course.title)
    )
    if filters.text:
        pattern = f"%{filters.text.strip().lower()}%"
        query = query.where(
            or_(func.lower(Course.title).like(pattern), func.lower(Course.summary).like(pattern))
        )
    if filters.mandatory is not None:
        query = query.where(Course.mandatory.is_(filters.mandatory))
    if filters.language:
        query = query.where(Course.language == filters.language)
    if filters.competence:
        query = query.where(
            exists()
            .where(CourseCompetence.course_id == Course.id)
            .where(CourseCompetence.competence_id == Competence.id)
            .where(Competence.code == filters.competence)
        )
    if filters.area:
        area = aliased(Competence)
        query = query.where(
            exists()
            .where(CourseCompetence.course_id == Course.id)
            .where(CourseCompetence.competence_id == Competence.id)
            .where(Competence.parent_id == area.id)
            .where(area.code == filters.area)
        )
    courses = db.session.scalars(query).all()
    enrolments = {
        e.course_id: e
        for e in db.session.scalars(select(Enrolment).where(Enrolment.user_id == user.id))
    }
    return [(course, enrolments.get(course.id)) for course in courses]


def visible_course(course_id, with_outline=True):
    """A course a learner may see (published or archived); None otherwise."""
    query = select(Course).where(
        Course.id == course_id, Course.status.in_(("published", "archived"))
    )
    if with_outline:
        query = query.options(undefer(Course.outline))
    return db.session.scalar(query)


def enrolment_of(user, course):
    return db.session.scalar(
        select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course.id)
    )


def lesson_ids(course):
    return [
        lesson["id"]
        for module in (course.outline or {}).get("modules", [])
        for lesson in module["lessons"]
    ]


def done_lessons(enrolment):
    """Ids of the lessons done in the enrolment's current round."""
    if enrolment is None:
        return set()
    return set(
        db.session.scalars(
            select(LessonProgress.lesson_id).where(
                LessonProgress.enrolment_id == enrolment.id,
                LessonProgress.done_at >= enrolment.round_started_at,
            )
        )
    )


def completed_courses(user, today):
    """Ids of courses whose completion counts today."""
    return set(
        db.session.scalars(
            select(Enrolment.course_id).where(
                Enrolment.user_id == user.id,
                Enrolment.completed_at.is_not(None),
                or_(Enrolment.expires_on.is_(None), Enrolment.expires_on >= today),
            )
        )
    )


def held_levels(user, competences, today):
    """{code: level} the person holds in the frameworks of these competences."""
    held = {}
    for framework in {c.framework for c in competences}:
        for row in profiles.competence_profile(user, framework, today).rows:
            held[row.competence.code] = max(row.held, held.get(row.competence.code, 0))
    return held


def missing_prerequisites(user, course, today=None):
    today = today or date.today()
    required = [(p.required_course_id, p.required_course.title) for p in course.required_courses]
    competences = [p.competence for p in course.required_competences]
    return rules.missing_prerequisites(
        required,
        completed_courses(user, today) if required else set(),
        [(p.competence.code, p.competence.title, p.level) for p in course.required_competences],
        held_levels(user, competences, today) if competences else {},
    )


def new_enrolment(user, course, **fields):
    """Insert an enrolment, or find the one a parallel request has just inserted."""
    enrolment = Enrolment(user_id=user.id, course_id=course.id, **fields)
    try:
        with db.session.begin_nested():
            db.session.add(enrolment)
    except IntegrityError:
        enrolment = enrolment_of(user, course)
    return enrolment


def enrol(user, course, today=None):
    """Self-enrolment: published courses whose prerequisites the person meets; idempotent."""
    if course.status != "published":
        raise DomainError(_("This course is not open for enrolment."))
    existing = enrolment_of(user, course)
    if existing is not None:
        return existing
    missing = missing_prerequisites(user, course, today)
    if missing:
        raise DomainError(_("Some prerequisites of this course are missing."))
    enrolment = new_enrolment(user, course)
    audit.record(user, "course.enrol", course, {"user": user.id})
    db.session.commit()
    return enrolment


@dataclass
class LessonView:
    course: Course
    enrolment: Enrolment
    module: dict
    lesson: dict
    previous_id: int | None
    next_id: int | None
    done: set = field(default_factory=set)
    number: int = 1  # of the lesson in the course
    count: int = 1


def open_lesson(user, course, lesson_id):
    """The lesson of the published snapshot; remembers it as the place to continue."""
    enrolment = enrolment_of(user, course)
    if enrolment is None:
        return None
    flat = [
        (module, lesson)
        for module in (course.outline or {}).get("modules", [])
        for lesson in module["lessons"]
    ]
    index = next((i for i, (_m, lesson) in enumerate(flat) if lesson["id"] == lesson_id), None)
    if index is None:
        return None
    if enrolment.last_lesson_id != lesson_id:
        enrolment.last_lesson_id = lesson_id
        db.session.commit()
    module, lesson = flat[index]
    return LessonView(
        course,
        enrolment,
        module,
        lesson,
        flat[index - 1][1]["id"] if index > 0 else None,
        flat[index + 1][1]["id"] if index + 1 < len(flat) else None,
        done_lessons(enrolment),
        index + 1,
        len(flat),
    )


def mark_done(user, course, lesson_id, today=None):
    """Mark a lesson of the published course done; completes the course when it was the
    last one. Returns True when this completed the course."""
    now = utcnow()
    if today is not None and today != now.date():  # recorded for another day (demo data)
        now = datetime.combine(today, time(12))
    today = today or now.date()
    enrolment = enrolment_of(user, course)
    if enrolment is None or lesson_id not in lesson_ids(course):
        raise DomainError(_("This lesson is not part of your course."))
    progress = db.session.scalar(
        select(LessonProgress).where(
            LessonProgress.enrolment_id == enrolment.id, LessonProgress.lesson_id == lesson_id
        )
    )
    if progress is None:
        db.session.add(LessonProgress(enrolment_id=enrolment.id, lesson_id=lesson_id, done_at=now))
    elif progress.done_at < enrolment.round_started_at:
        progress.done_at = now  # done again in a new round
    db.session.flush()
    completed = _complete_if_done(user, course, enrolment, now, today)
    db.session.commit()
    return completed


def _complete_if_done(user, course, enrolment, now, today):
    """Complete the round when every lesson is done and the final quiz, if the course has
    one, passed in this round. Returns whether it completed now."""
    from app.assessments.attempts import final_quiz, passed_since

    if enrolment.completed_at is not None and enrolment.completed_at >= enrolment.round_started_at:
        return False
    quiz = final_quiz(course.id)
    passed = quiz is not None and passed_since(user, quiz.id, enrolment.round_started_at)
    if rules.is_complete(lesson_ids(course), done_lessons(enrolment), quiz is not None, passed):
        _complete(user, course, enrolment, now, today)
        return True
    return False


def check_completion(user, course_id, today=None):
    """After the final quiz was passed: complete the course when its lessons are done too.
    Adds to the caller's transaction."""
    course = visible_course(course_id)
    enrolment = enrolment_of(user, course) if course is not None else None
    if enrolment is None:
        return False
    now = utcnow()
    return _complete_if_done(user, course, enrolment, now, today or now.date())


def _complete(user, course, enrolment, now, today):
    """Completion: the course's competences become evidence, expiring with the course."""
    valid_until = rules.expires_on(today, course.validity_months)
    enrolment.completed_at, enrolment.expires_on = now, valid_until
    db.session.add(Completion(enrolment_id=enrolment.id, completed_at=now, expires_on=valid_until))
    for mapping in course.competences:
        evidence_service.add_evidence(
            user,
            mapping.competence,
            mapping.level,
            "course",
            today,
            valid_until,
            issuer_label=course.title,
        )
    audit.record(
        user,
        "course.complete",
        course,
        {"user": user.id, "expires_on": valid_until.isoformat() if valid_until else None},
    )


def repeat(user, course):
    """Start a new round (recertification): progress starts from nothing; the earlier
    completion keeps counting until it expires."""
    enrolment = enrolment_of(user, course)
    if enrolment is None or enrolment.completed_at is None:
        raise DomainError(_("Only a completed course can be repeated."))
    enrolment.round_started_at = utcnow()
    audit.record(user, "course.repeat", course, {"user": user.id})
    db.session.commit()


def progress_counts(enrolments):
    """{enrolment id: lessons done in the current round}, one query."""
    if not enrolments:
        return {}
    rows = db.session.execute(
        select(LessonProgress.enrolment_id, func.count())
        .join(Enrolment, Enrolment.id == LessonProgress.enrolment_id)
        .join(Lesson, and_(Lesson.id == LessonProgress.lesson_id, Lesson.removed.is_(False)))
        .where(
            LessonProgress.enrolment_id.in_([e.id for e in enrolments]),
            LessonProgress.done_at >= Enrolment.round_started_at,
        )
        .group_by(LessonProgress.enrolment_id)
    )
    return dict(rows.all())
