"""Browser journey of the learning side: a trainer builds a course with two lessons mapped
to 2.4 Netiquette and publishes it; HR assigns it to a department with a due date; a
learner of that department sees it on the dashboard, completes it, and sees the level of
2.4 rise in the competence profile."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.frameworks.services import load_shipped
from app.seed import DEMO_DOMAIN
from tests.e2e.test_journeys import arrive, login

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

TRAINER = f"trainer@{DEMO_DOMAIN}"
HR = f"hr@{DEMO_DOMAIN}"
LEARNER = f"learner@{DEMO_DOMAIN}"  # Lena Lehmann, Vertrieb
TITLE = "Netiquette im Kundenkontakt"


def _add_lesson(page, t, title, body):
    page.get_by_placeholder(t("Title of a new lesson")).fill(title)
    page.get_by_role("button", name=t("Add lesson")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    page.get_by_label(t("Text (Markdown)")).fill(body)
    page.get_by_role("button", name=t("Save lesson")).click()
    expect(page.get_by_role("link", name=title)).to_be_visible()


def test_build_assign_learn_and_see_the_level_rise(live_app, new_page, screenshot, translate):
    t = translate
    with live_app.app_context():
        load_shipped()
        db.session.commit()
        db.session.remove()

    # The trainer builds the course.
    page = new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, TRAINER)
    page.goto("/courses/new")
    page.get_by_label(t("Title")).fill(TITLE)
    page.get_by_label(t("Estimated hours")).fill("1")
    page.get_by_role("button", name=t("Save")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.get_by_placeholder(t("Title of a new module")).fill("Schreiben mit Stil")
    page.get_by_role("button", name=t("Add module")).click()
    _add_lesson(page, t, "Anrede und Ton", "## Anrede\n\nSiezen Sie Kundinnen und Kunden.")
    _add_lesson(page, t, "Antworten in Kommentaren", "Erst lesen, dann **freundlich** antworten.")
    page.locator(".card", has_text=t("Competences developed")).get_by_role(
        "link", name=t("Edit")
    ).click()
    page.locator("tr", has_text="Umgangsregeln kennen und einhalten").locator(
        "select"
    ).select_option(label="Fortgeschritten")
    page.get_by_role("button", name=t("Save")).click()
    expect(
        page.get_by_text("Umgangsregeln kennen und einhalten (Netiquette) · Fortgeschritten")
    ).to_be_visible()
    page.get_by_role("button", name=t("Publish"), exact=True).click()
    expect(page.locator(".badge", has_text=t("published"))).to_be_visible()
    screenshot(page, "course-built")

    # HR assigns it to the sales department, due in ten days.
    hr = new_page()
    login(hr, HR)
    hr.goto("/courses/assign")
    hr.locator("tr", has_text=TITLE).get_by_role("link", name=t("Assign")).click()
    hr.get_by_label(t("Assign to")).select_option("department")
    hr.get_by_label(t("Department")).select_option(label="Vertrieb")
    due = date.today() + timedelta(days=10)
    hr.get_by_label(t("Due date")).fill(due.isoformat())
    hr.get_by_role("button", name=t("Assign")).click()
    expect(hr.locator(".alert-success")).to_contain_text(TITLE)
    screenshot(hr, "assigned")

    # The learner sees it, learns, completes it, and the level of 2.4 rises.
    learner = new_page()
    login(learner, LEARNER)
    learner.goto("/frameworks/profile")
    row = learner.locator("tr", has_text="Umgangsregeln kennen und einhalten")
    expect(row.locator("td").nth(2)).to_have_text("–")
    learner.goto("/dashboard")
    course = learner.locator("#my-courses li", has_text=TITLE)
    expect(course).to_contain_text(due.strftime("%d.%m.%Y"))
    expect(course).to_contain_text(t("due soon"))
    screenshot(learner, "dashboard-before")
    course.get_by_role("link", name=TITLE).click()
    learner.get_by_role("link", name=t("Start")).click()
    expect(learner.get_by_role("heading", level=1)).to_have_text("Anrede und Ton")
    learner.get_by_role("button", name=re.compile(re.escape(t("Done, next lesson")))).click()
    expect(learner.get_by_role("heading", level=1)).to_have_text("Antworten in Kommentaren")
    screenshot(learner, "lesson")
    learner.get_by_role("button", name=re.compile(re.escape(t("Done, finish the course")))).click()
    expect(learner.locator(".alert-success")).to_be_visible()
    arrive(learner, re.sub(r"^https?://[^/]+", "", learner.url))
    learner.goto("/frameworks/profile")
    row = learner.locator("tr", has_text="Umgangsregeln kennen und einhalten")
    expect(row.locator("td").nth(2)).to_have_text("Fortgeschritten")
    screenshot(learner, "profile-after")
    learner.goto("/dashboard")
    expect(learner.locator("#my-courses li", has_text=TITLE)).to_contain_text(t("done"))
