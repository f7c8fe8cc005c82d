"""Course feedback surveys: anonymous answers, once per person, results above the minimum group."""

import tempfile
import threading
from datetime import date

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, inspect, select

from app.accounts.models import AuditEntry
from app.assessments import survey_results, surveys
from app.assessments.models import SurveyAnswer, SurveyParticipation, SurveyResponse
from app.courses.models import Enrolment
from app.errors import DomainError
from app.extensions import db as _db
from tests.conftest import csrf_token, login, make_app
from tests.databases import temporary_database


@pytest.fixture()
def course(factory):
    return factory.course([], title="Netiquette", publish=False)


@pytest.fixture()
def survey(db, users, course):
    return surveys.create_survey(
        users["trainer"],
        course,
        "Wie war der Kurs?",
        [("likert", "Der Kurs war verständlich."), ("text", "Was fehlte?")],
    )


def enrol(db, user, course):
    db.session.add(Enrolment(user_id=user.id, course_id=course.id))
    db.session.commit()


def learners(factory, db, course, count):
    people = [factory.user(roles=("learner",)) for _ in range(count)]
    for person in people:
        enrol(db, person, course)
    return people


def values(survey, likert, text=""):
    likert_item, text_item = survey.items
    return {likert_item.id: likert, text_item.id: text}


def test_creating_a_survey_is_audited_and_checks_its_items(db, users, course):
    with pytest.raises(DomainError) as error:
        surveys.create_survey(users["trainer"], course, "Leer", [])
    assert error.value.where == "items"
    with pytest.raises(DomainError) as error:
        surveys.create_survey(users["trainer"], course, "Lang", [("likert", "x" * 501)])
    assert "Item 1" in error.value.message
    survey = surveys.create_survey(
        users["trainer"], course, "Kurz", surveys.parse_items("Gut erklärt\n\n? Was fehlte?")
    )
    assert [(item.kind, item.text) for item in survey.items] == [
        ("likert", "Gut erklärt"),
        ("text", "Was fehlte?"),
    ]
    assert db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) == (
        "survey.create"
    )


def test_an_answer_names_nobody_and_keeps_only_the_day(db, factory, course, survey):
    (person,) = learners(factory, db, course, 1)
    entries_before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    surveys.answer(person, survey, values(survey, 4, "Mehr Beispiele"))

    response_columns = {c.key for c in inspect(SurveyResponse).columns}
    answer_columns = {c.key for c in inspect(SurveyAnswer).columns}
    assert response_columns == {"id", "survey_id", "day"}
    assert "user_id" not in answer_columns
    response = db.session.scalar(select(SurveyResponse))
    assert type(response.day) is date
    assert sorted((a.text, a.value or 0) for a in response.answers) == [
        ("", 4),
        ("Mehr Beispiele", 0),
    ]
    participation = db.session.scalar(select(SurveyParticipation))
    assert (participation.survey_id, participation.user_id) == (survey.id, person.id)
    # Answering leaves no trace in the audit log, which would tie a person to a moment.
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == entries_before


def test_answering_twice_is_refused(db, factory, course, survey):
    (person,) = learners(factory, db, course, 1)
    surveys.answer(person, survey, values(survey, 5))
    with pytest.raises(DomainError, match="already answered"):
        surveys.answer(person, survey, values(survey, 1))
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1
    assert surveys.survey_for_learner(person, course) is None


def test_bad_input_names_the_item_and_writes_nothing(db, factory, course, survey):
    (person,) = learners(factory, db, course, 1)
    likert_item, text_item = survey.items
    for bad in (None, "", "0", "6", "gut"):
        with pytest.raises(DomainError) as error:
            surveys.answer(person, survey, values(survey, bad))
        assert error.value.where == f"item-{likert_item.id}"
        assert "Der Kurs war verständlich." in error.value.message
    with pytest.raises(DomainError) as error:
        surveys.answer(person, survey, values(survey, 3, "x" * 2001))
    assert error.value.where == f"item-{text_item.id}"
    for model in (SurveyParticipation, SurveyResponse, SurveyAnswer):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0


def test_results_are_withheld_below_the_minimum_group_and_shown_at_it(db, factory, course, survey):
    people = learners(factory, db, course, 5)
    for person, value in zip(people[:4], (5, 4, 4, 2), strict=True):
        surveys.answer(person, survey, values(survey, value))
    assert survey_results.results(survey, 5) is None
    surveys.answer(people[4], survey, values(survey, 5))
    result = survey_results.results(survey, 5)
    likert, text = result.items
    assert (result.responses, likert.n, likert.average) == (5, 5, 4.0)
    assert likert.distribution == {1: 0, 2: 1, 3: 0, 4: 2, 5: 2}
    assert text.texts == []


def test_free_texts_come_sorted_without_names(db, factory, course, survey):
    people = learners(factory, db, course, 5)
    given = ["zu kurz", "Beispiele fehlten", "alles gut", "Mehr Übungen", "Danke"]
    for person, text in zip(people, given, strict=True):
        surveys.answer(person, survey, values(survey, 3, text))
    texts = survey_results.results(survey, 5).items[1].texts
    assert texts == ["alles gut", "Beispiele fehlten", "Danke", "Mehr Übungen", "zu kurz"]
    assert texts != given


def test_averages_per_quarter_only_with_enough_answers(db, factory, course, survey):
    people = learners(factory, db, course, 8)
    for person, value in zip(people, (5, 5, 4, 4, 2, 1, 3, 3), strict=True):
        surveys.answer(person, survey, values(survey, value))
    responses = db.session.scalars(select(SurveyResponse).order_by(SurveyResponse.id)).all()
    for response in responses[:6]:
        response.day = date(2026, 2, 10)
    for response in responses[6:]:
        response.day = date(2026, 5, 3)  # two answers in Q2: withheld
    db.session.commit()
    periods = survey_results.averages_over_time(course.id, 5)
    assert [(p.label, p.responses, round(p.average, 2)) for p in periods] == [("2026-Q1", 6, 3.5)]
    quarters = survey_results.quarterly_averages([(date(2026, 12, 31), 5, 20, 5)], 5)
    assert quarters[0].label == "2026-Q4"


# ---- pages


def test_learner_answers_through_the_pages(db, client_as, users, course, survey):
    enrol(db, users["learner"], course)
    client = client_as("learner")
    page = client.get("/questions/surveys/mine").get_data(as_text=True)
    assert f"/questions/surveys/{survey.id}/answer" in page
    form = client.get(f"/questions/surveys/{survey.id}/answer").get_data(as_text=True)
    assert "strongly disagree" in form and "strongly agree" in form
    likert_item, text_item = survey.items
    response = client.post(
        f"/questions/surveys/{survey.id}/answer",
        data={
            f"item-{likert_item.id}": "4",
            f"item-{text_item.id}": "Gut",
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/courses/{course.id}")
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1
    assert "/answer" not in client.get("/questions/surveys/mine").get_data(as_text=True)
    again = client.get(f"/questions/surveys/{survey.id}/answer")
    assert again.status_code == 302  # already answered: back to the course


def test_a_bad_answer_page_names_the_item(db, client_as, users, course, survey):
    enrol(db, users["learner"], course)
    client = client_as("learner")
    client.get("/questions/surveys/mine")
    response = client.post(
        f"/questions/surveys/{survey.id}/answer", data={"csrf_token": csrf_token(client)}
    )
    assert response.status_code == 200
    assert "Choose an answer to “Der Kurs war verständlich.”" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(SurveyParticipation)) == 0


def test_a_learner_not_enrolled_gets_404(db, client_as, survey):
    client = client_as("learner")
    assert client.get(f"/questions/surveys/{survey.id}/answer").status_code == 404


def test_an_inactive_survey_cannot_be_answered(db, client_as, users, course, survey):
    enrol(db, users["learner"], course)
    survey.active = False
    db.session.commit()
    assert client_as("learner").get(f"/questions/surveys/{survey.id}/answer").status_code == 404


def test_a_learner_cannot_see_results(db, client_as, survey):
    assert client_as("learner").get(f"/questions/surveys/{survey.id}").status_code == 403


def test_results_page_hides_answers_below_the_minimum(db, factory, client_as, course, survey):
    for person in learners(factory, db, course, 2):
        surveys.answer(person, survey, values(survey, 2, "geheimer Hinweis"))
    page = client_as("trainer").get(f"/questions/surveys/{survey.id}").get_data(as_text=True)
    assert "3 more answers are needed" in page
    assert "geheimer Hinweis" not in page and 'id="survey-results"' not in page


def test_results_page_shows_texts_without_names(db, factory, client_as, course, survey):
    people = learners(factory, db, course, 5)
    for person in people:
        surveys.answer(person, survey, values(survey, 4, f"Hinweis von {len(person.email)}"))
    page = client_as("trainer").get(f"/questions/surveys/{survey.id}").get_data(as_text=True)
    assert 'id="survey-results"' in page and "Hinweis von" in page
    for person in people:
        assert person.name not in page and person.email not in page


def test_trainer_creates_a_survey_from_lines(db, client_as, course):
    client = client_as("trainer")
    assert client.get(f"/questions/surveys/new?course={course.id}").status_code == 200
    response = client.post(
        "/questions/surveys/new",
        data={
            "course": course.id,
            "title": "Feedback Netiquette",
            "items": "Verständlich\n?Was fehlte?",
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 302
    listing = client.get("/questions/surveys").get_data(as_text=True)
    assert "Feedback Netiquette" in listing and "Netiquette" in listing


# ---- two answers of one person at the same moment, on a committed database


@pytest.fixture(scope="module")
def committed_app():
    with temporary_database("srv") as url, tempfile.TemporaryDirectory() as instance:
        app = make_app(url, instance)
        with app.app_context():
            upgrade()
        yield app
        with app.app_context():
            _db.engine.dispose()


def test_parallel_answers_of_one_person_count_once(committed_app):
    from tests.conftest import Factory

    with committed_app.app_context():
        factory = Factory(_db)
        person = factory.user(roles=("learner",))
        course = factory.course([], title="Parallel", publish=False)
        enrol(_db, person, course)
        survey = surveys.create_survey(None, course, "Parallel", [("likert", "Gut")])
        email, survey_id, item_id = person.email, survey.id, survey.items[0].id
        _db.session.remove()

    clients = []
    for _ in range(6):
        client = committed_app.test_client()
        assert login(client, email).status_code == 302
        clients.append(client)
    barrier = threading.Barrier(len(clients))
    statuses = [None] * len(clients)

    def work(index):
        client = clients[index]
        token = csrf_token(client)
        barrier.wait()
        statuses[index] = client.post(
            f"/questions/surveys/{survey_id}/answer",
            data={f"item-{item_id}": "3", "csrf_token": token},
        ).status_code

    threads = [threading.Thread(target=work, args=(index,)) for index in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert set(statuses) == {302}, statuses
    with committed_app.app_context():
        count = _db.session.scalar(
            select(func.count())
            .select_from(SurveyResponse)
            .where(SurveyResponse.survey_id == survey_id)
        )
        _db.session.remove()
    assert count == 1
