"""Writing questions through the editor: every type, checks that write nothing, deleting
only unused questions, competences, and the questions going out as GIFT and back."""

import pytest
from sqlalchemy import func, select

from app.accounts.models import AuditEntry
from app.assessments import gift, quizzes, services
from app.assessments.models import Question, QuestionBank, QuestionCategory
from app.frameworks import profiles
from app.frameworks import services as framework_services
from tests.conftest import csrf_token


@pytest.fixture()
def bank(db):
    bank = QuestionBank(name="Datenschutz")
    db.session.add(bank)
    db.session.commit()
    return bank


def _rows(*rows):
    """Form fields of answer rows given as dicts, numbered as the page numbers them."""
    return {
        f"answers-{index}-{name}": value
        for index, row in enumerate(rows)
        for name, value in row.items()
    }


def _post(client, url, **data):
    return client.post(url, data={**data, "csrf_token": csrf_token(client)})


def _new(client, bank, kind, **data):
    return _post(client, f"/questions/{bank.id}/new?kind={kind}", **data)


def _questions(db):
    return db.session.scalars(select(Question).order_by(Question.id)).all()


def _count(db):
    return db.session.scalar(select(func.count()).select_from(Question))


SINGLE = {
    "title": "Weitergabe",
    "category": "Grundlagen/Weitergabe",
    "text": "Wer darf **Kundendaten** sehen?",
    "general_feedback": "Nur wer sie braucht.",
    **_rows(
        {"text": "Wer sie für die Arbeit braucht", "weight": "100", "feedback": "Richtig"},
        {"text": "Alle im Haus", "weight": "", "feedback": "Nein"},
        {"text": "", "weight": "", "feedback": ""},  # an empty row: dropped
    ),
}
MULTIPLE = {
    "title": "Sichere Passwörter",
    "text": "Was macht ein Passwort sicher?",
    **_rows(
        {"text": "Länge", "weight": "50"},
        {"text": "Sonderzeichen", "weight": "50"},
        {"text": "Der Vorname", "weight": "-100"},
    ),
}
NUMERIC = {
    "title": "Frist",
    "text": "Wie viele Stunden hat man, eine Datenpanne zu melden?",
    **_rows(
        {"value": "72", "tolerance": "0", "weight": "100"},
        {"low": "48", "high": "71", "weight": "50", "feedback": "Fast"},
    ),
}
MATCHING = {
    "title": "Rechte",
    "text": "Ordnen Sie zu.",
    **_rows(
        {"text": "Art. 15", "match": "Auskunft"},
        {"text": "Art. 17", "match": "Löschung"},
        {"text": "", "match": "Datenübertragbarkeit"},  # a distractor
    ),
}
SHORT = {
    "text": "Wie heißt die Verordnung kurz?",
    **_rows({"text": "DSGVO", "weight": ""}, {"text": "DS-GVO", "weight": "100"}),
}
TRUE_FALSE = {
    "text": "Eine E-Mail-Adresse ist ein personenbezogenes Datum.",
    "correct": "true",
    "feedback_true": "Genau.",
    "feedback_false": "Doch: sie nennt eine Person.",
}


def test_every_type_is_created_through_the_page(db, bank, client_as):
    trainer = client_as("trainer")
    for kind, data in (
        ("single_choice", SINGLE),
        ("multiple_choice", MULTIPLE),
        ("numeric", NUMERIC),
        ("matching", MATCHING),
        ("short_text", SHORT),
        ("true_false", TRUE_FALSE),
        ("essay", {"text": "Beschreiben Sie eine Datenpanne."}),
    ):
        response = _new(trainer, bank, kind, **data)
        assert response.status_code == 302, (kind, response.get_data(as_text=True))
        assert response.headers["Location"] == f"/questions/{bank.id}"
    single, multiple, numeric, matching, short, true_false, essay = _questions(db)
    assert single.category.path == "Grundlagen/Weitergabe"
    assert single.category.parent.path == "Grundlagen"
    assert single.text_format == "markdown" and single.general_feedback == "Nur wer sie braucht."
    assert [(a["text"], a["weight"], a["feedback"]) for a in single.answers] == [
        ("Wer sie für die Arbeit braucht", 100.0, "Richtig"),
        ("Alle im Haus", 0.0, "Nein"),
    ]
    assert [a["weight"] for a in multiple.answers] == [50.0, 50.0, -100.0]
    assert [(a["value"], a["tolerance"], a["low"], a["high"]) for a in numeric.answers] == [
        (72.0, 0.0, None, None),
        (None, 0.0, 48.0, 71.0),
    ]
    assert [(a["text"], a["match"]) for a in matching.answers][2] == ("", "Datenübertragbarkeit")
    assert [a["weight"] for a in short.answers] == [100.0, 100.0]
    assert true_false.correct is True and true_false.feedback_false.startswith("Doch")
    assert essay.answers == []
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert actions.count("question.create") == 7
    listing = trainer.get(f"/questions/{bank.id}").get_data(as_text=True)
    assert f'href="/questions/items/{single.id}"' in listing and "Weitergabe" in listing


def test_editing_keeps_the_question(db, bank, client_as):
    trainer = client_as("trainer")
    _new(trainer, bank, "single_choice", **SINGLE)
    (question,) = _questions(db)
    page = trainer.get(f"/questions/items/{question.id}").get_data(as_text=True)
    assert 'value="Wer sie für die Arbeit braucht"' in page and 'value="100"' in page
    changed = {**SINGLE, "title": "Weitergabe intern", "answers-1-weight": "25"}
    response = _post(trainer, f"/questions/items/{question.id}", **changed)
    assert response.status_code == 302
    db.session.expire_all()
    (again,) = _questions(db)
    assert again.id == question.id and again.title == "Weitergabe intern"
    assert again.answers[1]["weight"] == 25.0
    assert "question.update" in db.session.scalars(select(AuditEntry.action)).all()


@pytest.mark.parametrize(
    "kind, data, problem",
    [
        ("single_choice", {**SINGLE, "text": ""}, "The question text is missing."),
        ("single_choice", {**SINGLE, "title": "x" * 301}, "longer than 300 characters"),
        ("single_choice", {**SINGLE, "answers-0-weight": "50"}, "One answer must be worth 100"),
        ("single_choice", {"text": "Frage?", **_rows({"text": "Ja", "weight": "100"})}, "two"),
        ("single_choice", {**SINGLE, "answers-1-weight": "viel"}, "Answer 2: weights and"),
        ("multiple_choice", {**MULTIPLE, "answers-1-weight": "40"}, "add up to 100"),
        ("multiple_choice", {**MULTIPLE, "answers-2-weight": "-150"}, "Answer 3: the weight"),
        ("numeric", {**NUMERIC, "answers-0-tolerance": "-1"}, "Answer 1: the tolerance"),
        ("numeric", {**NUMERIC, "answers-1-low": "80"}, "Answer 2: the range"),
        ("numeric", {**NUMERIC, "answers-0-value": "zwei"}, "Answer 1: weights and values"),
        ("numeric", {"text": "Wie viel?", **_rows({"feedback": "?"})}, "Answer 1: give a number"),
        ("matching", {**MATCHING, "answers-1-match": ""}, "Answer 2: a pair needs both sides"),
        ("matching", {**MATCHING, "answers-1-text": ""}, "at least two pairs"),
        ("short_text", {**SHORT, "answers-0-weight": "0", "answers-1-weight": "0"}, "accepted"),
        ("true_false", {**TRUE_FALSE, "correct": ""}, "true or false"),
    ],
)
def test_bad_input_names_the_problem_and_writes_nothing(db, bank, client_as, kind, data, problem):
    trainer = client_as("trainer")
    response = _new(trainer, bank, kind, **data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="question-problems"' in page and problem in page
    assert _count(db) == 0
    assert db.session.scalar(select(func.count()).select_from(QuestionCategory)) == 0
    assert "question.create" not in db.session.scalars(select(AuditEntry.action)).all()


def test_a_bad_edit_changes_nothing(db, bank, client_as):
    trainer = client_as("trainer")
    _new(trainer, bank, "numeric", **NUMERIC)
    (question,) = _questions(db)
    response = _post(
        trainer, f"/questions/items/{question.id}", **{**NUMERIC, "answers-0-value": "x"}
    )
    assert response.status_code == 200
    db.session.expire_all()
    assert _questions(db)[0].answers[0]["value"] == 72.0


def test_an_unknown_type_is_not_offered(bank, client_as):
    assert client_as("trainer").get(f"/questions/{bank.id}/new?kind=essay2").status_code == 404


def test_a_question_in_a_quiz_cannot_be_deleted_an_unused_one_can(db, bank, client_as):
    trainer = client_as("trainer")
    _new(trainer, bank, "single_choice", **SINGLE)
    _new(trainer, bank, "true_false", **TRUE_FALSE)
    used, unused = _questions(db)
    quiz = quizzes.save_quiz(None, None, "Datenschutz-Quiz")
    quizzes.add_questions(None, quiz, [used])
    response = _post(trainer, f"/questions/items/{used.id}/delete")
    assert response.headers["Location"] == f"/questions/items/{used.id}"
    assert "cannot be deleted" in trainer.get(response.headers["Location"]).get_data(as_text=True)
    response = _post(trainer, f"/questions/items/{unused.id}/delete")
    assert response.headers["Location"] == f"/questions/{bank.id}"
    db.session.expire_all()
    assert [q.id for q in _questions(db)] == [used.id]
    assert "question.delete" in db.session.scalars(select(AuditEntry.action)).all()


def test_the_competences_a_question_tests_are_saved(db, bank, client_as):
    framework_services.load_shipped()
    competences = profiles.requirement_matrix(profiles.default_framework()).competences
    first, second = competences[0], competences[1]
    trainer = client_as("trainer")
    page = trainer.get(f"/questions/{bank.id}/new?kind=true_false").get_data(as_text=True)
    assert f'value="{first.id}"' in page and first.title in page
    trainer.post(
        f"/questions/{bank.id}/new?kind=true_false",
        data={
            **TRUE_FALSE,
            "competences": [first.id, second.id],
            "csrf_token": csrf_token(trainer),
        },
    )
    (question,) = _questions(db)
    assert sorted(row.competence_id for row in question.competences) == sorted(
        [first.id, second.id]
    )
    trainer.post(
        f"/questions/items/{question.id}",
        data={**TRUE_FALSE, "competences": [second.id], "csrf_token": csrf_token(trainer)},
    )
    db.session.expire_all()
    assert [row.competence_id for row in _questions(db)[0].competences] == [second.id]
    # Only the competences themselves may be chosen, not the areas above them.
    area = next(c for c in profiles.default_framework().competences if c.depth != 1)
    response = trainer.post(
        f"/questions/items/{question.id}",
        data={**TRUE_FALSE, "competences": [area.id], "csrf_token": csrf_token(trainer)},
    )
    assert response.status_code == 200
    assert "Please choose competences of the framework." in response.get_data(as_text=True)
    db.session.expire_all()
    assert [row.competence_id for row in _questions(db)[0].competences] == [second.id]


def test_learners_and_hr_cannot_edit_questions(db, bank, client_as):
    trainer = client_as("trainer")
    _new(trainer, bank, "single_choice", **SINGLE)
    (question,) = _questions(db)
    for role in ("learner", "hr"):
        client = client_as(role)
        assert client.get(f"/questions/{bank.id}/new").status_code == 403
        assert client.get(f"/questions/items/{question.id}").status_code == 403
        assert _new(client, bank, "single_choice", **SINGLE).status_code == 403
        assert _post(client, f"/questions/items/{question.id}/delete").status_code == 403
    assert _count(db) == 1


def test_written_questions_go_out_as_gift_and_read_back(db, bank, client_as):
    trainer = client_as("trainer")
    written = (
        ("single_choice", SINGLE),
        ("multiple_choice", MULTIPLE),
        ("numeric", NUMERIC),
        ("matching", MATCHING),
        ("short_text", SHORT),
        ("true_false", TRUE_FALSE),
    )
    for kind, data in written:
        assert _new(trainer, bank, kind, **data).status_code == 302
    parsed = gift.read_gift(services.export_gift(bank))
    assert [q.kind for q in parsed.questions] == [kind for kind, _data in written]
    stored = {q.title: q for q in _questions(db)}
    for question in parsed.questions:
        if question.title:
            assert question.text == stored[question.title].text
    assert parsed.questions[0].category == "Grundlagen/Weitergabe"


def test_a_numeric_catch_all_is_kept_and_written_in_the_editor(db, client_as):
    """`~#feedback` in GIFT is Moodle's answer `*`: any other number. The editor shows it as
    the number *, keeps it on saving, and writes it when typed."""
    imported, _counts, _skipped = services.import_gift(
        None,
        "Fristen",
        b"::Frist::Wie viele Stunden hat man, eine Datenpanne zu melden? "
        b"{#=72:0#Genau. ~#Schauen Sie in Art. 33 DSGVO.}",
    )
    (question,) = _questions(db)
    trainer = client_as("trainer")
    page = trainer.get(f"/questions/items/{question.id}").get_data(as_text=True)
    assert 'name="answers-1-value" value="*"' in page
    response = _post(
        trainer,
        f"/questions/items/{question.id}",
        title="Frist",
        text="Wie viele Stunden hat man, eine Datenpanne zu melden?",
        **_rows(
            {"value": "72", "tolerance": "0", "weight": "100", "feedback": "Genau."},
            {"value": "*", "feedback": "Schauen Sie in Art. 33 DSGVO."},
            {"value": "*", "weight": "10", "feedback": "Immerhin eine Zahl."},
        ),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    answers = db.session.get(Question, question.id).answers
    assert [(a["text"], a["value"], a["weight"], a["feedback"]) for a in answers] == [
        ("", 72.0, 100.0, "Genau."),
        ("*", None, 0.0, "Schauen Sie in Art. 33 DSGVO."),
        ("*", None, 10.0, "Immerhin eine Zahl."),
    ]
    exported = services.export_gift(imported)
    assert "=%10%*#Immerhin eine Zahl." in exported and "~#Schauen Sie in Art. 33 DSGVO." not in (
        exported
    )
    (back,) = gift.read_gift(exported).questions
    assert [(a.text, a.weight) for a in back.answers] == [("", 100.0), ("*", 0.0), ("*", 10.0)]
