"""Quizzes and attempts: layout fixed at start, answers kept, submit grades once, the
server's time limit, evidence on a pass, essays graded by a trainer, final quizzes."""

import random
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import utcnow
from app.assessments import attempts, quizzes, services
from app.assessments.models import Attempt, QuestionCompetence
from app.courses import learning
from app.errors import DomainError
from app.frameworks import profiles
from app.frameworks import services as framework_services
from app.frameworks.models import Competence, Evidence

GIFT = """$CATEGORY: Netiquette
::Anrede::Wie reden Sie Kundinnen in E-Mails an? {=Mit „Sie“ ~Mit „Du“ ~Gar nicht}
::Ton::Welche Regeln gelten im Kundenchat? {~%50%freundlich ~%50%sachlich ~%-50%ironisch}
::Frist::In wie vielen Stunden antworten Sie spätestens? {#24:2}
::Großschrift::Schreiben in Großbuchstaben wirkt wie Schreien. {T}
"""

ESSAY = "::Fall::Beschreiben Sie, wie Sie auf einen wütenden Kommentar antworten. {}\n"


@pytest.fixture()
def kmk(db):
    framework_services.load_shipped()
    return profiles.default_framework()


def _code(db, framework, code):
    return db.session.scalar(
        select(Competence).where(Competence.framework_id == framework.id, Competence.code == code)
    )


def _quiz(db, kmk, gift=GIFT, course=None, **settings):
    bank, _counts, _skipped = services.import_gift(None, f"Bank {random.random()}", gift.encode())
    quiz = quizzes.save_quiz(None, None, "Netiquette-Quiz", course=course, **settings)
    quizzes.add_questions(None, quiz, services.bank_questions(bank))
    quizzes.set_competences(None, quiz, {_code(db, kmk, "2.4"): 3})
    quizzes.publish(None, quiz)
    return quiz


def _answer_all_right(attempt):
    answers = {"Anrede": 0, "Ton": [0, 1], "Frist": "24", "Großschrift": True}
    for entry in attempt.layout:
        question = services.as_data(
            next(s.question for s in attempt.quiz.slots if s.question_id == entry["question_id"])
        )
        attempts.save_answer(attempt, entry["slot"], answers[question.title])


def test_a_pass_gives_evidence_at_the_quiz_level(db, kmk, users):
    learner = users["learner"]
    quiz = _quiz(db, kmk)
    attempt = attempts.start(learner, quiz, rng=random.Random(1))
    _answer_all_right(attempt)
    assert attempts.submit(attempt) is True
    assert (attempt.state, attempt.percent, attempt.passed) == ("finished", 100.0, True)
    evidence = db.session.scalars(select(Evidence)).one()
    assert (evidence.source, evidence.level, evidence.competence.code) == ("quiz", 3, "2.4")


def test_submitting_twice_grades_once(db, kmk, users):
    quiz = _quiz(db, kmk)
    attempt = attempts.start(users["learner"], quiz)
    _answer_all_right(attempt)
    assert attempts.submit(attempt) is True
    assert attempts.submit(attempt) is False
    assert db.session.scalar(select(func.count()).select_from(Evidence)) == 1
    with pytest.raises(DomainError, match="closed"):
        attempts.save_answer(attempt, 0, 1)


def test_answers_are_kept_and_the_layout_is_fixed(db, kmk, users):
    quiz = _quiz(db, kmk, shuffle_questions=True)
    learner = users["learner"]
    attempt = attempts.start(learner, quiz)
    attempts.save_answer(attempt, 0, None)
    again = attempts.start(learner, quiz)  # a reload: the same attempt, same order
    assert again.id == attempt.id and again.layout == attempt.layout
    assert [a.slot for a in again.answers] == [0]


def test_a_wrong_shape_or_a_foreign_slot_is_refused(db, kmk, users):
    quiz = _quiz(db, kmk)
    attempt = attempts.start(users["learner"], quiz)
    choice = next(
        e["slot"] for e in attempt.layout if e["question_id"] == quiz.slots[0].question_id
    )
    with pytest.raises(DomainError, match="cannot be read"):
        attempts.save_answer(attempt, choice, "drei")
    with pytest.raises(DomainError, match="not part of your attempt"):
        attempts.save_answer(attempt, 99, 0)
    assert attempts.attempt_for(users["trainer"], attempt.id) is None


def test_late_answers_do_not_count_and_time_out_submits(db, kmk, users):
    quiz = _quiz(db, kmk, time_limit=10)
    attempt = attempts.start(users["learner"], quiz)
    _answer_all_right(attempt)
    later = utcnow() + timedelta(minutes=11)
    with pytest.raises(DomainError, match="closed"):
        attempts.save_answer(attempt, 0, 1, now=later)
    assert attempt.state == "finished"  # submitted when touched after its time
    assert attempt.submitted_at == attempt.deadline and attempt.passed


def test_attempts_are_limited(db, kmk, users):
    quiz = _quiz(db, kmk, attempts_allowed=1)
    attempt = attempts.start(users["learner"], quiz)
    attempts.submit(attempt)
    with pytest.raises(DomainError, match="all attempts"):
        attempts.start(users["learner"], quiz)


def test_an_essay_waits_for_the_trainer(db, kmk, users):
    quiz = _quiz(db, kmk, gift=GIFT + "\n" + ESSAY)
    attempt = attempts.start(users["learner"], quiz)
    _answer_essay_and_rest(attempt)
    attempts.submit(attempt)
    assert attempt.state == "needs_grading"
    assert db.session.scalar(select(func.count()).select_from(Evidence)) == 0
    (waiting,) = attempts.waiting_for_grading()
    with pytest.raises(DomainError):
        attempts.grade_essay(users["trainer"], waiting, 1.0, "  ")
    attempts.grade_essay(users["trainer"], waiting, 1.0, "Sachlich und freundlich.")
    assert attempt.state == "finished" and attempt.percent == 100.0
    assert db.session.scalar(select(func.count()).select_from(Evidence)) == 1


def _answer_essay_and_rest(attempt):
    for entry in attempt.layout:
        question = next(
            s.question for s in attempt.quiz.slots if s.question_id == entry["question_id"]
        )
        response = {
            "Anrede": 0,
            "Ton": [0, 1],
            "Frist": "23",
            "Großschrift": True,
            "Fall": "Ich bedanke mich und frage nach.",
        }[question.title]
        attempts.save_answer(attempt, entry["slot"], response)


def test_evidence_per_competence_from_its_own_questions(db, kmk, users):
    quiz = _quiz(db, kmk, evidence_per_competence=True)
    quizzes.set_competences(None, quiz, {_code(db, kmk, "2.1"): 2})
    first = quiz.slots[0].question  # Anrede tests 2.1; nothing else does
    db.session.add(QuestionCompetence(question_id=first.id, competence_id=_code(db, kmk, "2.1").id))
    for slot in quiz.slots:
        db.session.add(
            QuestionCompetence(question_id=slot.question_id, competence_id=_code(db, kmk, "2.4").id)
        )
    db.session.commit()
    attempt = attempts.start(users["learner"], quiz)
    for entry in attempt.layout:
        if entry["question_id"] == first.id:
            attempts.save_answer(attempt, entry["slot"], 1)  # wrong
    attempts.submit(attempt)
    codes = {e.competence.code for e in db.session.scalars(select(Evidence))}
    assert codes == set()  # 2.4: 0 % of four questions; 2.1: its only question wrong


def test_the_final_quiz_completes_the_course(db, kmk, users, factory):
    course = factory.course([(_code(db, kmk, "2.4"), 2)], lessons=1)
    quiz = _quiz(db, kmk, course=course)
    learner = users["learner"]
    learning.enrol(learner, course)
    assert learning.mark_done(learner, course, learning.lesson_ids(course)[0]) is False
    attempt = attempts.start(learner, quiz)
    _answer_all_right(attempt)
    attempts.submit(attempt)
    assert learning.enrolment_of(learner, course).completed_at is not None


def test_a_draft_quiz_cannot_be_started(db, kmk, users):
    quiz = quizzes.save_quiz(None, None, "Entwurf")
    with pytest.raises(DomainError, match="not open"):
        attempts.start(users["learner"], quiz)
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0
