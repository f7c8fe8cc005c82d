"""Parallel requests on a real database (each thread with its own connection): no 5xx."""

import tempfile
import threading

import pytest
from flask_migrate import upgrade

from app.extensions import db
from app.seed import DEMO_PASSWORD, LEARNERS, _email, seed_accounts
from tests.conftest import csrf_token, make_app
from tests.databases import temporary_database


@pytest.fixture(scope="module")
def committed_app():
    """An app whose data is really committed, so that parallel connections see it."""
    with temporary_database("par") as url, tempfile.TemporaryDirectory() as instance:
        app = make_app(url, instance)
        with app.app_context():
            upgrade()
            seed_accounts()
            db.session.commit()
            db.session.remove()
        yield app
        with app.app_context():
            db.engine.dispose()


def _in_parallel(count, work):
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        barrier.wait()
        results[index] = work(index)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _login(app, email, password):
    client = app.test_client()
    client.get("/login")
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": csrf_token(client)}
    )
    return response.status_code


def test_people_logging_in_at_the_same_moment_all_get_in(committed_app):
    emails = [_email(name) for name, _dep, _job in LEARNERS[:12]]
    statuses = _in_parallel(len(emails), lambda i: _login(committed_app, emails[i], DEMO_PASSWORD))
    assert statuses == [302] * len(emails)


def test_parallel_guesses_do_not_pass_the_account_limit(committed_app):
    email = _email(LEARNERS[15][0])
    statuses = _in_parallel(20, lambda i: _login(committed_app, email, "falsch-falsch"))
    assert sorted(set(statuses)) == [200, 429]
    assert statuses.count(200) == 10  # exactly the limit was checked against the password


def _published_course(app):
    from sqlalchemy import select

    from app.courses import building, mapping, services
    from app.frameworks import profiles
    from app.frameworks import services as framework_services
    from app.frameworks.models import Competence

    with app.app_context():
        framework_services.load_shipped()
        framework = profiles.default_framework()
        netiquette = db.session.scalar(
            select(Competence).where(
                Competence.framework_id == framework.id, Competence.code == "2.4"
            )
        )
        course = services.create_course(None, services.CourseData(title="Netiquette parallel"))
        module = building.add_module(None, course, "Modul")
        building.add_lesson(None, module, "Lektion", "Text")
        mapping.set_competences(None, course, {netiquette.id: 2}, framework)
        services.publish(None, course)
        course_id = course.id
        db.session.remove()
    return course_id


def test_parallel_assignments_enrol_each_person_once(committed_app):
    """HR clicks "assign" for the same department in several tabs at once, while the
    department's learners enrol themselves: one enrolment per person, no error."""
    from sqlalchemy import func, select

    from app.accounts.models import Department, User
    from app.courses.models import Enrolment

    course_id = _published_course(committed_app)
    with committed_app.app_context():
        department = db.session.scalar(select(Department).where(Department.name == "Vertrieb"))
        department_id = department.id
        members = db.session.scalars(
            select(User.email).where(User.department_id == department_id, User.active)
        ).all()
        db.session.remove()

    def work(index):
        client = committed_app.test_client()
        if index < 6:
            client.get("/login")
            client.post(
                "/login",
                data={
                    "email": "hr@muster-gmbh.example",
                    "password": DEMO_PASSWORD,
                    "csrf_token": csrf_token(client),
                },
            )
            return client.post(
                f"/courses/{course_id}/assign",
                data={
                    "target": "department",
                    "department_id": department_id,
                    "due_on": "2099-12-31",
                    "csrf_token": csrf_token(client),
                },
            ).status_code
        email = members[index % len(members)]
        client.get("/login")
        client.post(
            "/login",
            data={"email": email, "password": DEMO_PASSWORD, "csrf_token": csrf_token(client)},
        )
        return client.post(
            f"/courses/{course_id}/enrol", data={"csrf_token": csrf_token(client)}
        ).status_code

    statuses = _in_parallel(12, work)
    assert set(statuses) == {302}, statuses
    with committed_app.app_context():
        counts = db.session.execute(
            select(Enrolment.user_id, func.count())
            .where(Enrolment.course_id == course_id)
            .group_by(Enrolment.user_id)
        ).all()
        db.session.remove()
    assert len(counts) == len(members)
    assert {count for _user, count in counts} == {1}


def test_submitting_from_several_tabs_at_once_grades_once(committed_app):
    """A double click and two more tabs submit the same attempt at the same moment: it is
    graded exactly once, and its evidence is recorded once."""
    from sqlalchemy import func, select

    from app.accounts.models import AuditEntry, User
    from app.assessments import attempts, quizzes
    from app.assessments import services as question_services
    from app.frameworks import profiles
    from app.frameworks import services as framework_services
    from app.frameworks.models import Competence, Evidence

    email = _email(LEARNERS[3][0])
    with committed_app.app_context():
        framework_services.load_shipped()
        framework = profiles.default_framework()
        bank, _c, _s = question_services.import_gift(
            None, "Parallel", b"::A::Anrede? {=Sie ~Du}\n\n::B::Ton? {=freundlich ~barsch}\n"
        )
        quiz = quizzes.save_quiz(None, None, "Parallel-Quiz", shuffle_answers=False)
        quizzes.add_questions(None, quiz, question_services.bank_questions(bank))
        competence = db.session.scalar(
            select(Competence).where(
                Competence.framework_id == framework.id, Competence.code == "2.1"
            )
        )
        quizzes.set_competences(None, quiz, {competence: 2})
        quizzes.publish(None, quiz)
        person = db.session.scalar(select(User).where(User.email == email))
        attempt = attempts.start(person, quiz)
        for entry in attempt.layout:
            attempts.save_answer(attempt, entry["slot"], 0)
        attempt_id, person_id = attempt.id, person.id
        db.session.remove()

    clients = []
    for _ in range(6):
        client = committed_app.test_client()
        client.get("/login")
        client.post(
            "/login",
            data={"email": email, "password": DEMO_PASSWORD, "csrf_token": csrf_token(client)},
        )
        clients.append(client)

    def work(index):
        client = clients[index]
        return client.post(
            f"/questions/attempts/{attempt_id}/submit", data={"csrf_token": csrf_token(client)}
        ).status_code

    assert _in_parallel(6, work) == [302] * 6
    with committed_app.app_context():
        submits = db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.action == "quiz.submit",
                AuditEntry.details["attempt"].as_integer() == attempt_id,
            )
        )
        evidence = db.session.scalar(
            select(func.count()).select_from(Evidence).where(Evidence.user_id == person_id)
        )
        db.session.remove()
    assert (submits, evidence) == (1, 1)
