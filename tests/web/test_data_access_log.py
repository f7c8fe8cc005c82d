"""“Who looked at my data”: every person-level view, export or change by someone else shows
on the person's own page with who (name, role), when and what; a person sees only entries
about themselves, whatever the request asks for."""

from datetime import date

import pytest

from app.accounts import audit
from app.courses.models import Course, Enrolment
from app.frameworks import services as framework_services
from tests.conftest import login
from tests.unit.test_framework_formats import ITEMS, LINKS, case_package


@pytest.fixture()
def looked_at(db, factory, users, app):
    """Tina (trainer) opens Lena's profile; Henrik (HR) reads her in the matrix and a
    compliance list; Ada (admin) opens her user record. Tina also opens the profile of Otto
    (another department)."""
    framework, _count, _warnings = framework_services.import_framework(
        None, case_package(ITEMS, LINKS)
    )
    framework_services.publish(None, framework)
    team = factory.department("Einkauf")
    lena = factory.user(name="Lena Lernt", email="lena@firma.example", department=team)
    otto = factory.user(name="Otto Anders", email="otto@firma.example")
    tina = factory.user(roles=("trainer",), name="Tina Trainerin")
    henrik = factory.user(roles=("hr",), name="Henrik Personal")
    ada = factory.user(roles=("admin",), name="Ada Admin")
    course = Course(title="Datenschutz", status="published", mandatory=True, validity_months=12)
    db.session.add(course)
    db.session.flush()
    db.session.add(Enrolment(user_id=lena.id, course_id=course.id, due_on=date.today()))
    db.session.commit()

    def client_of(person):
        client = app.test_client()
        assert login(client, person.email).status_code == 302
        return client

    trainer, hr, admin = client_of(tina), client_of(henrik), client_of(ada)
    assert trainer.get(f"/frameworks/people/{lena.id}").status_code == 200
    assert trainer.get(f"/frameworks/people/{otto.id}").status_code == 200
    assert hr.get(f"/reports/matrix?department={team.id}").status_code == 200
    assert hr.get(f"/courses/compliance/{course.id}/{team.id}").status_code == 200
    assert admin.get(f"/admin/users/{lena.id}").status_code == 200
    return {"lena": lena, "otto": otto, "client_of": client_of}


def _rows(page):
    text = page.get_data(as_text=True)
    return text[text.index('id="data-access"') :]


def test_a_person_reads_who_looked_at_their_data(db, looked_at):
    lena = looked_at["lena"]
    page = looked_at["client_of"](lena).get("/account/data-access")
    assert page.status_code == 200
    rows = _rows(page)
    for who, what in (
        ("Tina Trainerin", "Competence profile viewed"),
        ("Henrik Personal", "Competence matrix viewed"),
        ("Henrik Personal", "Compliance list of a department viewed"),
        ("Ada Admin", "User record viewed"),
    ):
        assert who in rows and what in rows, (who, what)
    assert "Trainer" in rows and "HR" in rows and "Administrator" in rows  # role badges
    assert "Logged in" not in rows  # the person's own actions are not listed
    assert "4 entries" in rows


def test_a_person_sees_only_entries_about_themselves_whatever_they_ask(db, looked_at, users):
    otto, lena = looked_at["otto"], looked_at["lena"]
    # Only Tina looked at Otto: none of Lena's viewers may show on his page.
    audit.record(users["hr"], "user.view", lena, {"note": "nur Lena"})
    db.session.commit()
    otto_client = looked_at["client_of"](otto)
    for query in (
        "",
        f"?user_id={lena.id}",
        f"?subject_id={lena.id}",
        f"?person={lena.id}",
        f"?user={lena.email}",
        "?actor=henrik",
        "?page=2",
        "?page=-1",
    ):
        rows = _rows(otto_client.get(f"/account/data-access{query}"))
        assert "Henrik Personal" not in rows and "Ada Admin" not in rows, query
        assert "Competence matrix viewed" not in rows, query
        assert "User record viewed" not in rows, query
    rows = _rows(otto_client.get("/account/data-access"))
    assert "Tina Trainerin" in rows and "1 entry" in rows


def test_nobody_looked_yet(db, client_as):
    page = client_as("learner").get("/account/data-access").get_data(as_text=True)
    assert "Nobody else has looked at your data so far." in page
    assert "Who looked at my data" in client_as("hr").get("/account").get_data(as_text=True)
