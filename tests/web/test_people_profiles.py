"""Other people's profiles: trainers and HR find a person, open the profile (audited) and
revoke evidence with a reason; learners see none of it."""

from datetime import date

import pytest
from sqlalchemy import select

from app.accounts.models import AuditEntry
from app.frameworks import evidence, profiles, services
from app.frameworks.models import Competence, Evidence
from tests.conftest import csrf_token


@pytest.fixture()
def kmk(db):
    services.load_shipped()
    return profiles.default_framework()


def _competence(db, framework, code):
    return db.session.scalar(
        select(Competence).where(Competence.framework_id == framework.id, Competence.code == code)
    )


@pytest.fixture()
def rated(db, kmk, users, factory):
    """Olga holds 2.4 at level 3 from a course and 4.2 at level 2 from prior learning."""
    olga = factory.user(name="Olga Andere", job_role=users["learner"].job_role)
    course = evidence.record_evidence(
        None, olga, _competence(db, kmk, "2.4"), 3, "course", date(2026, 10, 1)
    )
    prior = evidence.record_evidence(
        users["hr"], olga, _competence(db, kmk, "4.2"), 2, "prior_learning", date(2026, 9, 1)
    )
    return olga, course, prior


def _audits(db, action):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_a_trainer_finds_a_person_and_opens_the_profile_audited(db, kmk, rated, client_as):
    olga, _course, _prior = rated
    trainer = client_as("trainer")
    listing = trainer.get("/frameworks/people?q=olga").get_data(as_text=True)
    assert "Olga Andere" in listing and "learner@firma.example" not in listing
    assert _audits(db, "profile.view") == []  # the list shows no profile data
    page = trainer.get(f"/frameworks/people/{olga.id}").get_data(as_text=True)
    assert "Competence profile of Olga Andere" in page
    assert "Course completed" in page and "Recognised prior learning" in page
    (entry,) = _audits(db, "profile.view")
    assert entry.actor_id == users_id(db, "trainer@firma.example")
    assert entry.subject_id == str(olga.id)


def users_id(db, email):
    from app.accounts.models import User

    return db.session.scalar(select(User.id).where(User.email == email))


def test_people_list_filters_by_department_and_job_role(db, kmk, client_as, factory):
    sales = factory.department("Vertrieb")
    factory.user(name="Vera Verkauf", department=sales)
    factory.user(name="Ingo Intern")
    page = client_as("hr").get(f"/frameworks/people?department={sales.id}").get_data(as_text=True)
    assert "Vera Verkauf" in page and "Ingo Intern" not in page


def test_a_learner_cannot_open_another_persons_profile(db, kmk, rated, client_as):
    olga, course, _prior = rated
    learner = client_as("learner")
    assert learner.get(f"/frameworks/people/{olga.id}").status_code == 403
    assert learner.get("/frameworks/people").status_code == 403
    response = learner.post(
        f"/frameworks/evidence/{course.id}/revoke",
        data={"reason": "x", "csrf_token": csrf_token(learner)},
    )
    assert response.status_code == 403
    assert db.session.get(Evidence, course.id).revoked_at is None
    assert _audits(db, "profile.view") == []


def test_a_trainer_revokes_a_course_completion_with_a_reason(db, kmk, rated, client_as):
    olga, course, _prior = rated
    trainer = client_as("trainer")
    refused = trainer.post(
        f"/frameworks/evidence/{course.id}/revoke",
        data={"reason": "  ", "csrf_token": csrf_token(trainer)},
        follow_redirects=True,
    )
    assert "Please give a reason." in refused.get_data(as_text=True)
    assert db.session.get(Evidence, course.id).revoked_at is None
    done = trainer.post(
        f"/frameworks/evidence/{course.id}/revoke",
        data={"reason": "Teilnahme nicht belegt", "csrf_token": csrf_token(trainer)},
        follow_redirects=True,
    )
    page = done.get_data(as_text=True)
    assert "The evidence has been revoked." in page
    assert "Teilnahme nicht belegt" in page
    db.session.expire_all()
    revoked = db.session.get(Evidence, course.id)
    assert revoked.revoke_reason == "Teilnahme nicht belegt"
    assert revoked.revoked_by_id == users_id(db, "trainer@firma.example")
    rows = {row.competence.code: row for row in profiles.competence_profile(olga, kmk).rows}
    assert rows["2.4"].held == 0 and rows["4.2"].held == 2
    (entry,) = _audits(db, "evidence.revoke")
    assert entry.details["reason"] == "Teilnahme nicht belegt"
    # Revoked once is revoked: a second attempt finds nothing to revoke.
    again = trainer.post(
        f"/frameworks/evidence/{course.id}/revoke",
        data={"reason": "noch einmal", "csrf_token": csrf_token(trainer)},
    )
    assert again.status_code == 404


def test_who_may_revoke_what(db, kmk, rated, client_as):
    olga, course, prior = rated
    hr = client_as("hr")
    page = hr.get(f"/frameworks/people/{olga.id}").get_data(as_text=True)
    assert page.count(f"/frameworks/evidence/{prior.id}/revoke") == 2  # desktop and phone
    assert f"/frameworks/evidence/{course.id}/revoke" not in page
    response = hr.post(
        f"/frameworks/evidence/{course.id}/revoke",
        data={"reason": "x", "csrf_token": csrf_token(hr)},
    )
    assert response.status_code == 404
    assert db.session.get(Evidence, course.id).revoked_at is None
    trainer_page = client_as("trainer").get(f"/frameworks/people/{olga.id}")
    assert f"/frameworks/evidence/{prior.id}/revoke" not in trainer_page.get_data(as_text=True)


def test_the_learner_sees_who_revoked_own_evidence_and_why(db, kmk, users, client_as):
    learner = users["learner"]
    item = evidence.record_evidence(
        None, learner, _competence(db, kmk, "1.1"), 2, "quiz", date(2026, 11, 2)
    )
    evidence.revoke_evidence(users["trainer"], item, "Quiz mit fremder Hilfe gelöst")
    page = client_as("learner").get("/frameworks/profile").get_data(as_text=True)
    assert "Quiz mit fremder Hilfe gelöst" in page
    assert users["trainer"].name in page
    assert "/revoke" not in page  # a learner revokes nothing


def test_person_profile_runs_a_fixed_number_of_queries(db, kmk, rated, client_as, users):
    from tests.web.test_admin import count_queries

    olga, course, _prior = rated
    evidence.revoke_evidence(users["admin"], course, "Test")
    trainer = client_as("trainer")
    trainer.get(f"/frameworks/people/{olga.id}")  # warm: the first audit entry, caches
    with count_queries(db) as few:
        trainer.get(f"/frameworks/people/{olga.id}")
    for code in ("1.1", "1.2", "2.1", "3.1", "4.1", "5.5"):
        item = evidence.record_evidence(
            None, olga, _competence(db, kmk, code), 1, "quiz", date.today()
        )
        evidence.revoke_evidence(users["admin"], item, "Test")
    with count_queries(db) as many:
        trainer.get(f"/frameworks/people/{olga.id}")
    assert len(_real(many)) == len(_real(few))


def _real(statements):
    """The page's own statements, without the savepoints the test transaction adds."""
    return [s for s in statements if "SAVEPOINT" not in s]


def test_an_unknown_person_is_404(db, kmk, client_as):
    assert client_as("trainer").get("/frameworks/people/999999").status_code == 404
