"""`flask frameworks import|export|list`: the command-line contract, in and out of process."""

import json
from pathlib import Path

from sqlalchemy import func, select

from app.frameworks.case import read_case
from app.frameworks.models import Competence, Framework
from app.frameworks.moodlecsv import read_moodle_csv
from app.frameworks.tree import shape
from tests.processes import flask_commands
from tests.unit.test_framework_formats import ITEMS, LINKS, MOODLE, case_package

ROOT = Path(__file__).resolve().parents[2]


def _counts(db):
    return (
        db.session.scalar(select(func.count()).select_from(Framework)),
        db.session.scalar(select(func.count()).select_from(Competence)),
    )


def test_import_list_and_export_round_trip(app, db, tmp_path):
    runner = app.test_cli_runner()
    path = tmp_path / "rahmen.json"
    path.write_text(case_package(ITEMS, LINKS))
    result = runner.invoke(args=["frameworks", "import", str(path)])
    assert result.exit_code == 0, result.stderr
    created = json.loads(result.stdout)
    assert created["title"] == "Testrahmen" and created["competences"] == 4

    listing = runner.invoke(args=["frameworks", "list"]).stdout
    assert f"{created['id']}\tTestrahmen\t" in listing
    assert listing.rstrip().endswith("\tdraft\t4")

    exported_case = runner.invoke(
        args=["frameworks", "export", str(created["id"]), "--format", "case"]
    ).stdout
    exported_csv = runner.invoke(
        args=["frameworks", "export", str(created["id"]), "--format", "moodle-csv"]
    ).stdout
    original = shape(read_case(path.read_text()))
    assert shape(read_case(exported_case)) == original
    assert shape(read_moodle_csv(exported_csv)) == original

    again = tmp_path / "again.csv"
    again.write_text(exported_csv)
    second = runner.invoke(args=["frameworks", "import", str(again)])
    assert json.loads(second.stdout)["competences"] == 4


def test_bad_file_names_the_problem_and_writes_nothing(app, db, tmp_path):
    before = _counts(db)
    runner = app.test_cli_runner()
    path = tmp_path / "bad.csv"
    path.write_text(MOODLE + "nope,C,Kompetenz C,,1,,,,,,,,0,\r\n")
    result = runner.invoke(args=["frameworks", "import", str(path)])
    assert result.exit_code != 0
    assert result.stdout == ""
    assert "line 7: parent 'nope' of 'C' does not exist" in result.stderr
    assert _counts(db) == before


def test_unknown_format_and_missing_file(app, db, tmp_path):
    runner = app.test_cli_runner()
    path = tmp_path / "x.txt"
    path.write_text("hello\n")
    result = runner.invoke(args=["frameworks", "import", str(path)])
    assert result.exit_code != 0 and "Neither a CASE JSON package" in result.stderr
    missing = runner.invoke(args=["frameworks", "import", str(tmp_path / "none.json")])
    assert missing.exit_code != 0 and "cannot be read" in missing.stderr


def test_import_as_a_process_prints_exactly_one_json_object(tmp_path):
    path = tmp_path / "rahmen.json"
    path.write_text(case_package(ITEMS, LINKS))
    with flask_commands("fwcli", tmp_path) as flask:
        assert flask("db", "upgrade").returncode == 0
        result = flask("frameworks", "import", str(path))
        assert result.returncode == 0, result.stderr
        assert len(result.stdout.splitlines()) == 1
        assert json.loads(result.stdout) == {"id": 1, "title": "Testrahmen", "competences": 4}


def test_shipped_frameworks_load_once_published_with_their_scales(app, db):
    from app.frameworks import services

    loaded = services.load_shipped()
    assert [f.title for f in loaded] == [
        "Kompetenzen in der digitalen Welt",
        "DigComp 2.2: The Digital Competence Framework for Citizens",
        "Medienkompetenzrahmen NRW",
    ]
    assert services.load_shipped() == []
    counts = {framework.title: count for framework, count in services.framework_list()}
    assert counts["Kompetenzen in der digitalen Welt"] == 28
    assert counts["Medienkompetenzrahmen NRW"] == 30
    kmk, digcomp = loaded[0], loaded[1]
    assert kmk.status == "published" and kmk.published_at is not None
    assert [level.name for level in kmk.scale.levels] == [
        "Grundlagen",
        "Aufbau",
        "Fortgeschritten",
        "Expertise",
    ]
    assert len(digcomp.scale.levels) == 8


def test_every_real_file_imports_through_the_command(app, db):
    from tests.unit.test_real_framework_files import DATA, FILES

    runner = app.test_cli_runner()
    for name, (title, count) in FILES.items():
        result = runner.invoke(args=["frameworks", "import", str(DATA / name)])
        assert result.exit_code == 0, (name, result.stderr)
        assert json.loads(result.stdout) | {"id": 0} == {
            "id": 0,
            "title": title,
            "competences": count,
        }, name
