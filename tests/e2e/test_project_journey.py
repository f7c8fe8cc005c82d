"""Browser journey of a training project: a trainer builds a plan of six activities with a
start-to-start link and a negative lag, sees the critical path in the table, the Gantt chart
and the network diagram, exports it as Microsoft Project XML and imports that file back."""

import pytest
from playwright.sync_api import expect

from app.seed import DEMO_DOMAIN
from tests.e2e.test_journeys import arrive, login, main_nav

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

TRAINER = f"trainer@{DEMO_DOMAIN}"
RED = "#c62828"
ACTIVITIES = (  # Nr., name, working days, predecessors in the DIN notation
    ("A", "Bedarfsanalyse", "3", ""),
    ("B", "Betriebsrat beteiligen", "2", "A"),
    ("C", "Richtlinie entwerfen", "4", "A AF+1"),
    ("D", "Datenschutz prüfen", "2", "C NF-1"),
    ("E", "Schulungen durchführen", "3", "B; D"),
    ("F", "Abnahme", "0", "E"),
)
CRITICAL = ("A", "C", "D", "E", "F")


def _check_plan(page, keys):
    """The critical activities are marked in the table, red in both charts."""
    expect(page.locator("#critical-path")).to_have_text(" → ".join(keys))
    expect(page.locator("#schedule-table tbody tr.critical")).to_have_count(5)
    gantt = page.locator("svg.gantt-chart")
    expect(gantt.locator(f'rect.bar[fill="{RED}"]')).to_have_count(4)
    expect(gantt.locator(f'polygon.milestone[fill="{RED}"]')).to_have_count(1)
    expect(gantt.locator("line.today")).to_have_count(1)
    network = page.locator("svg.network-diagram")
    # A critical box is outlined in red (the key box below the diagram is not).
    expect(network.locator(f'rect[stroke="{RED}"]')).to_have_count(5)
    expect(network).to_contain_text("AF+1")
    expect(network).to_contain_text("NF−1")


def test_trainer_plans_exports_and_imports_a_project(page, screenshot, translate, tmp_path):
    t = translate
    login(page, TRAINER)
    arrive(page, "/trainer/")  # Bootstrap's dropdowns listen once the page has loaded
    main_nav(page).get_by_role("button", name="Schulung").click()
    main_nav(page).get_by_role("link", name="Schulungsprojekte").click()
    page.get_by_role("link", name=t("New project")).click()
    page.get_by_label(t("Name"), exact=True).fill("Social-Media-Richtlinie")
    # Started a week ago, so that the today line falls into the plan.
    start = page.evaluate(
        "(() => { const d = new Date(Date.now() - 7 * 864e5);"
        " return d.toISOString().slice(0, 10); })()"
    )
    page.get_by_label(t("Project start")).fill(start)
    page.get_by_role("button", name=t("Save")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(t("Activities"))
    for row, values in enumerate(ACTIVITIES):
        for field, value in zip(("key", "name", "duration", "predecessors"), values, strict=True):
            page.locator(f'[name="rows-{row}-{field}"]').fill(value)
    # A typo first: the row is named and nothing is saved.
    page.locator('[name="rows-3-predecessors"]').fill("X NF-1")
    page.get_by_role("button", name=t("Save activities")).click()
    expect(page.locator("tr.row-error")).to_contain_text("X")
    screenshot(page, "row-error")
    page.locator('[name="rows-3-predecessors"]').fill("C NF-1")
    page.get_by_role("button", name=t("Save activities")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Social-Media-Richtlinie")
    _check_plan(page, CRITICAL)
    screenshot(page, "plan")

    with page.expect_download() as info:
        page.get_by_role("link", name=t("MS Project XML")).click()
    exported = tmp_path / "plan.xml"
    info.value.save_as(exported)

    page.goto("/projects/import")
    page.get_by_label(t("Network JSON or Microsoft Project XML file")).set_input_files(
        str(exported)
    )
    page.get_by_role("button", name=t("Check file")).click()
    expect(page.locator("#import-preview tbody tr")).to_have_count(6)
    screenshot(page, "import-preview")
    page.get_by_role("button", name=t("Create project")).click()
    # MSPDI numbers the tasks 1..6 in order: the same plan under new numbers.
    expect(page.locator("#schedule-table tbody tr")).to_have_count(6)
    _check_plan(page, ("1", "3", "4", "5", "6"))
    expect(page.locator("#schedule-table")).to_contain_text("Datenschutz prüfen")
    screenshot(page, "imported")
