"""The admin's settings: the pass's branding and the reports' minimum group size, stored in
the database over the configuration, checked before anything is written, audited."""

import io
import json
import struct
import zlib

from pypdf import PdfReader
from sqlalchemy import func, select

from app.accounts.models import AuditEntry, Setting
from app.mediapass import issuing
from tests.conftest import csrf_token
from tests.web.test_passes import holder, kmk  # noqa: F401  (fixtures)
from tests.web.test_reports import company  # noqa: F401  (fixture)


def _png(width=4, height=2):
    """A real, tiny PNG: a red picture."""
    row = b"\x00" + b"\xff\x00\x00" * width
    raw = zlib.compress(row * height)

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def _save(client, logo=None, **values):
    data = {
        "company_name": "Beispiel AG",
        "brand_colour": "#7a1f5c",
        "report_min_group": "5",
        "csrf_token": csrf_token(client),
        **values,
    }
    if logo is not None:
        data["logo"] = (io.BytesIO(logo), "logo.png")
    return client.post(
        "/admin/settings", data=data, content_type="multipart/form-data", follow_redirects=True
    )


def _images(pdf_bytes):
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf_bytes)).pages)


def test_branding_set_by_the_admin_is_on_every_page_and_on_new_passes(
    db,
    kmk,  # noqa: F811
    holder,  # noqa: F811
    users,
    client_as,
):
    before = issuing.issue(users["hr"], holder)
    admin = client_as("admin")
    page = _save(admin, logo=_png()).get_data(as_text=True)
    assert "The settings have been saved." in page
    assert "Medienpass · Beispiel AG" in page  # the foot of every page
    assert 'src="data:image/png;base64,' in page  # the current logo is shown
    stored = {row.key: row.value for row in db.session.scalars(select(Setting))}
    assert stored["company_name"] == "Beispiel AG" and stored["brand_colour"] == "#7a1f5c"
    assert stored["brand_logo"]["type"] == "image/png" and "report_min_group" not in stored
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "settings.change")
    ).one()
    assert entry.details == {
        "company_name": "Beispiel AG",
        "brand_colour": "#7a1f5c",
        "brand_logo": "uploaded",
    }

    after = issuing.issue(users["hr"], holder)
    assert json.loads(after.content)["issuer"]["organisation"] == "Beispiel AG"
    assert json.loads(before.content)["issuer"]["organisation"] == "Muster GmbH"  # unchanged
    text = PdfReader(io.BytesIO(after.pdf)).pages[0].extract_text()
    assert "Beispiel AG" in text
    assert _images(after.pdf) == _images(before.pdf) + 1  # the logo

    page = _save(admin, remove_logo="y").get_data(as_text=True)
    assert "The settings have been saved." in page and "data:image/png" not in page
    assert db.session.get(Setting, "brand_logo") is None


def test_bad_settings_are_refused_and_nothing_is_written(db, users, client_as):
    admin = client_as("admin")
    for values, logo, message in (
        ({"company_name": "  "}, None, "The company name needs 1 to 120 characters."),
        ({"brand_colour": "red"}, None, "The colour must be written as #rrggbb"),
        ({"report_min_group": "1"}, None, "a whole number from 2 to 100"),
        ({"report_min_group": "fünf"}, None, "Please enter a whole number."),
        ({}, b"GIF89a not a png", "The logo must be a PNG or JPEG picture."),
        ({}, _png() + b"\x00" * 300_000, "The logo may be at most 300 KB."),
    ):
        page = _save(admin, logo=logo, **values).get_data(as_text=True)
        assert message in page, values
        assert "The settings have been saved." not in page
    assert db.session.scalar(select(func.count()).select_from(Setting)) == 0
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "settings.change")
        )
        == 0
    )
    assert client_as("hr").get("/admin/settings").status_code == 403


def test_the_minimum_group_size_decides_what_the_gap_report_withholds(
    db,
    company,  # noqa: F811
    client_as,
):
    hr = client_as("hr")
    assert "Withheld (fewer than 5 people):" in hr.get("/reports/gaps").get_data(as_text=True)
    _save(client_as("admin"), company_name="Muster GmbH", brand_colour="#1d4f91",
          report_min_group="2")  # fmt: skip
    page = hr.get("/reports/gaps").get_data(as_text=True)
    assert "Withheld (fewer than 2 people):" in page and "IT: 2 people" in page
