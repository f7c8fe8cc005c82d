"""Course feedback surveys (service): create, list, and answer anonymously.

Anonymity rests on three rules: who answered (SurveyParticipation) and what was answered
(SurveyResponse) are separate rows with nothing linking them; a response keeps only its day;
results are withheld below the minimum group size and free texts are shown sorted, never in
the order they came in (survey_results.py). Answering is therefore not audited either.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.accounts import audit
from app.assessments.models import (
    Survey,
    SurveyAnswer,
    SurveyItem,
    SurveyParticipation,
    SurveyResponse,
)
from app.courses.models import Course, Enrolment
from app.errors import DomainError
from app.extensions import db

ITEM_KINDS = ("likert", "text")
LIKERT_VALUES = (1, 2, 3, 4, 5)
MAX_ITEMS = 50
MAX_ITEM_TEXT = 500
MAX_ANSWER_TEXT = 2000
MAX_TITLE = 200


# ---- building


def parse_items(text):
    """Items from a textarea: one per line; a line starting with "?" is a free-text item."""
    items = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("?"):
            items.append(("text", line[1:].strip()))
        else:
            items.append(("likert", line))
    return items


def create_survey(actor, course, title, items):
    """A new active survey of a course with items [(kind, text)], audited."""
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the survey a title."), where="title")
    if len(title) > MAX_TITLE:
        raise DomainError(
            _("The title is longer than %(n)d characters.", n=MAX_TITLE), where="title"
        )
    if course is None or course.status == "archived":
        raise DomainError(_("Choose a course that is not archived."), where="course")
    if not items:
        raise DomainError(_("Add at least one item."), where="items")
    if len(items) > MAX_ITEMS:
        raise DomainError(_("At most %(n)d items.", n=MAX_ITEMS), where="items")
    problems = []
    for number, (kind, text) in enumerate(items, start=1):
        if kind not in ITEM_KINDS:
            problems.append(("items", _("Item %(n)d: unknown kind.", n=number)))
        elif not (text or "").strip():
            problems.append(("items", _("Item %(n)d has no text.", n=number)))
        elif len(text.strip()) > MAX_ITEM_TEXT:
            problems.append(
                (
                    "items",
                    _("Item %(n)d is longer than %(max)d characters.", n=number, max=MAX_ITEM_TEXT),
                )
            )
    if problems:
        raise DomainError(problems[0][1], where="items", problems=problems)
    survey = Survey(course_id=course.id, title=title, active=True)
    survey.items = [
        SurveyItem(position=position, kind=kind, text=text.strip())
        for position, (kind, text) in enumerate(items, start=1)
    ]
    db.session.add(survey)
    db.session.flush()
    audit.record(actor, "survey.create", survey, {"course_id": course.id, "items": len(items)})
    db.session.commit()
    return survey


def courses_for_surveys():
    """Courses a survey may be created for: [(id, title)], not archived."""
    return db.session.execute(
        select(Course.id, Course.title).where(Course.status != "archived").order_by(Course.title)
    ).all()


def get_course(course_id):
    return db.session.get(Course, course_id) if course_id else None


# ---- trainers' reading


def get_survey(survey_id):
    return db.session.scalar(
        select(Survey).where(Survey.id == survey_id).options(selectinload(Survey.items))
    )


def list_surveys():
    """[(survey, course title, responses)], newest first, in one query."""
    responses = (
        select(SurveyResponse.survey_id, func.count().label("n"))
        .group_by(SurveyResponse.survey_id)
        .subquery()
    )
    return db.session.execute(
        select(Survey, Course.title, func.coalesce(responses.c.n, 0))
        .join(Course, Course.id == Survey.course_id)
        .outerjoin(responses, responses.c.survey_id == Survey.id)
        .order_by(Survey.created_at.desc(), Survey.id.desc())
    ).all()


# ---- learners


def _enrolled(user, course_id):
    return (
        db.session.scalar(
            select(Enrolment.id).where(
                Enrolment.user_id == user.id, Enrolment.course_id == course_id
            )
        )
        is not None
    )


def _answered(user, survey_id):
    return (
        db.session.scalar(
            select(SurveyParticipation.id).where(
                SurveyParticipation.survey_id == survey_id,
                SurveyParticipation.user_id == user.id,
            )
        )
        is not None
    )


def _open_surveys_query(user):
    answered = select(SurveyParticipation.survey_id).where(SurveyParticipation.user_id == user.id)
    return (
        select(Survey)
        .join(Enrolment, Enrolment.course_id == Survey.course_id)
        .where(Enrolment.user_id == user.id, Survey.active, Survey.id.not_in(answered))
        .order_by(Survey.created_at.desc(), Survey.id.desc())
    )


def open_surveys(user):
    """[(survey, course title)]: active surveys of the person's courses it has not answered."""
    query = (
        _open_surveys_query(user)
        .add_columns(Course.title)
        .join(Course, Course.id == Survey.course_id)
    )
    return db.session.execute(query).all()


def survey_for_learner(user, course):
    """The newest active survey of a course the person is enrolled in and has not answered."""
    return db.session.scalar(_open_surveys_query(user).where(Survey.course_id == course.id))


def survey_to_answer(user, survey_id):
    """(survey, answered) for a person enrolled in the survey's active course, else None:
    a survey of another course looks as missing as one that does not exist."""
    survey = get_survey(survey_id)
    if survey is None or not survey.active or not _enrolled(user, survey.course_id):
        return None
    return survey, _answered(user, survey.id)


def _checked_answers(survey, values):
    """[(item, value, text)] for every item, or a DomainError naming each bad item."""
    problems, answers = [], []
    for item in survey.items:
        where = f"item-{item.id}"
        raw = values.get(item.id)
        if item.kind == "likert":
            try:
                value = int(raw) if raw not in (None, "") else None
            except (TypeError, ValueError):
                value = 0
            if value is None:
                problems.append((where, _("Choose an answer to “%(item)s”.", item=item.text)))
            elif value not in LIKERT_VALUES:
                problems.append((where, _("“%(item)s”: choose 1 to 5.", item=item.text)))
            else:
                answers.append((item, value, ""))
        else:
            text = (raw or "").strip() if isinstance(raw, str) or raw is None else None
            if text is None:
                problems.append((where, _("“%(item)s”: enter text.", item=item.text)))
            elif len(text) > MAX_ANSWER_TEXT:
                problems.append(
                    (
                        where,
                        _(
                            "“%(item)s”: at most %(n)d characters.",
                            item=item.text,
                            n=MAX_ANSWER_TEXT,
                        ),
                    )
                )
            else:
                answers.append((item, None, text))
    if problems:
        raise DomainError(problems[0][1], where=problems[0][0], problems=problems)
    return answers


def _today():
    # The company's calendar day, not UTC's: a response keeps nothing finer than this.
    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def answer(user, survey, values):
    """Record that the person answered and, apart from it, what: one transaction.

    values: {item_id: 1..5 for Likert items (required) or text (optional)}.
    """
    if not survey.active or not _enrolled(user, survey.course_id):
        raise DomainError(_("This survey is not open to you."))
    if _answered(user, survey.id):
        raise DomainError(_("You have already answered this survey."))
    answers = _checked_answers(survey, values)
    already = DomainError(_("You have already answered this survey."))
    try:
        db.session.add(SurveyParticipation(survey_id=survey.id, user_id=user.id))
        db.session.flush()  # a parallel answer of the same person fails here or at commit
        response = SurveyResponse(survey_id=survey.id, day=_today())
        response.answers = [
            SurveyAnswer(item_id=item.id, value=value, text=text) for item, value, text in answers
        ]
        db.session.add(response)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise already from None
