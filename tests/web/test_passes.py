"""Issuing, reading back, verifying and revoking Medienpässe; keys and their rotation; who may
fetch which pass."""

import io
import json
from datetime import date, timedelta

import pytest
from pypdf import PdfReader, PdfWriter
from sqlalchemy import func, select

from app.accounts.models import AuditEntry
from app.frameworks import evidence, profiles
from app.frameworks import services as framework_services
from app.frameworks.models import Competence
from app.mediapass import issuing, keys, signing, verification
from app.mediapass.models import MedienPass, SigningKey
from app.mediapass.pdf import CONTENT_NAME, SIGNATURE_NAME
from tests.conftest import csrf_token


@pytest.fixture()
def kmk(db):
    framework_services.load_shipped()
    return profiles.default_framework()


def _competence(db, framework, code):
    return db.session.scalar(
        select(Competence).where(Competence.framework_id == framework.id, Competence.code == code)
    )


@pytest.fixture()
def holder(db, kmk, factory):
    person = factory.user(name="Lena Lehmann", email="lena@firma.example")
    today = date.today()
    evidence.add_evidence(
        person,
        _competence(db, kmk, "2.4"),
        3,
        "course",
        today - timedelta(days=30),
        today + timedelta(days=300),
        issuer_label="Netiquette im Kundenkontakt",
    )
    evidence.add_evidence(
        person, _competence(db, kmk, "1.1"), 2, "quiz", today, issuer_label="Suchen-Quiz"
    )
    # Expired evidence does not count on the day of issue.
    evidence.add_evidence(
        person,
        _competence(db, kmk, "4.1"),
        4,
        "course",
        today - timedelta(days=800),
        today - timedelta(days=1),
        issuer_label="Alter Kurs",
    )
    db.session.commit()
    return person


def _pdf(record):
    return PdfReader(io.BytesIO(record.pdf))


def _post(client, url, **data):
    return client.post(url, data={**data, "csrf_token": csrf_token(client)})


def test_an_issued_pass_holds_the_signed_snapshot(db, kmk, holder, users):
    record = issuing.issue(users["hr"], holder)
    assert record.serial.startswith(f"MP-{date.today().year}-") and len(record.serial) == 22
    content = json.loads(record.content)
    assert content["holder"] == {"name": "Lena Lehmann"}
    assert content["serial"] == record.serial and content["key_id"] == record.key_id
    held = {c["code"]: c for area in content["areas"] for c in area["competences"]}
    assert {code: c["level"] for code, c in held.items()} == {"2.4": 3, "1.1": 2}
    assert held["2.4"]["level_name"] == kmk.scale.levels[2].name
    assert held["2.4"]["evidence"][0]["by"] == "Netiquette im Kundenkontakt"
    assert "Alter Kurs" not in record.content  # expired: not in the snapshot
    data = record.content.encode("utf-8")
    assert signing.is_canonical(data) and signing.sha256_hex(data) == record.sha256
    assert signing.verify(keys.public_key(record.key_id), data, record.signature)

    reader = _pdf(record)
    assert len(reader.pages) >= 1
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Lena Lehmann" in text and record.serial in text and "MEDIENPASS" in text
    assert "Netiquette im Kundenkontakt" in text and record.key_id in text
    attachments = reader.attachments
    assert attachments[CONTENT_NAME] == [data]
    envelope = json.loads(attachments[SIGNATURE_NAME][0])
    assert envelope["sha256"] == record.sha256 and envelope["signature"] == record.signature
    assert reader.metadata.title.startswith("Medienpass Lena Lehmann")
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "pass.issue")
        )
        == 1
    )


def test_an_english_pass_speaks_english(db, kmk, holder):
    record = issuing.issue(None, holder, language="en")
    text = "".join(page.extract_text() for page in _pdf(record).pages)
    assert "Proof of digital competences" in text and "Course completed" in text


def _with_attachment(pdf_bytes, name, change):
    """The PDF with one attachment's bytes changed, as someone editing the file would."""
    reader = PdfReader(io.BytesIO(pdf_bytes))
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    for each, contents in reader.attachments.items():
        data = contents[0]
        writer.add_attachment(each, change(data) if each == name else data)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _one_byte(data):
    index = data.index(b"Lena")
    return data[:index] + b"M" + data[index + 1 :]  # Lena -> Mena


def test_verification_tells_valid_superseded_revoked_tampered_and_unknown(db, kmk, holder, users):
    first = issuing.issue(None, holder)
    assert verification.verify_pdf(first.pdf).as_json() == {
        "valid": True,
        "serial": first.serial,
        "status": "valid",
    }
    second = issuing.issue(None, holder)
    db.session.expire_all()
    assert db.session.get(MedienPass, first.id).status == "superseded"
    assert verification.verify_pdf(first.pdf).status == "superseded"
    assert verification.verify_pdf(second.pdf).valid

    tampered = _with_attachment(second.pdf, CONTENT_NAME, _one_byte)
    assert verification.verify_pdf(tampered).as_json() == {
        "valid": False,
        "serial": second.serial,
        "status": "tampered",
    }

    # A content that is hashed anew does not help: the signature no longer fits.
    def rehash(envelope_bytes):
        envelope = json.loads(envelope_bytes)
        changed = _one_byte(second.content.encode())
        envelope["sha256"] = signing.sha256_hex(changed)
        return json.dumps(envelope).encode()

    both = _with_attachment(
        _with_attachment(second.pdf, CONTENT_NAME, _one_byte), SIGNATURE_NAME, rehash
    )
    assert verification.verify_pdf(both).status == "tampered"

    issuing.revoke(users["hr"], db.session.get(MedienPass, second.id), "Nachweis war falsch.")
    assert verification.verify_pdf(second.pdf).status == "revoked"
    assert verification.verify_pdf(b"%PDF-1.4 not really").status == "unknown"
    assert verification.verify_pdf(b"").as_json() == {
        "valid": False,
        "serial": "",
        "status": "unknown",
    }


def test_revoking_needs_a_reason_and_happens_once(db, kmk, holder, users):
    record = issuing.issue(None, holder)
    with pytest.raises(Exception, match="reason"):
        issuing.revoke(users["hr"], record, "  ")
    assert db.session.get(MedienPass, record.id).status == "valid"
    issuing.revoke(users["hr"], record, "Falsche Person.")
    with pytest.raises(Exception, match="already revoked"):
        issuing.revoke(users["hr"], record, "Noch einmal.")


def test_after_a_key_rotation_old_passes_still_verify(app, db, kmk, holder):
    old = issuing.issue(None, holder)
    new_signer = keys.rotate()
    assert new_signer.key_id != old.key_id
    newer = issuing.issue(None, holder)
    assert newer.key_id == new_signer.key_id
    db.session.expire_all()
    assert verification.verify_pdf(old.pdf).status == "superseded"  # genuine, not tampered
    assert verification.verify_pdf(newer.pdf).valid
    listed = keys.key_set()["keys"]
    assert [(k["kid"], k["status"]) for k in listed] == [
        (new_signer.key_id, "current"),
        (old.key_id, "retired"),
    ]
    assert db.session.scalar(select(func.count()).select_from(SigningKey)) == 2


def test_the_public_pages_show_the_pass_and_nothing_else(db, kmk, holder, client):
    record = issuing.issue(None, holder)
    page = client.get(f"/verify/{record.serial}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Genuine and valid" in text and "Lena Lehmann" in text
    assert "Netiquette" in text and record.serial in text
    assert holder.email not in text and holder.department.name not in text
    assert holder.job_role.name not in text

    unknown = client.get("/verify/MP-2026-AAAA-BBBB-CCCC")
    assert unknown.status_code == 404 and "Not found" in unknown.get_data(as_text=True)
    assert (
        client.get(f"/verify?serial={record.serial.lower()}")
        .headers["Location"]
        .endswith(f"/verify/{record.serial}")
    )

    key_set = client.get("/.well-known/medienpass-keys.json")
    assert key_set.status_code == 200 and key_set.headers["Access-Control-Allow-Origin"] == "*"
    assert [key["kid"] for key in key_set.get_json()["keys"]] == [record.key_id]

    uploaded = client.post(
        "/verify",
        data={"file": (io.BytesIO(record.pdf), "pass.pdf"), "csrf_token": csrf_token(client)},
    )
    assert "Genuine and valid" in uploaded.get_data(as_text=True)
    tampered = _with_attachment(record.pdf, CONTENT_NAME, _one_byte)
    uploaded = client.post(
        "/verify",
        data={"file": (io.BytesIO(tampered), "pass.pdf"), "csrf_token": csrf_token(client)},
    )
    assert "Not genuine" in uploaded.get_data(as_text=True)
    empty = client.post("/verify", data={"csrf_token": csrf_token(client)})
    assert empty.status_code == 200 and "Please choose a PDF file." in empty.get_data(as_text=True)


def test_the_verify_page_says_revoked_with_its_date(db, kmk, holder, users, client_as):
    record = issuing.issue(None, holder)
    hr = client_as("hr")
    refused = _post(hr, f"/passes/{record.serial}/revoke", reason="")
    assert refused.status_code == 302
    assert db.session.get(MedienPass, record.id).status == "valid"
    _post(hr, f"/passes/{record.serial}/revoke", reason="Nachweis war falsch.")
    db.session.expire_all()
    assert db.session.get(MedienPass, record.id).status == "revoked"
    text = hr.get(f"/verify/{record.serial}").get_data(as_text=True)
    assert "Revoked" in text and "Nachweis war falsch." not in text  # the reason stays inside
    listing = hr.get("/passes/?status=revoked").get_data(as_text=True)
    assert record.serial in listing and "Nachweis war falsch." in listing


def test_a_learner_issues_and_fetches_its_own_pass_but_no_one_elses(
    db, kmk, holder, users, client_as
):
    learner = client_as("learner")
    response = _post(learner, "/passes/mine/issue", language="de")
    assert response.status_code == 302
    mine = db.session.scalar(select(MedienPass).where(MedienPass.user_id == users["learner"].id))
    page = learner.get("/passes/mine").get_data(as_text=True)
    assert mine.serial in page and f"/verify/{mine.serial}" in page
    download = learner.get(f"/passes/{mine.serial}.pdf")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")

    other = issuing.issue(None, holder)
    assert learner.get(f"/passes/{other.serial}.pdf").status_code == 404
    holder.name = "Łukasz Żółć"
    db.session.commit()
    polish = issuing.issue(None, holder)
    fetched = client_as("hr").get(f"/passes/{polish.serial}.pdf")
    assert fetched.status_code == 200
    assert "filename*=UTF-8''" in fetched.headers["Content-Disposition"]
    assert learner.get("/passes/").status_code == 403
    assert _post(learner, f"/passes/{other.serial}/revoke", reason="x").status_code == 403
    assert client_as("hr").get(f"/passes/{other.serial}.pdf").status_code == 200
    assert client_as("trainer").get(f"/passes/{other.serial}.pdf").status_code == 404


def test_the_offline_checker_needs_only_the_pdf_and_the_key_set(db, kmk, holder, client, tmp_path):
    """static/tools/verify-medienpass.py runs on its own (pypdf and cryptography only)."""
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "static" / "tools" / "verify-medienpass.py"
    record = issuing.issue(None, holder)
    keys_file = tmp_path / "keys.json"
    keys_file.write_bytes(client.get("/.well-known/medienpass-keys.json").data)
    good, bad = tmp_path / "pass.pdf", tmp_path / "changed.pdf"
    good.write_bytes(record.pdf)
    bad.write_bytes(_with_attachment(record.pdf, CONTENT_NAME, _one_byte))
    other_keys = tmp_path / "other.json"
    other_keys.write_text('{"keys": []}')

    def run(pdf, keys):
        done = subprocess.run(
            [sys.executable, "-I", str(script), str(pdf), "--keys", str(keys)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        return done.returncode, json.loads(done.stdout)

    code, result = run(good, keys_file)
    assert code == 0 and result["genuine"] and result["holder"] == "Lena Lehmann"
    assert result["serial"] == record.serial and result["status_at"].endswith(record.serial)
    code, result = run(bad, keys_file)
    assert code == 1 and result["reason"] == "the content was changed after signing"
    code, result = run(good, other_keys)
    assert code == 1 and result["reason"] == "signed with a key the issuer does not publish"
    assert client.get("/static/tools/verify-medienpass.py").status_code == 200


def test_my_passes_page_runs_a_fixed_number_of_queries(db, kmk, users, client_as):
    from tests.web.test_admin import count_queries

    learner = client_as("learner")
    issuing.issue(None, users["learner"])
    learner.get("/passes/mine")
    with count_queries(db) as few:
        assert learner.get("/passes/mine").status_code == 200
    for _ in range(3):
        issuing.issue(None, users["learner"])
    with count_queries(db) as many:
        page = learner.get("/passes/mine").get_data(as_text=True)
    assert page.count("superseded") == 3
    real = lambda statements: [s for s in statements if "SAVEPOINT" not in s]  # noqa: E731
    assert len(real(many)) == len(real(few))


def test_names_print_as_written_and_levels_as_dots(app, db, kmk, holder, monkeypatch):
    """Names go through the XML reading of the print page and the CSS string of the footer
    unchanged: quotes, ampersands and markup print as text, nothing breaks out."""
    monkeypatch.setitem(app.config, "COMPANY_NAME", 'Müller & "Söhne" </style><b>GmbH')
    holder.name = "Lena <i>Lehmann</i> & Co"
    db.session.commit()
    record = issuing.issue(None, holder)
    pages = [page.extract_text() for page in _pdf(record).pages]
    text = "".join(pages)
    assert "Lena <i>Lehmann</i> & Co" in text
    footer = 'Müller & "Söhne" </style><b>GmbH · Medienpass ' + record.serial
    assert all(footer in page for page in pages)
    # 2.4 is held at level 3, 1.1 at level 2, of the KMK scale's 4 levels.
    assert "●●●○" in text and "●●○○" in text


def test_the_print_page_reads_the_same_through_either_parser(app, db, kmk, holder):
    """The fast XML reading of the print page gives the page the HTML5 parser gives; a page
    that is no XML (a control character in a name) is still rendered, by the HTML5 parser."""
    from app.mediapass import pdf

    record = issuing.issue(None, holder)
    html = pdf.render_html(pdf.context_of(json.loads(record.content), record))
    fast = pdf.document_of(html)
    slow = pdf.pass_html_class()(string=html, base_url=fast.base_url)
    assert fast.etree_element.tag == "html" and fast.base_url.endswith("/static/")

    def text_of(document):
        out = document.write_pdf(font_config=pdf.font_config())
        return [page.extract_text() for page in PdfReader(io.BytesIO(out)).pages]

    assert text_of(fast) == text_of(slow)
    broken = html.replace("Lena Lehmann", "Lena\x0bLehmann")
    # (the control character prints as a missing glyph, which text extraction reads as NULs)
    assert "Lehmann" in "".join(text_of(pdf.document_of(broken))).replace("\x00", "")
