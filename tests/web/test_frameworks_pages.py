"""Trainer pages for frameworks: upload, preview, confirm; tree with search; downloads."""

import io
import json
import re

from sqlalchemy import func, select

from app.frameworks.case import read_case
from app.frameworks.models import Framework
from app.frameworks.tree import shape
from tests.conftest import csrf_token
from tests.unit.test_framework_formats import ITEMS, LINKS, MOODLE, case_package


def _upload(client, text, name):
    data = {"file": (io.BytesIO(text.encode()), name), "csrf_token": csrf_token(client)}
    return client.post("/frameworks/import", data=data, content_type="multipart/form-data")


def _count(db):
    return db.session.scalar(select(func.count()).select_from(Framework))


def test_upload_shows_a_preview_and_writes_only_on_confirm(db, client_as):
    trainer = client_as("trainer")
    before = _count(db)
    page = _upload(trainer, case_package(ITEMS, LINKS), "rahmen.json").get_data(as_text=True)
    assert "Preview: Testrahmen" in page and "4 competences in the tree." in page
    assert _count(db) == before
    payload = re.search(r'name="payload" type="hidden" value="([^"]+)"', page).group(1)
    response = trainer.post(
        "/frameworks/import", data={"payload": payload, "csrf_token": csrf_token(trainer)}
    )
    assert response.status_code == 302
    assert _count(db) == before + 1
    tree = trainer.get(response.headers["Location"]).get_data(as_text=True)
    assert "Suchen &amp; Filtern" in tree and "imported with 4 competences" in tree


def test_bad_upload_lists_every_problem_and_writes_nothing(db, client_as):
    trainer = client_as("trainer")
    before = _count(db)
    bad = MOODLE + "nope,C,C,,1,,,,,,,,0,\r\n" + ",B,Doppelt,,1,,,,,,,,0,\r\n"
    page = _upload(trainer, bad, "rahmen.csv").get_data(as_text=True)
    assert "<td>line 7</td>" in page and "<td>line 8</td>" in page
    assert "Preview" not in page
    assert _count(db) == before


def test_a_tampered_payload_is_refused(client_as):
    trainer = client_as("trainer")
    response = trainer.post(
        "/frameworks/import", data={"payload": "%%%", "csrf_token": csrf_token(trainer)}
    )
    assert response.status_code == 400


def test_tree_search_shows_matches_with_their_parents(db, client_as):
    from app.frameworks import services

    framework, _n, _w = services.import_framework(None, case_package(ITEMS, LINKS))
    page = client_as("trainer").get(f"/frameworks/{framework.id}?q=auswert")
    text = page.get_data(as_text=True)
    assert "Auswerten" in text and "Suchen" in text  # the match and its area
    assert "Kommunizieren" not in text


def test_downloads_give_the_same_tree(db, client_as):
    from app.frameworks import services

    framework, _n, _w = services.import_framework(None, case_package(ITEMS, LINKS))
    trainer = client_as("trainer")
    response = trainer.get(f"/frameworks/{framework.id}/export.json")
    assert "attachment" in response.headers["Content-Disposition"]
    assert shape(read_case(response.get_data(as_text=True))) == shape(
        read_case(case_package(ITEMS, LINKS))
    )
    csv_text = trainer.get(f"/frameworks/{framework.id}/export.csv").get_data(as_text=True)
    assert csv_text.startswith("Parent ID number,")
    assert trainer.get(f"/frameworks/{framework.id}/export.pdf").status_code == 404
    listing = trainer.get("/frameworks/").get_data(as_text=True)
    assert "Testrahmen" in listing
    assert json.loads(response.get_data(as_text=True))["CFDocument"]["title"] == "Testrahmen"


def test_a_german_trainer_reads_the_problems_of_a_bad_moodle_csv_in_german(db, client_as):
    trainer = client_as("trainer")
    trainer.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
    before = _count(db)
    bad = MOODLE + "nope,C,C,,1,,,,,,,,0,\r\n" + ",B,Doppelt,,1,,,,,,,,0,\r\n"
    page = _upload(trainer, bad, "rahmen.csv").get_data(as_text=True)
    assert "<td>Zeile 7</td><td>das übergeordnete Element „nope“ von „C“ gibt es nicht</td>" in page
    assert "<td>Zeile 8</td><td>doppelte Kennung „B“</td>" in page
    assert "line 7" not in page and "does not exist" not in page
    unknown = _upload(trainer, "hello\n", "rahmen.csv").get_data(as_text=True)
    assert "<td>Zeile 1</td><td>Weder ein CASE-JSON-Paket" in unknown
    assert _count(db) == before


def test_a_german_trainer_reads_the_problems_and_warnings_of_a_case_file_in_german(db, client_as):
    trainer = client_as("trainer")
    trainer.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
    bad = case_package(ITEMS, [*LINKS[:3], ("c-1", "elsewhere", 1)])
    page = _upload(trainer, bad, "rahmen.json").get_data(as_text=True)
    assert (
        "<td>Element c-1</td><td>das übergeordnete Element „elsewhere“ gibt es in diesem Paket "
        "nicht</td>" in page
    )
    warned = case_package(ITEMS, [*LINKS, ("c-2", "elsewhere", 3)])
    preview = _upload(trainer, warned, "rahmen.json").get_data(as_text=True)
    assert (
        "<li>Verknüpfung a-c-2: „c-2“ hat ein zweites übergeordnetes Element „elsewhere“; "
        "das erste bleibt</li>" in preview
    )
