"""Building a quiz through the trainer's pages: settings, fixed questions from a bank,
random draws from a category, order, competences, publishing; and what stays fixed once
learners have attempted it."""

import re

import pytest
from sqlalchemy import func, select

from app.assessments import attempts, quizzes, services
from app.assessments.models import QuestionCategory, Quiz, QuizCompetence, QuizSlot
from app.frameworks import profiles
from app.frameworks import services as framework_services
from app.frameworks.models import Competence
from tests.conftest import csrf_token
from tests.web.test_admin import count_queries

GIFT = """$CATEGORY: Netiquette/Grundlagen
::Anrede::Wie reden Sie Kundinnen an? {=Mit Sie ~Mit Du}
::Chat::Welche Regeln gelten im Chat? {~%50%freundlich ~%50%sachlich ~%-50%ironisch}
::Kommentar::Darf man Kommentare löschen? {T}

$CATEGORY: Netiquette/Praxis
::Fall::Wie antworten Sie auf einen wütenden Kommentar? {}
""".encode()


@pytest.fixture()
def kmk(db):
    framework_services.load_shipped()
    return profiles.default_framework()


@pytest.fixture()
def bank(db, kmk):
    bank, _counts, _skipped = services.import_gift(None, "Netiquette", GIFT)
    return bank


def _post(client, url, **data):
    return client.post(url, data={**data, "csrf_token": csrf_token(client)})


def _code(db, framework, code):
    return db.session.scalar(
        select(Competence).where(Competence.framework_id == framework.id, Competence.code == code)
    )


def _question_ids(bank):
    return {q.title: q.id for q in services.bank_questions(bank)}


def _fresh(db, quiz_id):
    db.session.expire_all()
    return db.session.get(Quiz, quiz_id)


def test_a_quiz_starts_empty_and_gets_built_on_its_page(db, bank, kmk, client_as):
    trainer = client_as("trainer")
    response = _post(trainer, "/questions/quizzes/new", title="Netiquette kompakt", level=1)
    quiz = db.session.scalar(select(Quiz).where(Quiz.title == "Netiquette kompakt"))
    assert response.headers["Location"].endswith(f"/questions/quizzes/{quiz.id}/edit")
    assert quiz.slots == [] and quiz.competences == []

    ids = _question_ids(bank)
    response = _post(
        trainer,
        f"/questions/quizzes/{quiz.id}/questions",
        bank=bank.id,
        question=[ids["Anrede"], ids["Chat"]],
        mark="1,5",
    )
    assert response.status_code == 302
    grundlagen = db.session.scalar(
        select(QuestionCategory).where(QuestionCategory.path == "Netiquette/Grundlagen")
    )
    _post(
        trainer,
        f"/questions/quizzes/{quiz.id}/random",
        category_id=grundlagen.id,
        draw=1,
        mark="2",
    )
    quiz = _fresh(db, quiz.id)
    assert [(s.question_id, s.category_id, s.draw, s.mark) for s in quiz.slots] == [
        (ids["Anrede"], None, 1, 1.5),
        (ids["Chat"], None, 1, 1.5),
        (None, grundlagen.id, 1, 2.0),
    ]
    page = trainer.get(f"/questions/quizzes/{quiz.id}/edit").get_data(as_text=True)
    assert "Wie reden Sie Kundinnen an?" in page
    assert "1 question drawn from Netiquette / Netiquette/Grundlagen" in page
    # What is in the quiz is not offered again.
    offered = page[page.index('id="add-questions"') :]
    assert f'id="q-{ids["Anrede"]}"' not in offered and f'id="q-{ids["Fall"]}"' in offered

    # Order and removal.
    last = quiz.slots[2]
    _post(trainer, f"/questions/quizzes/{quiz.id}/slots/{last.id}/move", direction="up")
    quiz = _fresh(db, quiz.id)
    assert [s.category_id for s in quiz.slots] == [None, grundlagen.id, None]
    _post(trainer, f"/questions/quizzes/{quiz.id}/slots/{quiz.slots[0].id}/remove")
    quiz = _fresh(db, quiz.id)
    assert [s.position for s in quiz.slots] == [0, 1]
    assert quiz.slots[0].category_id == grundlagen.id

    # Competences: two at different levels, then one taken away.
    netiquette, interact = _code(db, kmk, "2.4"), _code(db, kmk, "2.1")
    response = _post(
        trainer,
        f"/questions/quizzes/{quiz.id}/competences",
        framework=kmk.id,
        **{f"c-{netiquette.id}": 3, f"c-{interact.id}": 1},
    )
    assert response.status_code == 302
    assert {(r.competence_id, r.level) for r in _fresh(db, quiz.id).competences} == {
        (netiquette.id, 3),
        (interact.id, 1),
    }
    _post(
        trainer,
        f"/questions/quizzes/{quiz.id}/competences",
        framework=kmk.id,
        **{f"c-{netiquette.id}": 3, f"c-{interact.id}": 0},
    )
    assert [r.competence_id for r in _fresh(db, quiz.id).competences] == [netiquette.id]

    _post(trainer, f"/questions/quizzes/{quiz.id}/publish")
    assert _fresh(db, quiz.id).status == "published"


def test_the_settings_change_and_bad_settings_name_the_field(db, bank, kmk, client_as, factory):
    course = factory.course([(_code(db, kmk, "2.4"), 2)], title="Netiquette im Kundenkontakt")
    quiz = quizzes.save_quiz(None, None, "Netiquette-Quiz")
    trainer = client_as("trainer")
    settings = dict(
        title="Abschlussquiz Netiquette",
        description="Zehn Minuten, zwei Versuche.",
        course_id=course.id,
        pass_mark=75,
        attempts_allowed=2,
        time_limit=10,
        review="score",
        evidence_per_competence="y",
    )
    response = _post(trainer, f"/questions/quizzes/{quiz.id}/edit", **settings)
    assert response.status_code == 302
    quiz = _fresh(db, quiz.id)
    assert (quiz.title, quiz.course_id, quiz.pass_mark, quiz.attempts_allowed) == (
        "Abschlussquiz Netiquette",
        course.id,
        75,
        2,
    )
    assert quiz.time_limit_minutes == 10 and quiz.review == "score"
    assert quiz.evidence_per_competence and not quiz.shuffle_answers

    page = _post(trainer, f"/questions/quizzes/{quiz.id}/edit", **{**settings, "time_limit": 700})
    assert page.status_code == 200
    assert "The time limit must lie between 1 and 600 minutes." in page.get_data(as_text=True)
    assert _fresh(db, quiz.id).time_limit_minutes == 10

    other = quizzes.save_quiz(None, None, "Zweites Quiz")
    page = _post(trainer, f"/questions/quizzes/{other.id}/edit", **settings)
    assert "Netiquette im Kundenkontakt already has a final quiz." in page.get_data(as_text=True)
    assert _fresh(db, other.id).course_id is None


def test_bad_additions_are_refused_with_a_message_and_change_nothing(db, bank, kmk, client_as):
    quiz = quizzes.save_quiz(None, None, "Netiquette-Quiz")
    trainer = client_as("trainer")
    praxis = db.session.scalar(
        select(QuestionCategory).where(QuestionCategory.path == "Netiquette/Praxis")
    )
    page = _post(
        trainer, f"/questions/quizzes/{quiz.id}/random", category_id=praxis.id, draw=2, mark="1"
    ).get_data(as_text=True)
    assert "The category holds 1 questions; draw between 1 and 1." in page

    ids = _question_ids(bank)
    response = _post(
        trainer,
        f"/questions/quizzes/{quiz.id}/questions",
        bank=bank.id,
        question=[ids["Anrede"]],
        mark="viel",
    )
    follow = trainer.get(response.headers["Location"]).get_data(as_text=True)
    assert "The points per question must lie between 0 and 100." in follow

    response = _post(trainer, f"/questions/quizzes/{quiz.id}/questions", bank=bank.id)
    assert "Please choose at least one question." in trainer.get(
        response.headers["Location"]
    ).get_data(as_text=True)

    # A question of another bank is not taken through this bank's form.
    other, _c, _s = services.import_gift(None, "Datenschutz", b"::DS::Ist ein Passwort privat? {T}")
    foreign = services.bank_questions(other)[0].id
    _post(trainer, f"/questions/quizzes/{quiz.id}/questions", bank=bank.id, question=[foreign])

    netiquette = _code(db, kmk, "2.4")
    page = _post(
        trainer,
        f"/questions/quizzes/{quiz.id}/competences",
        framework=kmk.id,
        **{f"c-{netiquette.id}": 9},
    ).get_data(as_text=True)
    assert "2.4: The level must be between 1 and 4." in page

    page = _post(
        trainer,
        f"/questions/quizzes/{quiz.id}/publish",
    )
    assert "Add questions before publishing the quiz." in trainer.get(
        page.headers["Location"]
    ).get_data(as_text=True)

    quiz = _fresh(db, quiz.id)
    assert quiz.slots == [] and quiz.competences == [] and quiz.status == "draft"


def test_once_attempted_the_questions_stay_as_they_are(db, bank, kmk, client_as, users):
    quiz = quizzes.save_quiz(None, None, "Netiquette-Quiz")
    quizzes.add_questions(None, quiz, services.bank_questions(bank)[:2])
    quizzes.set_competences(None, quiz, {_code(db, kmk, "2.4"): 2})
    quizzes.publish(None, quiz)
    attempts.start(users["learner"], quiz)
    trainer = client_as("trainer")
    page = trainer.get(f"/questions/quizzes/{quiz.id}/edit").get_data(as_text=True)
    assert "its questions stay as they are" in page and 'id="add-questions"' not in page

    slot = quiz.slots[0]
    for url, data in (
        (f"/slots/{slot.id}/remove", {}),
        (f"/slots/{slot.id}/move", {"direction": "down"}),
        ("/questions", {"bank": bank.id, "question": [services.bank_questions(bank)[2].id]}),
    ):
        response = _post(trainer, f"/questions/quizzes/{quiz.id}{url}", **data)
        assert "its questions can no longer change" in trainer.get(
            response.headers["Location"]
        ).get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(QuizSlot)) == 2
    assert [s.id for s in _fresh(db, quiz.id).slots] == [slot.id, quiz.slots[1].id]

    # Settings and competences still change, for what comes next.
    _post(trainer, f"/questions/quizzes/{quiz.id}/edit", title="Netiquette-Quiz", pass_mark=80)
    assert _fresh(db, quiz.id).pass_mark == 80


def test_another_quizs_place_is_not_found(db, bank, client_as):
    first = quizzes.save_quiz(None, None, "Erstes Quiz")
    second = quizzes.save_quiz(None, None, "Zweites Quiz")
    quizzes.add_questions(None, second, services.bank_questions(bank)[:1])
    trainer = client_as("trainer")
    slot = second.slots[0]
    assert _post(trainer, f"/questions/quizzes/{first.id}/slots/{slot.id}/remove").status_code == (
        404
    )
    assert len(_fresh(db, second.id).slots) == 1


def test_the_building_page_runs_a_fixed_number_of_queries(db, bank, kmk, client_as):
    quiz = quizzes.save_quiz(None, None, "Netiquette-Quiz")
    questions = services.bank_questions(bank)
    categories = [c for c in db.session.scalars(select(QuestionCategory)) if c.questions]
    quizzes.add_questions(None, quiz, questions[:1])
    quizzes.add_random(None, quiz, categories[0], 1)
    quizzes.set_competences(None, quiz, {_code(db, kmk, "2.4"): 2})
    trainer = client_as("trainer")
    url = f"/questions/quizzes/{quiz.id}/edit"
    trainer.get(url)  # warm up
    with count_queries(db) as few:
        assert trainer.get(url).status_code == 200
    quizzes.add_questions(None, quiz, questions[1:])
    for category in categories:
        quizzes.add_random(None, quiz, category, 1)
    quizzes.set_competences(None, quiz, {_code(db, kmk, "2.1"): 1, _code(db, kmk, "1.1"): 3})
    with count_queries(db) as many:
        page = trainer.get(url).get_data(as_text=True)
    real = lambda statements: [s for s in statements if "SAVEPOINT" not in s]  # noqa: E731
    places = len(re.findall(r"list-group-item d-flex gap-2", page))
    assert places == len(questions) + 1 + len(categories)
    assert len(real(many)) == len(real(few))
    assert db.session.scalar(select(func.count()).select_from(QuizCompetence)) == 3
