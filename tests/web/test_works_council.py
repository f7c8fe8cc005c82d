"""Works-council mode: person-level reports need a second approver. A drill-down without an
approval is refused (403 page, nothing shown or recorded), the requester cannot approve
their own request, a second HR person or admin unlocks it for GRANT_DAYS days, expiry locks
it again; aggregates keep the minimum group size; with the mode off all works as before."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.accounts import settings
from app.accounts.models import AuditEntry, Setting, utcnow
from app.council import approvals
from app.council.models import AccessRequest
from app.courses.models import Course, Enrolment
from app.errors import DomainError
from app.frameworks import evidence
from app.frameworks import services as framework_services
from tests.conftest import csrf_token, login
from tests.unit.test_framework_formats import ITEMS, LINKS, case_package


@pytest.fixture()
def company(db, factory, users):
    """A published framework; Vertrieb with Anna (rated) and Bert; Cora in IT; a mandatory
    course all three are enrolled in; a second HR person to approve."""
    framework, _count, _warnings = framework_services.import_framework(
        None, case_package(ITEMS, LINKS)
    )
    framework_services.publish(None, framework)
    competence = next(c for c in framework.competences if c.depth == 1)
    sales, it = factory.department("Vertrieb"), factory.department("IT")
    anna = factory.user(name="Anna Vertrieb", department=sales, password=None)
    bert = factory.user(name="Bert Vertrieb", department=sales, password=None)
    cora = factory.user(name="Cora Technik", department=it, password=None)
    evidence.record_evidence(None, anna, competence, 1, "course", date.today())
    course = Course(title="Datenschutz", status="published", mandatory=True, validity_months=12)
    db.session.add(course)
    db.session.flush()
    for person in (anna, bert, cora):
        db.session.add(Enrolment(user_id=person.id, course_id=course.id))
    second_hr = factory.user(roles=("hr",), name="Hanna Zweit", email="hr2@firma.example")
    db.session.commit()
    return {
        "anna": anna,
        "bert": bert,
        "cora": cora,
        "sales": sales,
        "it": it,
        "course": course,
        "hr2": second_hr,
    }


def _mode(db, on=True):
    row = db.session.get(Setting, "works_council_mode")
    if row is None:
        db.session.add(Setting(key="works_council_mode", value=on))
    else:
        row.value = on
    db.session.commit()


def _post(client, url, **data):
    client.get("/login")
    return client.post(url, data={"csrf_token": csrf_token(client), **data})


def _audits(db, action):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def _ask(client, **data):
    return _post(client, "/access-requests", **data)


def test_with_the_mode_off_everything_works_as_before(db, company, client_as):
    hr = client_as("hr")
    anna, sales = company["anna"], company["sales"]
    assert settings.works_council_mode() is False
    assert hr.get(f"/frameworks/people/{anna.id}").status_code == 200
    matrix = hr.get("/reports/matrix").get_data(as_text=True)
    assert "Anna Vertrieb" in matrix and "Cora Technik" in matrix
    assert "works-council-note" not in matrix
    drill = hr.get(f"/courses/compliance/{company['course'].id}/{sales.id}")
    assert drill.status_code == 200 and "Bert Vertrieb" in drill.get_data(as_text=True)
    table = hr.get("/courses/compliance").get_data(as_text=True)
    assert "withheld" not in table  # small groups show as before
    page = hr.get("/access-requests").get_data(as_text=True)
    assert "Works-council mode is off" in page
    refused = _ask(hr, person=anna.email, reason="Personalgespräch am Freitag")
    assert "Works-council mode is off" in refused.get_data(as_text=True)
    assert db.session.scalars(select(AccessRequest)).all() == []


def test_a_single_approver_is_not_enough_and_a_second_unlocks_until_expiry(
    db, company, client_as, app
):
    _mode(db)
    anna, bert = company["anna"], company["bert"]
    hr = client_as("hr")
    blocked = hr.get(f"/frameworks/people/{anna.id}")
    assert blocked.status_code == 403
    assert "Approval needed" in blocked.get_data(as_text=True)
    assert hr.get("/reports/matrix").status_code == 403
    assert hr.get("/reports/matrix.csv").status_code == 403
    assert _audits(db, "profile.view") == [] and _audits(db, "report.matrix") == []

    asked = _ask(hr, person=anna.email, reason="Personalgespräch zur Weiterbildung")
    assert asked.status_code == 302
    (request,) = db.session.scalars(select(AccessRequest)).all()
    assert (request.state, request.person_id, request.scope) == ("pending", anna.id, "person")
    (entry,) = _audits(db, "access.request")
    assert entry.subject_id == str(anna.id)

    # The requester approving their own request is refused, also by the service.
    own = _post(hr, f"/access-requests/{request.id}/decide", decision="approve")
    assert own.status_code == 302
    assert "cannot decide your own request" in hr.get("/access-requests").get_data(as_text=True)
    db.session.refresh(request)
    assert request.state == "pending" and request.expires_at is None
    with pytest.raises(DomainError):
        approvals.decide(request.requester, request.id, True)
    assert hr.get(f"/frameworks/people/{anna.id}").status_code == 403

    # A second person with the HR role approves: the requester sees Anna, nobody else.
    second = app.test_client()
    assert login(second, company["hr2"].email).status_code == 302
    waiting = second.get("/access-requests").get_data(as_text=True)
    assert "Personalgespräch zur Weiterbildung" in waiting
    approved = _post(second, f"/access-requests/{request.id}/decide", decision="approve")
    assert approved.status_code == 302
    db.session.refresh(request)
    assert request.state == "approved" and request.decided_by_id == company["hr2"].id
    assert request.expires_at - utcnow() > timedelta(days=approvals.GRANT_DAYS - 1)
    assert hr.get(f"/frameworks/people/{anna.id}").status_code == 200
    assert hr.get(f"/frameworks/people/{bert.id}").status_code == 403
    matrix = hr.get("/reports/matrix").get_data(as_text=True)
    assert "Anna Vertrieb" in matrix and "Bert Vertrieb" not in matrix
    assert "works-council-note" in matrix
    assert {e.subject_id for e in _audits(db, "report.matrix")} == {str(anna.id)}
    assert _audits(db, "access.approve")[0].actor_id == company["hr2"].id
    # The approval is the requester's alone: the approver gained nothing.
    assert second.get(f"/frameworks/people/{anna.id}").status_code == 403

    # Expiry locks it again.
    request.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert hr.get(f"/frameworks/people/{anna.id}").status_code == 403
    assert hr.get("/reports/matrix").status_code == 403
    assert "expired" in hr.get("/access-requests").get_data(as_text=True)


def test_a_rejected_request_keeps_the_data_locked(db, company, client_as):
    _mode(db)
    request = approvals.request_access(
        company["hr2"], "department", company["sales"].id, "Kompetenzgespräche im Vertrieb"
    )
    admin = client_as("admin")
    _post(admin, f"/access-requests/{request.id}/decide", decision="reject", note="Kein Anlass")
    db.session.refresh(request)
    assert (request.state, request.decision_note, request.expires_at) == (
        "rejected",
        "Kein Anlass",
        None,
    )
    assert approvals.coverage(company["hr2"]).anyone is False
    with pytest.raises(DomainError):  # decided once
        approvals.decide(approvals_user(db, "hr"), request.id, True)


def test_a_department_approval_opens_its_people_in_every_drill_down(db, company, client_as):
    _mode(db)
    hr, sales, course = client_as("hr"), company["sales"], company["course"]
    assert hr.get(f"/courses/compliance/{course.id}/{sales.id}").status_code == 403
    request = approvals.request_access(
        approvals_user(db, "hr"), "department", sales.id, "Nachschulung im Vertrieb planen"
    )
    approvals.decide(company["hr2"], request.id, True)
    drill = hr.get(f"/courses/compliance/{course.id}/{sales.id}").get_data(as_text=True)
    assert "Anna Vertrieb" in drill and "Bert Vertrieb" in drill
    # IT is not covered: its list is empty (names nobody) rather than shown.
    other = hr.get(f"/courses/compliance/{course.id}/{company['it'].id}").get_data(as_text=True)
    assert "Cora Technik" not in other
    viewed = {e.subject_id for e in _audits(db, "compliance.view")}
    assert viewed == {str(company["anna"].id), str(company["bert"].id)}
    csv_text = hr.get(f"/reports/matrix.csv?department={sales.id}").data.decode("utf-8-sig")
    assert "Anna Vertrieb" in csv_text and "Cora Technik" not in csv_text
    assert hr.get(f"/frameworks/people/{company['cora'].id}").status_code == 403


def approvals_user(db, role):
    from app.accounts.models import User

    return db.session.scalar(select(User).where(User.email == f"{role}@firma.example"))


def test_requests_are_checked_before_anything_is_written(db, company, client_as):
    _mode(db)
    hr = client_as("hr")
    for data, message in (
        ({"person": company["anna"].email, "reason": "kurz"}, "Please give a reason of 10"),
        ({"person": "niemand@firma.example", "reason": "Ein guter Grund dafür"}, "no active"),
        ({"reason": "Ein guter Grund dafür"}, "Please choose a department"),
        (
            {
                "person": company["anna"].email,
                "group": f"department:{company['sales'].id}",
                "reason": "Ein guter Grund dafür",
            },
            "either a group or one person",
        ),
        ({"group": "department:999999", "reason": "Ein guter Grund dafür"}, "choose a department"),
    ):
        page = _ask(hr, **data)
        assert page.status_code == 200 and message in page.get_data(as_text=True), data
    assert db.session.scalars(select(AccessRequest)).all() == []
    assert _audits(db, "access.request") == []
    # Asking twice for the same while the first waits is refused.
    _ask(hr, person=company["anna"].email, reason="Personalgespräch am Freitag")
    again = _ask(hr, person=company["anna"].email, reason="Personalgespräch am Freitag")
    assert "already asked" in again.get_data(as_text=True)
    assert len(db.session.scalars(select(AccessRequest)).all()) == 1
    # A trainer may ask, but not decide.
    trainer = client_as("trainer")
    (request,) = db.session.scalars(select(AccessRequest)).all()
    assert trainer.get("/access-requests").status_code == 200
    assert (
        _post(trainer, f"/access-requests/{request.id}/decide", decision="approve").status_code
        == 403
    )
    assert client_as("admin").post("/access-requests/999999/decide").status_code in (400, 404)


def test_aggregates_keep_the_minimum_group_size_in_works_council_mode(
    db, company, client_as, users
):
    admin = client_as("admin")
    form = {
        "company_name": "Muster GmbH",
        "brand_colour": "#1d4f91",
        "report_min_group": "3",
    }
    assert _post(admin, "/admin/settings", **form).status_code == 302  # mode off: 3 is fine
    refused = _post(admin, "/admin/settings", **form, works_council_mode="y")
    assert "cannot be below 5" in refused.get_data(as_text=True)
    assert settings.works_council_mode() is False  # nothing written
    form["report_min_group"] = "5"
    assert _post(admin, "/admin/settings", **form, works_council_mode="y").status_code == 302
    assert settings.works_council_mode() is True
    change = _audits(db, "settings.change")[-1]
    assert change.details["works_council_mode"] is True
    lower = _post(
        admin, "/admin/settings", **dict(form, report_min_group="2"), works_council_mode="y"
    )
    assert "cannot be below 5" in lower.get_data(as_text=True)
    # A lower value stored before (or configured) counts as 5 while the mode is on.
    db.session.get(Setting, "report_min_group").value = 2
    db.session.commit()
    assert settings.report_min_group() == 5
    # The compliance table withholds the figures of Vertrieb (2) and IT (1), and the totals.
    table = client_as("hr").get("/courses/compliance").get_data(as_text=True)
    assert table.count("withheld: fewer than 5 people") == 2
    assert "compliant" not in table
    csv_text = client_as("hr").get("/courses/compliance.csv").data.decode("utf-8-sig")
    assert ",Vertrieb,,,,,," in csv_text


def test_downloading_someone_elses_pass_is_audited_and_needs_approval(db, company, client_as):
    from app.frameworks import profiles
    from app.mediapass import issuing

    anna = company["anna"]
    record = issuing.issue(None, anna, profiles.published_frameworks()[0])
    hr = client_as("hr")
    assert hr.get(f"/passes/{record.serial}.pdf").status_code == 200
    (entry,) = _audits(db, "pass.download")
    assert (entry.subject_type, entry.subject_id) == ("user", str(anna.id))
    _mode(db)
    assert hr.get(f"/passes/{record.serial}.pdf").status_code == 403
    assert len(_audits(db, "pass.download")) == 1


def test_item_statistics_and_feedback_keep_the_minimum_in_works_council_mode(
    db, company, client_as
):
    from app.assessments import attempts
    from app.frameworks import profiles
    from tests.web.test_access_table import _quiz_and_attempt

    framework = profiles.published_frameworks()[0]
    quiz, attempt = _quiz_and_attempt(db, framework, company["anna"])
    attempts.submit(attempt)
    db.session.commit()
    trainer = client_as("trainer")
    shown = trainer.get(f"/questions/quizzes/{quiz.id}/statistics").get_data(as_text=True)
    assert "withheld" not in shown and "No finished attempt yet." not in shown
    assert approvals.minimum_group(2) == 2
    _mode(db)
    hidden = trainer.get(f"/questions/quizzes/{quiz.id}/statistics").get_data(as_text=True)
    assert "statistics over fewer than 5 people are withheld" in hidden
    csv_text = trainer.get(f"/questions/quizzes/{quiz.id}/statistics.csv").data.decode("utf-8-sig")
    assert len(csv_text.strip().splitlines()) == 1  # the header only
    assert approvals.minimum_group(2) == 5  # course feedback: at least the reports' minimum
