"""Browser journey of assessments: a trainer imports a GIFT file and builds a quiz as the
final quiz of a course; a learner takes it, reloads mid-way, double-clicks submit, sees the
result, and the competence profile shows the new evidence."""

import re

import pytest
from playwright.sync_api import expect

from app.courses import building, mapping, services
from app.extensions import db
from app.frameworks import profiles
from app.frameworks.models import Competence
from app.frameworks.services import load_shipped
from app.seed import DEMO_DOMAIN
from tests.e2e.test_journeys import login

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

TRAINER = f"trainer@{DEMO_DOMAIN}"
LEARNER = f"lukas.fischer@{DEMO_DOMAIN}"
COURSE = "Kundenkommunikation im Chat"
GIFT = """$CATEGORY: Kundenchat
::Begrüßung::Wie beginnen Sie einen Kundenchat? {
  =Mit Namen und Gruß ~Mit der Ticketnummer ~Ohne Gruß
}

::Antwortzeit::Wie schnell sollte die erste Antwort im Chat kommen? {
  =Innerhalb weniger Minuten ~Am nächsten Tag ~Nach einer Woche
}

::Emojis::Emojis passen zu jeder Beschwerde. {F}
"""


def _course(live_app):
    with live_app.app_context():
        load_shipped()
        framework = profiles.default_framework()
        interact = db.session.scalar(
            db.select(Competence).where(
                Competence.framework_id == framework.id, Competence.code == "2.1"
            )
        )
        course = services.create_course(None, services.CourseData(title=COURSE))
        module = building.add_module(None, course, "Chat")
        building.add_lesson(None, module, "Grundregeln", "Freundlich, klar, schnell.")
        mapping.set_competences(None, course, {interact.id: 1}, framework)
        services.publish(None, course)
        course_id = course.id
        db.session.remove()
    return course_id


def test_import_build_take_and_see_the_evidence(
    live_app, new_page, screenshot, translate, tmp_path
):
    t = translate
    course_id = _course(live_app)
    path = tmp_path / "kundenchat.gift"
    path.write_text(GIFT, encoding="utf-8")

    trainer = new_page()
    trainer.on("dialog", lambda dialog: dialog.accept())
    login(trainer, TRAINER)
    trainer.goto("/questions/import")
    trainer.get_by_label(t("Question bank")).fill("Kundenchat")
    trainer.get_by_label(t("GIFT file")).set_input_files(str(path))
    trainer.get_by_role("button", name=t("Check file")).click()
    expect(
        trainer.get_by_text(
            t("Preview: %(n)d questions for %(bank)s") % {"n": 3, "bank": "Kundenchat"}
        )
    ).to_be_visible()
    trainer.get_by_role("button", name=t("Import questions")).click()
    expect(trainer.get_by_role("heading", level=1)).to_have_text("Kundenchat")

    trainer.goto("/questions/quizzes/new")
    trainer.get_by_label(t("Title")).fill("Abschlussquiz Kundenchat")
    trainer.get_by_label(t("Questions from the bank")).select_option(label="Kundenchat")
    trainer.get_by_label(t("Final quiz of the course")).select_option(label=COURSE)
    trainer.get_by_label(t("Competence a pass proves")).select_option(label="2.1 Interagieren")
    trainer.get_by_label(t("at level")).select_option(label="Fortgeschritten")
    trainer.get_by_label(t("Pass mark in %")).fill("60")
    trainer.get_by_label(t("Afterwards learners see")).select_option("answers")
    trainer.get_by_label(t("Shuffle the answers")).uncheck()
    trainer.get_by_role("button", name=t("Create quiz")).click()
    # The quiz's own page: its three questions and the competence, then publishing.
    expect(trainer.get_by_role("heading", level=1)).to_contain_text("Abschlussquiz Kundenchat")
    expect(trainer.locator("#slots > li")).to_have_count(3)
    expect(trainer.locator("#competences")).to_contain_text("Interagieren")
    screenshot(trainer, "quiz-building")
    trainer.get_by_role("button", name=t("Publish")).click()
    expect(trainer.get_by_role("heading", level=1)).to_contain_text(t("published"))

    learner = new_page()
    learner.on("dialog", lambda dialog: dialog.accept())
    login(learner, LEARNER)
    learner.goto(f"/courses/{course_id}")
    learner.get_by_role("button", name=t("Enrol")).click()
    learner.get_by_role("link", name=re.compile("Abschlussquiz Kundenchat")).click()
    learner.get_by_role("button", name=t("Start the quiz")).click()
    expect(
        learner.get_by_text(t("Question %(n)d of %(count)d") % {"n": 1, "count": 3})
    ).to_be_visible()
    learner.get_by_label("Mit Namen und Gruß").check()
    learner.get_by_role("button", name=re.compile(re.escape(t("Save and next")))).click()
    expect(
        learner.get_by_text(t("Question %(n)d of %(count)d") % {"n": 2, "count": 3})
    ).to_be_visible()
    learner.reload()  # mid-way: nothing is lost
    learner.get_by_label("Innerhalb weniger Minuten").check()
    learner.get_by_role("button", name=re.compile(re.escape(t("Save and back")))).click()
    expect(learner.get_by_label("Mit Namen und Gruß")).to_be_checked()
    learner.get_by_role("button", name=re.compile(re.escape(t("Save and next")))).click()
    expect(learner.get_by_label("Innerhalb weniger Minuten")).to_be_checked()
    learner.get_by_role("button", name=re.compile(re.escape(t("Save and next")))).click()
    learner.get_by_label(t("False")).check()
    learner.get_by_role("button", name=t("Save and see the overview")).click()
    screenshot(learner, "overview")
    learner.get_by_role("button", name=t("Submit the attempt")).dblclick()
    expect(learner.locator("#result")).to_contain_text("100")
    expect(learner.locator("#result")).to_contain_text(t("Passed."))
    screenshot(learner, "result")

    with live_app.app_context():
        from app.accounts.models import AuditEntry

        submits = db.session.scalar(
            db.select(db.func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "quiz.submit")
        )
        db.session.remove()
    assert submits == 1

    learner.goto("/frameworks/profile")
    row = learner.locator("tr", has_text="Interagieren")
    expect(row.locator("td").nth(2)).to_have_text("Fortgeschritten")
    screenshot(learner, "profile")
