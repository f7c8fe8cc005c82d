"""Browser journey of the Medienpass: HR issues passes for a department, watches the
progress bar and downloads the ZIP; a visitor opens the verification URL of one pass (the
URL its QR code holds) and sees it valid; HR revokes it; the page then says revoked."""

import json
import re
import zipfile

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.frameworks.services import load_shipped
from app.mediapass.models import MedienPass
from app.seed import DEMO_DOMAIN, seed_profiles
from tests.e2e.test_journeys import login

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

HR = f"hr@{DEMO_DOMAIN}"
DEPARTMENT = "Marketing"


def test_bulk_issue_verify_and_revoke(
    live_app, live_server, new_page, screenshot, translate, tmp_path
):
    t = translate
    with live_app.app_context():
        load_shipped()
        seed_profiles()
        db.session.commit()
        db.session.remove()
    # The verification URLs (and so the QR codes) point at this server.
    live_app.config["BASE_URL"] = live_server

    hr = new_page()
    hr.on("dialog", lambda dialog: dialog.accept())
    login(hr, HR)
    hr.goto("/passes/")
    hr.get_by_role("link", name=t("Issue Medienpässe")).click()
    hr.get_by_label(t("For")).select_option(label=DEPARTMENT)
    hr.get_by_role("button", name=t("Issue passes")).click()
    bar = hr.get_by_role("progressbar")
    expect(bar).to_be_visible()
    download_link = hr.get_by_role("link", name=t("Download ZIP"))
    expect(download_link).to_be_visible(timeout=120_000)
    expect(bar).to_have_attribute("aria-valuenow", "100")
    screenshot(hr, "job")
    with hr.expect_download() as info:
        download_link.click()
    path = tmp_path / "passes.zip"
    info.value.save_as(path)
    archive = zipfile.ZipFile(path)
    pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
    index = archive.read("index.csv").decode("utf-8-sig").splitlines()
    assert len(pdfs) == len(index) - 1 >= 2
    assert all(re.fullmatch(r"MP-\d{4}(-[0-9A-Z]{4}){3}_[A-Za-z0-9-]+\.pdf", n) for n in pdfs)

    with live_app.app_context():
        record = db.session.scalars(db.select(MedienPass).order_by(MedienPass.id)).first()
        serial, url = record.serial, json.loads(record.content)["verify_url"]
        holder = record.holder_name
        db.session.remove()
    assert url == f"{live_server}/verify/{serial}"

    visitor = new_page()
    visitor.goto(url)
    expect(visitor.locator("#verdict")).to_contain_text(t("Genuine and valid"))
    expect(visitor.locator("#holder")).to_have_text(holder)
    screenshot(visitor, "valid")

    hr.goto("/passes/?q=" + serial)
    row = hr.locator("tr", has_text=serial)
    row.locator("summary").click()
    row.get_by_label(t("Reason")).fill("Falsche Person ausgewählt")
    row.get_by_role("button", name=t("Revoke")).click()
    expect(hr.locator("tr", has_text=serial)).to_contain_text(t("revoked"))

    visitor.reload()
    expect(visitor.locator("#verdict")).to_contain_text(t("Revoked"))
    expect(visitor.get_by_text("Falsche Person")).to_have_count(0)  # the reason stays inside
    screenshot(visitor, "revoked")
