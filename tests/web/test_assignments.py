"""Assigning courses: to persons, departments and job roles with a due date; idempotent;
people who join later get it; the learner's dashboard shows it with its status."""

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.courses import assignments, learning
from app.courses.models import Assignment, Enrolment
from app.frameworks import profiles
from app.frameworks import services as framework_services
from app.frameworks.models import Competence
from tests.conftest import csrf_token


@pytest.fixture()
def kmk(db):
    framework_services.load_shipped()
    return profiles.default_framework()


@pytest.fixture()
def course(db, kmk, factory):
    netiquette = db.session.scalar(
        select(Competence).where(Competence.framework_id == kmk.id, Competence.code == "2.4")
    )
    return factory.course([(netiquette, 2)], title="Netiquette", lessons=3)


def _enrolments(db, course):
    return db.session.scalar(
        select(func.count()).select_from(Enrolment).where(Enrolment.course_id == course.id)
    )


def _assign(client, course, **fields):
    data = {"due_on": (date.today() + timedelta(days=30)).isoformat(), **fields}
    return client.post(
        f"/courses/{course.id}/assign", data={**data, "csrf_token": csrf_token(client)}
    )


def test_hr_assigns_to_a_department_twice_and_everyone_is_enrolled_once(
    db, course, factory, client_as
):
    sales = factory.department("Vertrieb")
    people = [factory.user(department=sales) for _ in range(3)]
    factory.user(department=sales, active=False)  # deactivated: not enrolled
    factory.user()  # another department
    hr = client_as("hr")
    assert _assign(hr, course, target="department", department_id=sales.id).status_code == 302
    assert _enrolments(db, course) == 3
    page = hr.get(
        _assign(hr, course, target="department", department_id=sales.id).headers["Location"]
    ).get_data(as_text=True)
    assert "0 newly enrolled, 3 were enrolled already" in page
    assert _enrolments(db, course) == 3
    due = date.today() + timedelta(days=30)
    assert {e.due_on for e in db.session.scalars(select(Enrolment))} == {due}
    assert {e.user_id for e in db.session.scalars(select(Enrolment))} == {p.id for p in people}


def test_an_earlier_due_date_wins(db, course, factory, users):
    person = factory.user()
    later, sooner = date.today() + timedelta(days=60), date.today() + timedelta(days=10)
    assignments.assign(None, course, "person", later, users=[person])
    assignments.assign(None, course, "person", sooner, users=[person])
    assignments.assign(None, course, "person", later, users=[person])
    assert learning.enrolment_of(person, course).due_on == sooner


def test_new_members_of_an_assigned_job_role_get_the_course(db, course, factory, client_as):
    role = factory.job_role("Sachbearbeitung")
    assignments.assign(None, course, "job_role", date.today() + timedelta(days=14), job_role=role)
    admin = client_as("admin")
    department = factory.department("Vertrieb")
    admin.post(
        "/admin/users/new",
        data={
            "email": "neu@firma.example",
            "name": "Nora Neu",
            "department_id": department.id,
            "job_role_id": role.id,
            "roles": "learner",
            "csrf_token": csrf_token(admin),
        },
    )
    nora = db.session.scalar(select(User).where(User.email == "neu@firma.example"))
    assert learning.enrolment_of(nora, course).due_on == date.today() + timedelta(days=14)
    # Someone who moves into the job role gets it too.
    mover = factory.user()
    admin.post(
        f"/admin/users/{mover.id}",
        data={
            "email": mover.email,
            "name": mover.name,
            "department_id": mover.department_id,
            "job_role_id": role.id,
            "roles": "learner",
            "csrf_token": csrf_token(admin),
        },
    )
    assert learning.enrolment_of(mover, course) is not None


def test_people_imported_into_an_assigned_department_get_the_course(db, course, factory, client_as):
    sales = factory.department("Vertrieb")
    factory.department("Personal")
    factory.job_role("Sachbearbeitung")
    factory.job_role("Führungskraft")
    assignments.assign(
        None, course, "department", date.today() + timedelta(days=7), department=sales
    )
    hr = client_as("hr")
    data = (
        "email,name,department,job_role,roles\n"
        "anna.schulz@firma.example,Anna Schulz,Vertrieb,Sachbearbeitung,learner\n"
        "tim.wolf@firma.example,Tim Wolf,Personal,Führungskraft,learner\n"
    ).encode()
    hr.post(
        "/hr/users/import",
        data={"file": (io.BytesIO(data), "neu.csv"), "csrf_token": csrf_token(hr)},
        content_type="multipart/form-data",
    )
    enrolled = {e.user.email for e in db.session.scalars(select(Enrolment))}
    assert enrolled == {"anna.schulz@firma.example"}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"target": "person", "emails": "niemand@firma.example"}, "niemand@firma.example"),
        ({"target": "person", "emails": ""}, "Please name at least one person."),
        ({"target": "department"}, "Please choose a department."),
        ({"target": "job_role"}, "Please choose a job role."),
        (
            {"target": "person", "emails": "learner@firma.example", "due_on": "2020-01-01"},
            "The due date lies in the past.",
        ),
    ],
)
def test_bad_assignments_name_the_problem_and_change_nothing(
    db, course, users, client_as, fields, message
):
    page = _assign(client_as("trainer"), course, **fields).get_data(as_text=True)
    assert message in page
    assert db.session.scalar(select(func.count()).select_from(Assignment)) == 0
    assert _enrolments(db, course) == 0


def test_a_draft_cannot_be_assigned(db, kmk, factory, users):
    draft = factory.course([], publish=False)
    with pytest.raises(Exception, match="published"):
        assignments.assign(
            None, draft, "person", date.today() + timedelta(days=3), users=[users["learner"]]
        )


def test_the_dashboard_shows_assigned_courses_with_status_and_progress(
    db, course, users, client_as
):
    learner = users["learner"]
    assignments.assign(None, course, "person", date.today() + timedelta(days=5), users=[learner])
    learning.mark_done(learner, course, learning.lesson_ids(course)[0])
    page = client_as("learner").get("/dashboard").get_data(as_text=True)
    assert "Netiquette" in page and "due soon" in page and "1 of 3 lessons done" in page


def test_catalogue_and_dashboard_run_a_fixed_number_of_queries(db, kmk, factory, users, client_as):
    from tests.web.test_admin import count_queries

    learner = users["learner"]
    codes = ["1.1", "2.4", "3.3", "4.2", "5.2"]
    competences = {
        c.code: c
        for c in db.session.scalars(select(Competence).where(Competence.framework_id == kmk.id))
    }

    def add_courses(count):
        for number in range(count):
            made = factory.course([(competences[codes[number % 5]], 2)], lessons=1 + number % 3)
            assignments.assign(
                None, made, "person", date.today() + timedelta(days=number + 1), users=[learner]
            )
            learning.mark_done(learner, made, learning.lesson_ids(made)[0])

    client = client_as("learner")
    add_courses(5)
    client.get("/dashboard")  # warm up
    with count_queries(db) as few_dashboard:
        assert client.get("/dashboard").status_code == 200
    with count_queries(db) as few_catalogue:
        assert client.get("/courses/").status_code == 200
    add_courses(45)
    with count_queries(db) as many_dashboard:
        client.get("/dashboard")
    with count_queries(db) as many_catalogue:
        client.get("/courses/")
    real = lambda statements: [s for s in statements if "SAVEPOINT" not in s]  # noqa: E731
    assert len(real(many_dashboard)) == len(real(few_dashboard))
    assert len(real(many_catalogue)) == len(real(few_catalogue))
