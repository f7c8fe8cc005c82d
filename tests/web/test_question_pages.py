"""Trainer pages of question banks: GIFT upload with preview and errors, bank, download."""

import io
import re

from sqlalchemy import func, select

from app.assessments.gift import read_gift
from app.assessments.models import Question, QuestionBank
from tests.conftest import csrf_token
from tests.web.test_questions_cli import ALL_KINDS


def _upload(client, text, bank="Datenschutz"):
    data = {
        "bank": bank,
        "file": (io.BytesIO(text.encode()), "fragen.gift"),
        "csrf_token": csrf_token(client),
    }
    return client.post("/questions/import", data=data, content_type="multipart/form-data")


def _count(db):
    return db.session.scalar(select(func.count()).select_from(Question))


def test_upload_previews_then_imports_and_downloads(db, client_as):
    trainer = client_as("trainer")
    page = _upload(trainer, ALL_KINDS).get_data(as_text=True)
    assert "Preview: 7 questions for Datenschutz" in page and "1 descriptions skipped" in page
    assert _count(db) == 0
    payload = re.search(r'name="payload" type="hidden" value="([^"]+)"', page).group(1)
    response = trainer.post(
        "/questions/import",
        data={"bank": "Datenschutz", "payload": payload, "csrf_token": csrf_token(trainer)},
    )
    assert response.status_code == 302 and _count(db) == 7
    bank = db.session.scalar(select(QuestionBank))
    listing = trainer.get(f"/questions/{bank.id}").get_data(as_text=True)
    assert "Hauptstadt" in listing and "Datenschutz/Fristen" in listing
    download = trainer.get(f"/questions/{bank.id}/export.gift")
    assert download.status_code == 200
    assert len(read_gift(download.get_data(as_text=True)).questions) == 7


def test_a_bad_file_lists_its_lines_and_writes_nothing(db, client_as):
    page = _upload(
        client_as("trainer"), "::A::Frage {=ja ~nein}\n\n::B::Offen {=ja ~nein\n"
    ).get_data(as_text=True)
    assert 'id="import-problems"' in page and "<td>3</td>" in page
    assert _count(db) == 0
    assert db.session.scalar(select(func.count()).select_from(QuestionBank)) == 0


def test_learners_and_hr_cannot_reach_the_banks(client_as):
    for role in ("learner", "hr"):
        assert client_as(role).get("/questions/").status_code == 403
