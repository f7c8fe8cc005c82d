"""Browser journey: a trainer imports a CASE file, edits it, publishes, sets the requirements
of a job role; a learner of that job role then sees the requirement and the gap."""

import re

import pytest
from playwright.sync_api import expect

from app.seed import DEMO_DOMAIN
from tests.e2e.test_journeys import arrive, login
from tests.unit.test_framework_formats import ITEMS, LINKS, case_package

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

TRAINER = f"trainer@{DEMO_DOMAIN}"
LEARNER = f"jonas.wagner@{DEMO_DOMAIN}"  # Vertrieb, Führungskraft


def test_trainer_builds_requirements_and_the_learner_sees_the_gap(new_page, screenshot, tmp_path):
    path = tmp_path / "medienrahmen.json"
    path.write_text(case_package(ITEMS, LINKS, title="Medienrahmen Vertrieb"))

    page = new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, TRAINER)
    page.goto("/frameworks/import")
    page.get_by_label("CASE-JSON- oder Moodle-CSV-Datei").set_input_files(str(path))
    page.get_by_role("button", name="Datei prüfen").click()
    expect(page.get_by_text("Vorschau: Medienrahmen Vertrieb")).to_be_visible()
    expect(page.get_by_text("4 Kompetenzen im Baum.")).to_be_visible()
    screenshot(page, "preview")
    page.get_by_role("button", name="Kompetenzrahmen importieren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Medienrahmen Vertrieb")
    framework_url = page.url

    # Edit a competence of the draft.
    row = page.locator("li.list-group-item", has_text="Auswerten")
    row.get_by_role("link", name="Bearbeiten").click()
    page.get_by_label("Titel").fill("Informationen auswerten und bewerten")
    page.get_by_role("button", name="Speichern").click()
    arrive(page, re.sub(r"^https?://[^/]+", "", framework_url))
    expect(page.get_by_text("Informationen auswerten und bewerten", exact=True)).to_be_visible()

    # Publish it.
    page.get_by_role("button", name="Veröffentlichen").click()
    expect(page.get_by_text("Medienrahmen Vertrieb ist veröffentlicht.")).to_be_visible()

    # Requirements: Führungskraft needs 1.2 at "Fortgeschritten".
    page.get_by_role("link", name="Anforderungsprofile").click()
    page.get_by_label("1.2 · Führungskraft").select_option(label="Fortgeschritten")
    page.get_by_role("button", name="Anforderungen speichern").click()
    expect(page.get_by_text("1 Anforderungen geändert.")).to_be_visible()
    screenshot(page, "requirements")

    learner = new_page()
    login(learner, LEARNER)
    # Another published framework (KMK, loaded by other journeys) may be the default one.
    framework_id = re.search(r"/frameworks/(\d+)", framework_url).group(1)
    learner.goto(f"/frameworks/profile?framework={framework_id}")
    expect(learner.get_by_role("heading", level=1)).to_have_text("Mein Kompetenzprofil")
    row = learner.locator("tr", has_text="Informationen auswerten und bewerten")
    expect(row).to_contain_text("Fortgeschritten")
    expect(learner.locator("svg.profile-chart")).to_be_visible()
    expect(learner.locator(".card-stat", has_text="Lücken")).to_contain_text("1")
    screenshot(learner, "profile")
