"""`flask questions import|export`: the command-line contract, in and out of process."""

import json
from pathlib import Path

from sqlalchemy import func, select

from app.assessments.gift import read_gift
from app.assessments.models import Question, QuestionBank, QuestionCategory
from tests.processes import flask_commands

ROOT = Path(__file__).resolve().parents[2]
GIFT_FILES = sorted((ROOT / "tests" / "data" / "gift").glob("*.gift*"))

ALL_KINDS = """// Every kind once, in German.
$CATEGORY: $course$/top/Datenschutz/Grundlagen

::Hauptstadt::Die Hauptstadt von Deutschland ist {=Berlin ~Bonn ~%50%Berlin-Mitte}

::Daten::Welche Daten sind personenbezogen? {
  ~%50%Name
  ~%50%E-Mail-Adresse
  ~%-100%Wetterbericht
}

::Auftrag::Ein Auftragsverarbeitungsvertrag ist Pflicht. {T#Doch, er ist Pflicht.#Richtig.}

$CATEGORY: Datenschutz/Fristen

::Frist::Wie viele Stunden hat man für die Meldung einer Datenpanne? {#72:0}

::Behörde::Die zuständige Stelle heißt {=Aufsichtsbehörde =%50%Datenschutzbehörde} des Landes.

::Paare::Ordnen Sie zu. {
  =Art. 15 -> Auskunft
  =Art. 17 -> Löschung
  =Art. 20 -> Datenübertragbarkeit
}

::Fall::Beschreiben Sie, was Sie bei einer verlorenen Kundenliste tun. {}

Dieser Text ist eine Beschreibung ohne Antworten.
"""


def _counts(db):
    return (
        db.session.scalar(select(func.count()).select_from(QuestionBank)),
        db.session.scalar(select(func.count()).select_from(Question)),
    )


def test_import_prints_the_counts_by_type(app, db, tmp_path):
    path = tmp_path / "datenschutz.gift"
    path.write_text(ALL_KINDS, encoding="utf-8")
    result = app.test_cli_runner().invoke(
        args=["questions", "import", str(path), "--bank", "Datenschutz"]
    )
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["imported"] == 7 and out["skipped"] == 1
    assert out["by_type"] == {
        "single_choice": 1,
        "multiple_choice": 1,
        "true_false": 1,
        "numeric": 1,
        "short_text": 1,
        "matching": 1,
        "essay": 1,
    }
    bank = db.session.get(QuestionBank, out["bank"])
    assert bank.name == "Datenschutz"
    paths = set(db.session.scalars(select(QuestionCategory.path)))
    assert {"Datenschutz", "Datenschutz/Grundlagen", "Datenschutz/Fristen"} <= paths


def test_the_same_bank_name_adds_to_the_bank(app, db, tmp_path):
    path = tmp_path / "a.gift"
    path.write_text(ALL_KINDS, encoding="utf-8")
    runner = app.test_cli_runner()
    first = json.loads(runner.invoke(args=["questions", "import", str(path), "--bank", "B"]).stdout)
    second = json.loads(
        runner.invoke(args=["questions", "import", str(path), "--bank", "B"]).stdout
    )
    assert first["bank"] == second["bank"]
    assert _counts(db) == (1, 14)


def test_export_imports_back_to_the_same_questions(app, db, tmp_path):
    runner = app.test_cli_runner()
    sources = [tmp_path / "alle.gift"]
    sources[0].write_text(ALL_KINDS, encoding="utf-8")
    for number, source in enumerate([*sources, *GIFT_FILES]):
        if "bad" in source.name:
            continue
        bank = f"Bank {number}"
        result = runner.invoke(args=["questions", "import", str(source), "--bank", bank])
        assert result.exit_code == 0, (source.name, result.stderr)
        out = json.loads(result.stdout)
        exported = runner.invoke(args=["questions", "export", str(out["bank"]), "--format", "gift"])
        assert exported.exit_code == 0
        again = read_gift(exported.stdout)
        original = read_gift(source.read_bytes())
        assert _comparable(again.questions) == _comparable(original.questions), source.name


def _comparable(questions):
    """Questions without their line numbers, and with the category as the bank stores it."""
    result = []
    for question in questions:
        row = dict(vars(question))
        row.pop("line")
        row["category"] = "/".join(p.strip() for p in row["category"].split("/") if p.strip())
        row["answers"] = [vars(answer) for answer in question.answers]
        result.append(row)
    return result


def test_a_bad_file_names_the_line_and_writes_nothing(app, db, tmp_path):
    path = tmp_path / "kaputt.gift"
    path.write_text(
        "::Gut::Eine gute Frage {=ja ~nein}\n\n::Kaputt::Hier fehlt die Klammer {=ja ~nein\n",
        encoding="utf-8",
    )
    before = _counts(db)
    result = app.test_cli_runner().invoke(args=["questions", "import", str(path), "--bank", "Neu"])
    assert result.exit_code != 0
    assert result.stdout == ""
    assert f"{path}:3:" in result.stderr
    assert _counts(db) == before


def test_missing_file_and_unknown_bank(app, db, tmp_path):
    runner = app.test_cli_runner()
    missing = runner.invoke(args=["questions", "import", str(tmp_path / "nix.gift"), "--bank", "X"])
    assert missing.exit_code != 0 and "cannot be read" in missing.stderr
    unknown = runner.invoke(args=["questions", "export", "999", "--format", "gift"])
    assert unknown.exit_code != 0 and "999" in unknown.stderr


def test_import_as_a_process_prints_exactly_one_json_object(tmp_path):
    path = tmp_path / "alle.gift"
    path.write_bytes(("\ufeff" + ALL_KINDS.replace("\n", "\r\n")).encode("utf-8"))
    with flask_commands("qcli", tmp_path) as flask:
        assert flask("db", "upgrade").returncode == 0
        result = flask("questions", "import", str(path), "--bank", "Datenschutz")
        assert result.returncode == 0, result.stderr
        assert len(result.stdout.splitlines()) == 1
        out = json.loads(result.stdout)
        assert (out["bank"], out["imported"], out["skipped"]) == (1, 7, 1)
        exported = flask("questions", "export", "1", "--format", "gift")
        assert exported.returncode == 0 and "::Hauptstadt::" in exported.stdout
