"""Courses from both sides: a trainer builds and publishes, a learner enrols, learns,
completes and gets evidence; drafts, snapshots, prerequisites, attachments, repeats."""

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import AuditEntry
from app.courses import building, learning, mapping, rules, services
from app.courses.models import Course, Enrolment
from app.errors import DomainError
from app.frameworks import profiles
from app.frameworks import services as framework_services
from app.frameworks.models import Competence, Evidence
from tests.conftest import csrf_token


@pytest.fixture()
def kmk(db):
    framework_services.load_shipped()
    return profiles.default_framework()


def code(db, framework, value):
    return db.session.scalar(
        select(Competence).where(Competence.framework_id == framework.id, Competence.code == value)
    )


def post(client, url, **data):
    return client.post(url, data={**data, "csrf_token": csrf_token(client)})


def test_a_trainer_builds_a_course_through_the_pages(db, kmk, client_as):
    trainer = client_as("trainer")
    response = post(trainer, "/courses/new", title="Netiquette im Team", language="de", hours="1.5")
    assert response.status_code == 302
    course = db.session.scalar(select(Course).where(Course.title == "Netiquette im Team"))
    assert course.status == "draft"
    post(trainer, f"/courses/{course.id}/modules", title="E-Mail und Chat")
    module = services.get_course(course.id).modules[0]
    response = post(trainer, f"/courses/modules/{module.id}/lessons", title="Der Ton macht's")
    lesson_id = int(response.headers["Location"].rsplit("/", 1)[1])
    body = "## Regeln\n\n<script>alert(1)</script>\n\n[klick](javascript:alert(1)) **fett**"
    response = post(
        trainer,
        f"/courses/lessons/{lesson_id}",
        title="Der Ton macht's",
        module_id=module.id,
        body=body,
        links="Knigge | https://example.org/knigge",
    )
    assert response.status_code == 302
    refused = post(trainer, f"/courses/{course.id}/publish")
    assert refused.status_code == 302  # no competence mapped yet: refused with a message
    assert db.session.get(Course, course.id).status == "draft"
    post(trainer, f"/courses/{course.id}/competences", **{f"c-{code(db, kmk, '2.4').id}": "2"})
    post(trainer, f"/courses/{course.id}/publish")
    db.session.expire_all()
    assert db.session.get(Course, course.id).status == "published"
    preview = trainer.get(f"/courses/{course.id}/preview").get_data(as_text=True)
    assert "<strong>fett</strong>" in preview
    assert "<script>alert" not in preview and 'href="javascript:' not in preview
    assert "&lt;script&gt;" in preview or "alert(1)</script>" not in preview
    assert db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "course.publish")
    )


def test_bad_course_data_names_the_field_and_saves_nothing(db, client_as):
    trainer = client_as("trainer")
    before = db.session.scalar(select(func.count()).select_from(Course))
    page = post(
        trainer, "/courses/new", title="Pflicht", language="de", hours="1", mandatory="y"
    ).get_data(as_text=True)
    assert "A mandatory training needs a validity period in months." in page
    page = post(trainer, "/courses/new", title="X", language="de", hours="-3").get_data(
        as_text=True
    )
    assert "Number must be between 0.1 and 1000" in page
    assert db.session.scalar(select(func.count()).select_from(Course)) == before


def test_links_must_be_http(db, kmk, factory):
    course = factory.course([(code(db, kmk, "2.4"), 1)], publish=False)
    with pytest.raises(DomainError, match="only http and https"):
        building.add_lesson(None, course.modules[0], "X", "", [("böse", "javascript:alert(1)")])


def test_a_learner_sees_no_draft_and_only_the_published_state(db, kmk, factory, client_as):
    course = factory.course([(code(db, kmk, "2.4"), 2)], title="Entwurf", publish=False)
    learner = client_as("learner")
    assert learner.get(f"/courses/{course.id}").status_code == 404
    assert "Entwurf" not in learner.get("/courses/").get_data(as_text=True)
    services.publish(None, course)
    lesson = course.modules[0].lessons[0]
    building.update_lesson(None, lesson, "Neu geschrieben", "Noch nicht veröffentlicht", [])
    post(learner, f"/courses/{course.id}/enrol")
    page = learner.get(f"/courses/{course.id}/lessons/{lesson.id}").get_data(as_text=True)
    assert "Lektion 1" in page and "Noch nicht veröffentlicht" not in page
    services.publish(None, course)
    page = learner.get(f"/courses/{course.id}/lessons/{lesson.id}").get_data(as_text=True)
    assert "Noch nicht veröffentlicht" in page


def test_completing_a_course_gives_expiring_evidence_and_raises_the_level(
    db, kmk, factory, client_as, users
):
    netiquette = code(db, kmk, "2.4")
    course = factory.course([(netiquette, 3)], lessons=2, mandatory=True, validity_months=12)
    learner = client_as("learner")
    assert post(learner, f"/courses/{course.id}/enrol").status_code == 302
    lessons = learning.lesson_ids(learning.visible_course(course.id))
    post(learner, f"/courses/{course.id}/lessons/{lessons[0]}/done", next=lessons[1])
    assert db.session.scalar(select(func.count()).select_from(Evidence)) == 0
    response = post(learner, f"/courses/{course.id}/lessons/{lessons[1]}/done")
    page = learner.get(response.headers["Location"]).get_data(as_text=True)
    assert "Course completed" in page
    evidence = db.session.scalars(select(Evidence)).one()
    assert (evidence.level, evidence.source, evidence.user_id) == (3, "course", users["learner"].id)
    assert evidence.expires_on == rules.expires_on(date.today(), 12)
    assert evidence.issuer_label == course.title
    row = next(
        r
        for r in profiles.competence_profile(users["learner"], kmk).rows
        if r.competence.code == "2.4"
    )
    assert row.held == 3
    # Done again: nothing twice.
    post(learner, f"/courses/{course.id}/lessons/{lessons[1]}/done")
    assert db.session.scalar(select(func.count()).select_from(Evidence)) == 1


def test_repeating_starts_a_new_round_and_completes_again(db, kmk, factory, users):
    course = factory.course(
        [(code(db, kmk, "4.2"), 2)], lessons=1, mandatory=True, validity_months=12
    )
    learner = users["learner"]
    enrolment = learning.enrol(learner, course)
    long_ago = date.today() - timedelta(days=400)
    enrolment.round_started_at = datetime.combine(long_ago, time(8))  # enrolled back then
    lesson = learning.lesson_ids(course)[0]
    learning.mark_done(learner, course, lesson, today=long_ago)
    assert enrolment.expires_on < date.today()  # expired: must be repeated
    learning.repeat(learner, course)
    assert learning.done_lessons(enrolment) == set()
    assert learning.mark_done(learner, course, lesson) is True
    assert enrolment.expires_on > date.today()
    assert db.session.scalar(select(func.count()).select_from(Evidence)) == 2


def test_prerequisites_are_named_and_linked(db, kmk, factory, client_as, users):
    basics = factory.course([(code(db, kmk, "3.3"), 1)], title="Urheberrecht")
    advanced = factory.course([(code(db, kmk, "3.1"), 3)], title="Social Media Manager")
    mapping.set_prerequisites(None, advanced, [basics.id], {code(db, kmk, "3.3").id: 2})
    learner = client_as("learner")
    page = learner.get(f"/courses/{advanced.id}").get_data(as_text=True)
    assert f'href="/courses/{basics.id}"' in page and "Rechtliche Vorgaben beachten" in page
    post(learner, f"/courses/{advanced.id}/enrol")
    assert learning.enrolment_of(users["learner"], advanced) is None
    with pytest.raises(DomainError, match="circle"):
        mapping.set_prerequisites(None, basics, [advanced.id], {})
    db.session.rollback()


def test_enrolling_twice_keeps_one_enrolment(db, kmk, factory, client_as):
    course = factory.course([(code(db, kmk, "2.4"), 1)])
    learner = client_as("learner")
    post(learner, f"/courses/{course.id}/enrol")
    post(learner, f"/courses/{course.id}/enrol")
    assert db.session.scalar(select(func.count()).select_from(Enrolment)) == 1


def test_a_learner_cannot_mark_lessons_of_a_course_it_is_not_enrolled_in(
    db, kmk, factory, client_as
):
    course = factory.course([(code(db, kmk, "2.4"), 1)])
    lesson = learning.lesson_ids(course)[0]
    learner = client_as("learner")
    post(learner, f"/courses/{course.id}/lessons/{lesson}/done")
    assert db.session.scalar(select(func.count()).select_from(Enrolment)) == 0
    response = learner.get(f"/courses/{course.id}/lessons/{lesson}")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/courses/{course.id}"
    )


# ---- attachments


def _upload(client, lesson, name, data):
    import io

    return client.post(
        f"/courses/lessons/{lesson.id}/attachments",
        data={"file": (io.BytesIO(data), name), "csrf_token": csrf_token(client)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "Allowed are"),
        ("merkblatt.pdf", b"<html>not a pdf</html>", "does not match its ending .pdf"),
        ("leer.txt", b"", "The file is empty."),
    ],
)
def test_bad_attachments_are_refused(db, kmk, factory, client_as, name, data, message):
    course = factory.course([(code(db, kmk, "2.4"), 1)], publish=False)
    page = _upload(client_as("trainer"), course.modules[0].lessons[0], name, data)
    assert message in page.get_data(as_text=True)
    assert not course.modules[0].lessons[0].attachments


def test_an_attachment_larger_than_allowed_is_refused(app, db, kmk, factory, client_as):
    course = factory.course([(code(db, kmk, "2.4"), 1)], publish=False)
    limit = app.config["ATTACHMENT_MAX_BYTES"]
    app.config["ATTACHMENT_MAX_BYTES"] = 1024
    try:
        page = _upload(
            client_as("trainer"), course.modules[0].lessons[0], "gross.pdf", b"%PDF-" + b"0" * 2000
        )
    finally:
        app.config["ATTACHMENT_MAX_BYTES"] = limit
    assert "larger than" in page.get_data(as_text=True)


def test_attachments_are_served_only_with_the_published_course(db, kmk, factory, client_as):
    course = factory.course([(code(db, kmk, "2.4"), 1)], publish=False)
    lesson = course.modules[0].lessons[0]
    _upload(client_as("trainer"), lesson, "merkblatt.pdf", b"%PDF-1.4 Merkblatt")
    db.session.expire_all()
    attachment = services.get_course(course.id).modules[0].lessons[0].attachments[0]
    learner = client_as("learner")
    assert learner.get(f"/courses/attachments/{attachment.id}").status_code == 404  # draft
    services.publish(None, services.get_course(course.id))
    response = learner.get(f"/courses/attachments/{attachment.id}")
    assert response.status_code == 200 and response.data == b"%PDF-1.4 Merkblatt"
    assert "attachment" in response.headers["Content-Disposition"]
    assert client_as("learner").get("/courses/attachments/999999").status_code == 404


def test_the_media_concept_lists_the_courses_as_planned_measures(db, kmk, factory, client_as):
    factory.course([(code(db, kmk, "4.2"), 2)], title="Datenschutz am Arbeitsplatz")
    factory.course([(code(db, kmk, "2.4"), 2)], title="Netiquette (Entwurf)", publish=False)
    archived = factory.course([(code(db, kmk, "1.1"), 1)], title="Alter Kurs")
    services.archive(None, archived)
    page = client_as("hr").get("/frameworks/medienkonzept").get_data(as_text=True)
    measures = page.split('id="measures"', 1)[1].split("</ul>", 1)[0]
    assert "Datenschutz am Arbeitsplatz" in measures and "4.2" in measures
    assert "Netiquette (Entwurf)" in measures and "in preparation" in measures
    assert "Alter Kurs" not in measures


def test_continue_takes_the_learner_back_to_the_lesson_it_left(db, kmk, factory, client_as):
    course = factory.course([(code(db, kmk, "2.4"), 1)], lessons=3)
    lessons = learning.lesson_ids(learning.visible_course(course.id))
    learner = client_as("learner")
    post(learner, f"/courses/{course.id}/enrol")
    post(learner, f"/courses/{course.id}/lessons/{lessons[0]}/done", next=lessons[1])
    learner.get(f"/courses/{course.id}/lessons/{lessons[2]}")  # jumped ahead, then left
    page = learner.get(f"/courses/{course.id}").get_data(as_text=True)
    continue_link = page.split("Continue", 1)[0].rsplit("href=", 1)[1]
    assert f"/lessons/{lessons[2]}" in continue_link
    assert "1 of 3 lessons done" in page
