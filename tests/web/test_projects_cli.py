"""`flask projects schedule|import|export`: the command-line contract, in and out of process."""

import json
from pathlib import Path

from sqlalchemy import func, select

from app.projects import mspdi, network
from app.projects.models import ProjectActivity, TrainingProject
from tests.processes import flask_runner

DATA = Path(__file__).resolve().parents[1] / "data"
KICKOFF = DATA / "projects" / "kickoff.json"
LIBRE = DATA / "mspdi" / "projectlibre-little-project.xml"


def _one_object(text):
    assert len(text.strip().splitlines()) == 1, text
    data = json.loads(text)
    assert isinstance(data, dict)
    return data


def test_schedule_as_a_separate_process(tmp_path):
    """As scripts call it. Scheduling reads no database, so none is made for it."""
    bad = tmp_path / "bad.json"
    bad.write_text('{"activities": [{"id": "A", "duration": 1}], "links": [{"from": "A"}]}')
    flask = flask_runner(f"sqlite:///{tmp_path / 'unused.db'}", tmp_path / "instance")

    result = flask("projects", "schedule", str(LIBRE))
    assert result.returncode == 0, result.stderr
    schedule = _one_object(result.stdout)
    assert schedule["duration"] == 3.375
    assert schedule["critical_path"] == ["5", "1", "3", "4", "6"]

    result = flask("projects", "schedule", str(KICKOFF))
    assert result.returncode == 0, result.stderr
    assert _one_object(result.stdout)["duration"] == 9

    result = flask("projects", "schedule", str(bad))
    assert result.returncode == 1
    assert result.stdout == ""
    assert "links[0].to: missing" in result.stderr


def test_schedule_reads_json_and_mspdi_by_their_content(app, tmp_path):
    runner = app.test_cli_runner()
    # Named .txt, with a byte order mark and leading blanks: the content decides.
    xml = tmp_path / "plan.txt"
    xml.write_bytes(b"\xef\xbb\xbf \n" + LIBRE.read_bytes())
    result = runner.invoke(args=["projects", "schedule", str(xml)])
    assert result.exit_code == 0, result.stderr
    assert _one_object(result.stdout)["duration"] == 3.375

    result = runner.invoke(args=["projects", "schedule", str(KICKOFF)])
    schedule = _one_object(result.stdout)
    timings = {row["id"]: row for row in schedule["activities"]}
    assert schedule["duration"] == 9 and schedule["critical_path"] == ["A", "B", "D", "E"]
    assert (timings["C"]["es"], timings["C"]["total_float"]) == (1, 3.5)
    assert set(timings["A"]) >= {"es", "ef", "ls", "lf", "total_float", "free_float", "critical"}


def test_bad_input_exits_1_with_the_problem_on_stderr_only(app, tmp_path):
    runner = app.test_cli_runner()
    cycle = tmp_path / "cycle.json"
    cycle.write_text(
        json.dumps(
            {
                "activities": [{"id": "A", "duration": 1}, {"id": "B", "duration": -2}],
                "links": [{"from": "A", "to": "B"}, {"from": "B", "to": "A"}],
            }
        )
    )
    loop = tmp_path / "loop.json"
    loop.write_text(
        '{"activities": [{"id": "A", "duration": 1}, {"id": "B", "duration": 2}],'
        ' "links": [{"from": "A", "to": "B"}, {"from": "B", "to": "A", "type": "SS"}]}'
    )
    broken_xml = tmp_path / "broken.xml"
    broken_xml.write_text("<Project><Tasks><Task><UID>1</UID>")
    for path, message in (
        (cycle, "duration -2.0 is negative"),
        (loop, "cycle: A -> B -> A"),
        (broken_xml, "not XML"),
        (tmp_path / "missing.json", "cannot be read"),
        (tmp_path, "cannot be read"),
    ):
        result = runner.invoke(args=["projects", "schedule", str(path)])
        assert result.exit_code == 1, (path, result.output)
        assert result.stdout == "", path
        assert message in result.stderr and str(path) in result.stderr, result.stderr


def test_import_then_export_round_trips(app, db, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["projects", "import", str(KICKOFF)])
    assert result.exit_code == 0, result.stderr
    created = _one_object(result.stdout)
    assert set(created) == {"id"}
    project = db.session.get(TrainingProject, created["id"])
    assert project.name == "Schulung Datenschutz" and len(project.activities) == 5

    exported = runner.invoke(args=["projects", "export", str(created["id"]), "--format", "json"])
    assert exported.exit_code == 0, exported.stderr
    again = tmp_path / "again.json"
    again.write_text(exported.stdout)
    original = network.parse(KICKOFF.read_bytes())
    assert network.parse(again.read_bytes()).activities == original.activities
    assert network.parse(again.read_bytes()).links == original.links
    assert network.parse(again.read_bytes()).deadline == 12
    second = _one_object(runner.invoke(args=["projects", "import", str(again)]).stdout)
    assert second["id"] != created["id"]

    xml = runner.invoke(args=["projects", "export", str(created["id"]), "--format", "mspdi"])
    assert xml.exit_code == 0, xml.stderr
    read_back = mspdi.read(xml.stdout_bytes)
    assert [a.name for a in read_back.activities] == [a.name for a in original.activities]
    assert [(link.type, link.lag) for link in read_back.links] == [
        (link.type, link.lag) for link in original.links
    ]


def test_import_of_a_bad_file_and_export_of_an_unknown_id_write_nothing(app, db, tmp_path):
    runner = app.test_cli_runner()
    before = db.session.scalar(select(func.count()).select_from(ProjectActivity))
    long_id = tmp_path / "ids.json"
    long_id.write_text('{"activities": [{"id": "A B", "duration": 1}]}')
    result = runner.invoke(args=["projects", "import", str(long_id)])
    assert result.exit_code == 1 and result.stdout == ""
    assert "activities[0]" in result.stderr and "A B" in result.stderr
    assert db.session.scalar(select(func.count()).select_from(ProjectActivity)) == before

    result = runner.invoke(args=["projects", "export", "987654", "--format", "mspdi"])
    assert result.exit_code == 1 and result.stdout == ""
    assert "987654" in result.stderr
