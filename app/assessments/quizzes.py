"""Building quizzes (trainer): settings, questions (fixed or drawn from a category), the
competences a pass proves, publishing; a quiz may be the final quiz of a course."""

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts import audit
from app.assessments.models import (
    REVIEW_OPTIONS,
    Attempt,
    Question,
    QuestionBank,
    QuestionCategory,
    Quiz,
    QuizCompetence,
    QuizSlot,
)
from app.errors import DomainError
from app.extensions import db


def _check(title, pass_mark, attempts_allowed, time_limit, review):
    title = (title or "").strip()
    if not title:
        raise DomainError(_("The title is missing."), where="title")
    if not 0 <= pass_mark <= 100:
        raise DomainError(_("The pass mark must lie between 0 and 100 %."), where="pass_mark")
    if attempts_allowed < 0:
        raise DomainError(_("The number of attempts cannot be negative."), where="attempts_allowed")
    if time_limit is not None and not 1 <= time_limit <= 600:
        raise DomainError(
            _("The time limit must lie between 1 and 600 minutes."), where="time_limit_minutes"
        )
    if review not in REVIEW_OPTIONS:
        raise DomainError(_("Please choose what learners see afterwards."), where="review")
    return title


def save_quiz(
    actor,
    quiz,
    title,
    course=None,
    pass_mark=60,
    attempts_allowed=0,
    time_limit=None,
    review="feedback",
    shuffle_questions=False,
    shuffle_answers=True,
    evidence_per_competence=False,
    description="",
):
    """Create (quiz None) or change a quiz's settings."""
    title = _check(title, pass_mark, attempts_allowed, time_limit, review)
    if course is not None:
        other = db.session.scalar(select(Quiz).where(Quiz.course_id == course.id))
        if other is not None and other is not quiz:
            raise DomainError(
                _("%(course)s already has a final quiz.", course=course.title), where="course_id"
            )
    created = quiz is None
    quiz = quiz or Quiz()
    quiz.title, quiz.description = title, (description or "").strip()
    quiz.course_id = course.id if course else None
    quiz.pass_mark, quiz.attempts_allowed = pass_mark, attempts_allowed
    quiz.time_limit_minutes, quiz.review = time_limit, review
    quiz.shuffle_questions, quiz.shuffle_answers = shuffle_questions, shuffle_answers
    quiz.evidence_per_competence = evidence_per_competence
    db.session.add(quiz)
    db.session.flush()
    audit.record(actor, "quiz.create" if created else "quiz.update", quiz, {"title": title})
    db.session.commit()
    return quiz


def has_attempts(quiz):
    return quiz.id is not None and bool(
        db.session.scalar(select(Attempt.id).where(Attempt.quiz_id == quiz.id).limit(1))
    )


def _questions_may_change(quiz):
    """Attempts keep the questions they started with; still, once learners have answered,
    the quiz's questions stay as they were, so that every attempt is graded alike and the
    item statistics compare like with like."""
    if has_attempts(quiz):
        raise DomainError(
            _("Learners have already attempted this quiz; its questions can no longer change.")
        )


def _check_mark(mark):
    if not 0 < mark <= 100:
        raise DomainError(_("The points per question must lie between 0 and 100."), where="mark")


def add_questions(actor, quiz, questions, mark=1.0):
    """Add fixed questions at the end (a question already in the quiz is not added again)."""
    _questions_may_change(quiz)
    _check_mark(mark)
    present = {slot.question_id for slot in quiz.slots}
    added = 0
    for question in questions:
        if question.id in present:
            continue
        quiz.slots.append(QuizSlot(position=len(quiz.slots), question_id=question.id, mark=mark))
        present.add(question.id)
        added += 1
    audit.record(actor, "quiz.questions", quiz, {"added": added})
    db.session.commit()
    return added


def add_random(actor, quiz, category, draw, mark=1.0):
    """Draw `draw` questions at random from a category, anew for every attempt."""
    _questions_may_change(quiz)
    _check_mark(mark)
    available = len(
        db.session.scalars(select(Question.id).where(Question.category_id == category.id)).all()
    )
    if not 1 <= draw <= available:
        raise DomainError(
            _("The category holds %(n)d questions; draw between 1 and %(n)d.", n=available),
            where="draw",
        )
    quiz.slots.append(
        QuizSlot(position=len(quiz.slots), category_id=category.id, draw=draw, mark=mark)
    )
    audit.record(actor, "quiz.questions", quiz, {"random": draw, "category": category.path})
    db.session.commit()


def remove_slot(actor, quiz, slot):
    _questions_may_change(quiz)
    quiz.slots.remove(slot)
    for position, each in enumerate(quiz.slots):
        each.position = position
    removed = {"question": slot.question_id, "category": slot.category_id}
    audit.record(actor, "quiz.questions", quiz, {"removed": removed})
    db.session.commit()


def move_slot(actor, quiz, slot, offset):
    """Move a place of the quiz up (offset -1) or down (+1)."""
    _questions_may_change(quiz)
    slots = list(quiz.slots)
    index = slots.index(slot)
    target = index + offset
    if not 0 <= target < len(slots):
        return
    slots[index], slots[target] = slots[target], slots[index]
    # Positions are not unique in the table, so the swap needs no detour.
    for position, each in enumerate(slots):
        each.position = position
    db.session.commit()


def categories_with_counts():
    """[(category, number of questions)] of every bank, by bank and path, one query."""
    from sqlalchemy import func
    from sqlalchemy.orm import contains_eager

    return db.session.execute(
        select(QuestionCategory, func.count(Question.id))
        .join(QuestionCategory.bank)
        .outerjoin(Question, Question.category_id == QuestionCategory.id)
        .options(contains_eager(QuestionCategory.bank))
        .group_by(QuestionCategory.id, QuestionBank.id)
        .order_by(QuestionBank.name, QuestionCategory.path)
    ).all()


def set_competences(actor, quiz, levels):
    """levels: {Competence: level}; 0 removes. Passing gives evidence at these levels.
    Every level is checked first; a bad one names its competence and nothing changes."""
    tops = {competence: len(competence.framework.scale.levels) for competence in levels}
    problems = [
        (competence.code, _("The level must be between 1 and %(top)d.", top=tops[competence]))
        for competence, level in levels.items()
        if not 0 <= level <= tops[competence]
    ]
    if problems:
        raise DomainError(_("Nothing was saved."), where="competences", problems=problems)
    existing = {row.competence_id: row for row in quiz.competences}
    for competence, level in levels.items():
        row = existing.get(competence.id)
        if level == 0 and row is not None:
            quiz.competences.remove(row)
        elif level and row is None:
            quiz.competences.append(QuizCompetence(competence_id=competence.id, level=level))
        elif level:
            row.level = level
    audit.record(actor, "quiz.competences", quiz, {c.code: level for c, level in levels.items()})
    db.session.commit()


def publish(actor, quiz):
    if not quiz.slots:
        raise DomainError(_("Add questions before publishing the quiz."))
    if not quiz.competences:
        raise DomainError(_("Name the competences the quiz tests before publishing it."))
    quiz.status = "published"
    audit.record(actor, "quiz.publish", quiz, {})
    db.session.commit()


def quizzes():
    from sqlalchemy.orm import selectinload

    return db.session.scalars(
        select(Quiz).options(selectinload(Quiz.slots)).order_by(Quiz.title)
    ).all()


def for_editing(quiz):
    """The quiz with its places, their questions or categories and its competences with
    their scales, loaded in a fixed number of queries."""
    from sqlalchemy.orm import selectinload

    from app.frameworks.models import Competence, Framework, Scale

    slots = selectinload(Quiz.slots)
    return db.session.scalars(
        select(Quiz)
        .where(Quiz.id == quiz.id)
        .options(
            slots.selectinload(QuizSlot.question),
            slots.selectinload(QuizSlot.category).joinedload(QuestionCategory.bank),
            selectinload(Quiz.competences)
            .joinedload(QuizCompetence.competence)
            .joinedload(Competence.framework)
            .joinedload(Framework.scale)
            .selectinload(Scale.levels),
        )
        .execution_options(populate_existing=True)
    ).one()


def get_quiz(quiz_id):
    return db.session.get(Quiz, quiz_id)
