"""Taking quizzes (service): start an attempt, save answers as the learner goes, submit
once, grade, and turn a pass into evidence.

An attempt's questions, their order and the order of their answers are fixed when it
starts and stored (`Attempt.layout`). Submitting is a single conditional UPDATE (`WHERE
submitted_at IS NULL`): of two submits, from a double click or two tabs, exactly one grades;
the other finds the attempt submitted and changes nothing. The time limit is the server's:
answers after the deadline do not count, and an attempt whose time ran out is submitted
when it is next touched."""

import random
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app.accounts import audit
from app.accounts.models import utcnow
from app.assessments import grading
from app.assessments.models import (
    Attempt,
    AttemptAnswer,
    Question,
    QuestionCompetence,
    Quiz,
)
from app.assessments.services import as_data
from app.errors import DomainError
from app.extensions import db
from app.frameworks import evidence as evidence_service

CHOICE_KINDS = ("single_choice", "multiple_choice")


def attempts_of(user, quiz):
    return db.session.scalars(
        select(Attempt)
        .where(Attempt.quiz_id == quiz.id, Attempt.user_id == user.id)
        .order_by(Attempt.number)
    ).all()


def attempt_for(user, attempt_id):
    """The person's own attempt; None (404) for anyone else's."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != user.id:
        return None
    return attempt


def _draw(quiz, rng):
    """[(slot, question, mark)] for a new attempt: fixed questions, and the random draws
    from categories (never the same question twice in one attempt)."""
    chosen, used = [], {s.question_id for s in quiz.slots if s.question_id}
    for slot in quiz.slots:
        if slot.question_id:
            chosen.append((slot.question, slot.mark))
            continue
        pool = [
            q
            for q in db.session.scalars(
                select(Question)
                .where(Question.category_id == slot.category_id)
                .order_by(Question.id)
            )
            if q.id not in used
        ]
        for question in rng.sample(pool, min(slot.draw, len(pool))):
            used.add(question.id)
            chosen.append((question, slot.mark))
    if quiz.shuffle_questions:
        rng.shuffle(chosen)
    return chosen


def start(user, quiz, rng=None):
    """The attempt in progress, or a new one when attempts are left."""
    if quiz.status != "published":
        raise DomainError(_("This quiz is not open."))
    earlier = attempts_of(user, quiz)
    for attempt in earlier:
        if attempt.state == "in_progress":
            if touch(attempt):
                return attempt
    if quiz.attempts_allowed and len(earlier) >= quiz.attempts_allowed:
        raise DomainError(_("You have used all attempts of this quiz."))
    rng = rng or random.SystemRandom()
    layout = []
    for number, (question, mark) in enumerate(_draw(quiz, rng)):
        order = list(range(len(question.answers)))
        if quiz.shuffle_answers and question.kind in CHOICE_KINDS + ("matching",):
            rng.shuffle(order)
        layout.append({"slot": number, "question_id": question.id, "mark": mark, "order": order})
    if not layout:
        raise DomainError(_("This quiz has no questions yet."))
    now = utcnow()
    attempt = Attempt(
        quiz_id=quiz.id,
        user_id=user.id,
        number=len(earlier) + 1,
        started_at=now,
        deadline=now + timedelta(minutes=quiz.time_limit_minutes)
        if quiz.time_limit_minutes
        else None,
        layout=layout,
    )
    db.session.add(attempt)
    db.session.flush()
    audit.record(user, "quiz.start", quiz, {"attempt": attempt.number})
    db.session.commit()
    return attempt


def touch(attempt, now=None):
    """True while the attempt is open; an attempt whose time ran out is submitted now."""
    if attempt.state != "in_progress":
        return False
    if attempt.deadline is not None and (now or utcnow()) > attempt.deadline:
        submit(attempt, now=attempt.deadline)
        return False
    return True


def _slot(attempt, slot):
    entry = next((e for e in attempt.layout if e["slot"] == slot), None)
    if entry is None:
        raise DomainError(_("This question is not part of your attempt."))
    return entry


def save_answer(attempt, slot, response, now=None):
    """Save (or replace) the response to one question; its shape is checked first."""
    if not touch(attempt, now):
        raise DomainError(_("This attempt is closed; the answer was not saved."))
    entry = _slot(attempt, slot)
    question = db.session.get(Question, entry["question_id"])
    try:
        grading.grade(as_data(question), response)  # rejects a response of the wrong shape
    except grading.ResponseError as error:
        raise DomainError(
            _("The answer to question %(n)d cannot be read: %(why)s", n=slot + 1, why=str(error))
        ) from None
    answer = next((a for a in attempt.answers if a.slot == slot), None)
    if answer is None:
        answer = AttemptAnswer(attempt_id=attempt.id, slot=slot, question_id=question.id)
        attempt.answers.append(answer)
    answer.response = response
    answer.saved_at = now or utcnow()
    db.session.commit()


def submit(attempt, now=None):
    """Grade the attempt, once. Returns True when this call graded it."""
    now = now or utcnow()
    won = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.submitted_at.is_(None))
        .values(submitted_at=now)
    ).rowcount
    if not won:
        db.session.rollback()
        db.session.refresh(attempt)
        return False
    db.session.refresh(attempt)
    _grade(attempt)
    db.session.commit()
    return True


def stored(question, response):
    """A response as saved: JSON turns a matching response's pair indexes into strings."""
    if question.kind == "matching" and isinstance(response, dict):
        return {int(key): value for key, value in response.items()}
    return response


def _grade(attempt):
    answers = {a.slot: a for a in attempt.answers}
    questions = {
        q.id: q
        for q in db.session.scalars(
            select(Question).where(Question.id.in_([e["question_id"] for e in attempt.layout]))
        )
    }
    waiting = False
    for entry in attempt.layout:
        answer = answers.get(entry["slot"])
        if answer is None:
            answer = AttemptAnswer(
                attempt_id=attempt.id, slot=entry["slot"], question_id=entry["question_id"]
            )
            attempt.answers.append(answer)
        late = (
            attempt.deadline is not None and answer.saved_at and answer.saved_at > attempt.deadline
        )
        question = questions[entry["question_id"]]
        response = None if late else stored(question, answer.response)
        result = grading.grade(as_data(question), response)
        answer.fraction, answer.grade_state = result.fraction, result.state
        answer.feedback = result.feedback
        waiting = waiting or result.state == "needs_grading"
    _score(attempt)
    attempt.state = "needs_grading" if waiting else "finished"
    audit.record(
        None, "quiz.submit", attempt.quiz, {"attempt": attempt.id, "user": attempt.user_id}
    )
    if not waiting:
        _finish(attempt)


def _score(attempt):
    marks = {e["slot"]: e["mark"] for e in attempt.layout}
    points = sum((a.fraction or 0) * marks[a.slot] for a in attempt.answers)
    max_points = sum(marks.values())
    attempt.points, attempt.max_points = round(points, 7), max_points
    attempt.percent = round(100 * points / max_points, 2) if max_points else 0.0
    attempt.passed = attempt.percent >= attempt.quiz.pass_mark


def _finish(attempt):
    """A graded attempt that passed gives evidence; the course may now be complete."""
    from app.accounts.models import User

    quiz, user = attempt.quiz, db.session.get(User, attempt.user_id)
    today = date.today()
    if quiz.evidence_per_competence:
        scores = _scores_by_competence(attempt)
        earned = [c for c in quiz.competences if scores.get(c.competence_id, 0) >= quiz.pass_mark]
    else:
        earned = list(quiz.competences) if attempt.passed else []
    for item in earned:
        evidence_service.add_evidence(
            user, item.competence, item.level, "quiz", today, issuer_label=quiz.title
        )
    if attempt.passed and quiz.course_id:
        from app.courses.learning import check_completion

        check_completion(user, quiz.course_id, today)


def _scores_by_competence(attempt):
    """{competence id: percent} over the questions testing each competence."""
    marks = {e["slot"]: e["mark"] for e in attempt.layout}
    links = db.session.execute(
        select(QuestionCompetence.question_id, QuestionCompetence.competence_id).where(
            QuestionCompetence.question_id.in_([a.question_id for a in attempt.answers])
        )
    ).all()
    tested = {}
    for question_id, competence_id in links:
        tested.setdefault(question_id, []).append(competence_id)
    items = [
        (competence_id, answer.fraction or 0, marks[answer.slot])
        for answer in attempt.answers
        for competence_id in tested.get(answer.question_id, [])
    ]
    return grading.score_by_competence(items)


def grade_essay(actor, answer, fraction, justification):
    """A trainer grades an essay with a justification; the attempt finishes when nothing
    else waits."""
    attempt = db.session.get(Attempt, answer.attempt_id)
    if attempt.state != "needs_grading" or answer.grade_state != "needs_grading":
        raise DomainError(_("This answer does not wait for grading."))
    try:
        result = grading.grade_essay(fraction, justification)
    except grading.ResponseError as error:
        raise DomainError(str(error), where="justification") from None
    answer.fraction, answer.grade_state = result.fraction, result.state
    answer.justification, answer.graded_by_id = justification.strip(), actor.id
    _score(attempt)
    if not any(a.grade_state == "needs_grading" for a in attempt.answers):
        attempt.state = "finished"
        _finish(attempt)
    audit.record(
        actor, "quiz.grade_essay", attempt.quiz, {"attempt": attempt.id, "fraction": fraction}
    )
    db.session.commit()


def waiting_for_grading():
    """Essay answers of submitted attempts that wait for a trainer, oldest first, with their
    question, attempt, quiz and person (one query)."""
    from sqlalchemy.orm import contains_eager, joinedload

    return db.session.scalars(
        select(AttemptAnswer)
        .join(AttemptAnswer.attempt)
        .where(Attempt.state == "needs_grading", AttemptAnswer.grade_state == "needs_grading")
        .options(
            contains_eager(AttemptAnswer.attempt).joinedload(Attempt.quiz),
            contains_eager(AttemptAnswer.attempt).joinedload(Attempt.user),
            joinedload(AttemptAnswer.question),
        )
        .order_by(Attempt.submitted_at, AttemptAnswer.slot)
    ).all()


def passed_since(user, quiz_id, since):
    """Whether the person passed the quiz in an attempt submitted at or after `since`."""
    return bool(
        db.session.scalar(
            select(func.count())
            .select_from(Attempt)
            .where(
                Attempt.quiz_id == quiz_id,
                Attempt.user_id == user.id,
                Attempt.passed.is_(True),
                Attempt.state == "finished",
                Attempt.submitted_at >= since,
            )
        )
    )


def final_quiz(course_id):
    return db.session.scalar(
        select(Quiz).where(Quiz.course_id == course_id, Quiz.status == "published")
    )
