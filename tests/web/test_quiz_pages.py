"""Taking a quiz through the pages: one question per page, answers kept on reload, submit
once, the review as the quiz allows; trainers create quizzes and grade essays."""

import re

import pytest
from sqlalchemy import func, select

from app.accounts.models import AuditEntry
from app.assessments import attempts, quizzes, services
from app.assessments.models import Attempt, Quiz
from app.frameworks import profiles
from app.frameworks import services as framework_services
from app.frameworks.models import Competence, Evidence
from tests.conftest import csrf_token

GIFT = b"""::Anrede::Wie reden Sie Kundinnen an? {=Mit Sie ~Mit Du}
::Chat::Welche Regeln gelten im Chat? {~%50%freundlich ~%50%sachlich ~%-50%ironisch}
::Zuordnung::Ordnen Sie zu. {
=E-Mail -> Anrede mit Sie
=Chat -> kurz und freundlich
=Kommentar -> sachlich bleiben
}
::Fall::Wie antworten Sie auf einen wuetenden Kommentar? {}
"""


@pytest.fixture()
def kmk(db):
    framework_services.load_shipped()
    return profiles.default_framework()


@pytest.fixture()
def quiz(db, kmk):
    bank, _c, _s = services.import_gift(None, "Netiquette", GIFT)
    quiz = quizzes.save_quiz(None, None, "Netiquette-Quiz", review="answers", shuffle_answers=False)
    quizzes.add_questions(None, quiz, services.bank_questions(bank))
    netiquette = db.session.scalar(
        select(Competence).where(Competence.framework_id == kmk.id, Competence.code == "2.4")
    )
    quizzes.set_competences(None, quiz, {netiquette: 2})
    quizzes.publish(None, quiz)
    return quiz


def _post(client, url, **data):
    return client.post(url, data={**data, "csrf_token": csrf_token(client)})


def test_a_learner_takes_the_quiz_page_by_page(db, quiz, client_as, users):
    learner = client_as("learner")
    response = _post(learner, f"/questions/quizzes/{quiz.id}/start")
    attempt_url = response.headers["Location"]
    attempt = db.session.scalar(select(Attempt))
    page = learner.get(attempt_url).get_data(as_text=True)
    assert "Question 1 of 4" in page and "Mit Sie" in page
    _post(learner, attempt_url, q=0, answer=0, go="next")
    again = learner.get(attempt_url + "?q=0").get_data(as_text=True)  # a reload keeps it
    assert re.search(r'value="0" id="a-0"\s+checked', again)
    _post(learner, attempt_url, q=1, answer=["0", "1"], go="next")
    _post(
        learner,
        attempt_url,
        q=2,
        **{
            "pair-0": "Anrede mit Sie",
            "pair-1": "kurz und freundlich",
            "pair-2": "sachlich bleiben",
        },
        go="next",
    )
    _post(learner, attempt_url, q=3, answer="Ich bleibe ruhig und frage nach.", go="summary")
    overview = learner.get(f"/questions/attempts/{attempt.id}/summary").get_data(as_text=True)
    assert overview.count("not answered") == 0
    first = _post(learner, f"/questions/attempts/{attempt.id}/submit")
    assert first.status_code == 302, first.get_data(as_text=True)[:3000]
    _post(learner, f"/questions/attempts/{attempt.id}/submit")  # a double click
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "quiz.submit")
        )
        == 1
    )
    review = learner.get(f"/questions/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "A trainer still grades your written answers" in review

    # The trainer grades the essay: the attempt finishes and passes, evidence follows.
    trainer = client_as("trainer")
    (waiting,) = attempts.waiting_for_grading()
    page = trainer.get("/questions/grading").get_data(as_text=True)
    assert "Ich bleibe ruhig" in page
    # Which quiz, whose attempt, and what it is worth.
    assert "Netiquette-Quiz · Fall" in page and users["learner"].name in page
    assert "attempt 1" in page and "Points: 1" in page
    _post(trainer, "/questions/grading", answer_id=waiting.id, percent="80", justification="")
    assert attempts.waiting_for_grading() == [waiting]  # no justification: refused
    _post(
        trainer,
        "/questions/grading",
        answer_id=waiting.id,
        percent="80",
        justification="Ruhig und lösungsorientiert.",
    )
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.state == "finished" and attempt.passed and attempt.percent == 95.0
    assert db.session.scalar(select(func.count()).select_from(Evidence)) == 1
    review = learner.get(f"/questions/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "Result: 95 %" in review and "Right answer" in review


def test_answers_of_the_wrong_shape_or_to_closed_attempts_are_refused(db, quiz, client_as):
    learner = client_as("learner")
    attempt_url = _post(learner, f"/questions/quizzes/{quiz.id}/start").headers["Location"]
    page = learner.post(
        attempt_url,
        data={"q": 1, "answer": ["x"], "csrf_token": csrf_token(learner)},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "cannot be read" in page
    attempt = db.session.scalar(select(Attempt))
    assert attempt.answers == []


def test_another_person_cannot_see_or_submit_an_attempt(db, quiz, users, factory, client_as):
    other = factory.user(name="Olga Andere")
    attempt = attempts.start(other, quiz)
    learner = client_as("learner")
    for url in ("", "/summary", "/review"):
        assert learner.get(f"/questions/attempts/{attempt.id}{url}").status_code == 404
    assert _post(learner, f"/questions/attempts/{attempt.id}/submit").status_code == 404
    assert db.session.get(Attempt, attempt.id).submitted_at is None


def test_a_trainer_creates_a_quiz_from_a_bank(db, kmk, client_as):
    services.import_gift(None, "Netiquette", GIFT)
    trainer = client_as("trainer")
    form = trainer.get("/questions/quizzes/new").get_data(as_text=True)
    bank_id = re.search(r'<option value="(\d+)">Netiquette</option>', form).group(1)
    competence_id = re.search(r'<option value="(\d+)">2\.4 ', form).group(1)
    response = _post(
        trainer,
        "/questions/quizzes/new",
        title="Abschlussquiz",
        bank_id=bank_id,
        competence_id=competence_id,
        level=2,
        pass_mark=70,
        attempts_allowed=2,
        review="score",
    )
    assert response.status_code == 302
    quiz = db.session.scalar(select(Quiz).where(Quiz.title == "Abschlussquiz"))
    assert len(quiz.slots) == 4 and quiz.status == "draft"
    _post(trainer, f"/questions/quizzes/{quiz.id}/publish")
    db.session.expire_all()
    assert db.session.get(Quiz, quiz.id).status == "published"


def test_item_statistics_page_and_csv(db, quiz, users, factory, client_as):
    for number, right in enumerate((True, True, False)):
        person = factory.user(name=f"Person {number}")
        attempt = attempts.start(person, quiz)
        for entry in attempt.layout:
            question = next(s.question for s in quiz.slots if s.question_id == entry["question_id"])
            if question.kind == "single_choice":
                attempts.save_answer(attempt, entry["slot"], 0 if right else 1)
            elif question.kind == "multiple_choice":
                attempts.save_answer(attempt, entry["slot"], [0, 1] if right else [2])
        attempts.submit(attempt)
        for waiting in attempts.waiting_for_grading():
            attempts.grade_essay(users["trainer"], waiting, 1.0 if right else 0.0, "Bewertet.")
    trainer = client_as("trainer")
    page = trainer.get(f"/questions/quizzes/{quiz.id}/statistics").get_data(as_text=True)
    assert "3 finished attempts." in page
    assert "Mit Sie: 2" in page and "Mit Du: 1" in page
    csv = trainer.get(f"/questions/quizzes/{quiz.id}/statistics.csv").get_data(as_text=True)
    lines = csv.lstrip("\ufeff").splitlines()
    assert lines[0] == "question_id,title,kind,attempts,facility_percent,discrimination"
    anrede = next(line for line in lines if ",Anrede," in line)
    assert anrede.endswith(",3,66.7,1.0")
    assert client_as("learner").get(f"/questions/quizzes/{quiz.id}/statistics").status_code == 403


def test_the_dashboard_lists_the_quizzes_open_to_the_learner(
    db, kmk, quiz, factory, users, client_as
):
    netiquette = db.session.scalar(
        select(Competence).where(Competence.framework_id == kmk.id, Competence.code == "2.4")
    )
    mine = factory.course([(netiquette, 1)], title="Mein Kurs")
    other = factory.course([(netiquette, 1)], title="Fremder Kurs")
    for course, title in ((mine, "Abschluss meines Kurses"), (other, "Abschluss fremd")):
        final = quizzes.save_quiz(None, None, title, course=course)
        quizzes.add_questions(None, final, [quiz.slots[0].question])
        quizzes.set_competences(None, final, {netiquette: 1})
        quizzes.publish(None, final)
    from app.courses import learning

    learning.enrol(users["learner"], mine)
    attempts.start(users["learner"], quiz)
    page = client_as("learner").get("/dashboard").get_data(as_text=True)
    listed = page.split('id="my-quizzes"', 1)[1].split("</ul>", 1)[0]
    assert "Netiquette-Quiz" in listed and "in progress" in listed
    assert "Abschluss meines Kurses" in listed and "not started" in listed
    assert "Abschluss fremd" not in listed


def test_the_grading_page_runs_a_fixed_number_of_queries(db, quiz, factory, client_as):
    from tests.web.test_admin import count_queries

    def essays_waiting(count):
        for _ in range(count):
            attempt = attempts.start(factory.user(), quiz)
            essay = next(
                entry
                for entry in attempt.layout
                if next(
                    s.question for s in quiz.slots if s.question_id == entry["question_id"]
                ).kind
                == "essay"
            )
            attempts.save_answer(attempt, essay["slot"], "Ich frage freundlich nach.")
            attempts.submit(attempt)

    trainer = client_as("trainer")
    essays_waiting(1)
    trainer.get("/questions/grading")  # warm up
    with count_queries(db) as few:
        trainer.get("/questions/grading")
    essays_waiting(4)
    with count_queries(db) as many:
        page = trainer.get("/questions/grading").get_data(as_text=True)
    assert page.count("Ich frage freundlich nach.") == 5
    real = lambda statements: [s for s in statements if "SAVEPOINT" not in s]  # noqa: E731
    assert len(real(many)) == len(real(few))
