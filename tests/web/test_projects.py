"""Training projects in the app: settings, the activity editor (all or nothing, errors at
their rows), the plan with dates and charts, PDF, import and export through the pages, a
project from a group's competence gaps, access and fixed query counts."""

import io
import json
from datetime import date
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import func, select

from app.courses import mapping
from app.frameworks import evidence
from app.frameworks import services as framework_services
from app.frameworks.models import Competence, RequirementTarget
from app.projects import gap_projects, mspdi, network, services
from app.projects.models import ProjectActivity, ProjectLink, TrainingProject
from tests.conftest import csrf_token, login
from tests.unit.test_framework_formats import ITEMS, LINKS, case_package
from tests.web.test_admin import count_queries

KICKOFF = Path(__file__).resolve().parents[1] / "data" / "projects" / "kickoff.json"
FIELDS = ("key", "name", "duration", "predecessors", "responsible", "course_id", "notes")


def _counts(db):
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (TrainingProject, ProjectActivity, ProjectLink)
    )


def _table(client, rows):
    """The editor's form data: rows of (key, name, duration, predecessors[, responsible])."""
    data = {"csrf_token": csrf_token(client)}
    for index, row in enumerate(rows):
        for name, value in zip(FIELDS, row, strict=False):
            data[f"rows-{index}-{name}"] = value
    return data


def _project(name="Einführung", start=date(2026, 3, 2), rows=(), **settings):
    project = services.create_project(
        None, services.ProjectData(name=name, start_on=start, **settings)
    )
    if rows:
        services.save_table(None, project, [services.TableRow(*row) for row in rows])
    return project


SIX = [  # six activities with a start-to-start link and a negative lag
    ("A", "Bedarfsanalyse", "3"),
    ("B", "Betriebsrat beteiligen", "2", "A"),
    ("C", "Richtlinie entwerfen", "4", "A AF+1"),
    ("D", "Datenschutz prüfen", "2", "C NF-1"),
    ("E", "Schulungen durchführen", "3", "B; D"),
    ("F", "Abnahme", "0", "E"),
]


def test_trainer_builds_a_project_and_reads_its_plan(client_as, users, db):
    trainer = client_as("trainer")
    trainer.get("/projects/new")
    response = trainer.post(
        "/projects/new",
        data={
            "csrf_token": csrf_token(trainer),
            "name": "Einführung Social-Media-Richtlinie",
            "start_on": "2026-03-02",
            "weekdays": ["0", "1", "2", "3", "4"],
            "state": "NW",
            "closures": "06.04.2026 - 10.04.2026 Osterpause",
        },
    )
    assert response.status_code == 302
    project = db.session.scalar(select(TrainingProject))
    assert response.headers["Location"] == f"/projects/{project.id}/activities"
    rows = [row + ((users["hr"].email,) if row[0] == "B" else ()) for row in SIX]
    response = trainer.post(f"/projects/{project.id}/activities", data=_table(trainer, rows))
    assert response.status_code == 302, response.get_data(as_text=True)

    page = trainer.get(f"/projects/{project.id}").get_data(as_text=True)
    assert 'id="critical-path">A → C → D → E → F<' in page
    assert page.count('<tr class="critical"') == 5  # B has a day of float
    assert 'class="gantt-chart"' in page and 'class="network-diagram"' in page
    assert "1 closure" in page
    german = trainer.get(f"/projects/{project.id}", headers={"Accept-Language": "de"})
    text = german.get_data(as_text=True)
    assert all(f">{head}<" in text for head in ("FAZ", "FEZ", "SAZ", "SEZ", "GP", "FP"))
    # E follows D (C starts a day after A, D overlaps C by a day): day 6, Tuesday 10 March.
    e_row = text.split('data-key="E"')[1].split("</tr>")[0]
    assert "10.03.2026" in e_row and "B; D" in e_row
    assert "A AF+1" in text and "C NF-1" in text
    assert ">ES<" in page and ">TF<" in page  # English headers in English

    editor = trainer.get(f"/projects/{project.id}/activities").get_data(as_text=True)
    assert 'value="C NF-1"' in editor or 'value="C FS-1"' in editor
    assert f'value="{users["hr"].email}"' in editor

    pdf = trainer.get(f"/projects/{project.id}/plan.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.data))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 1
    assert "Betriebsrat beteiligen" in text and "Schulungen durchführen" in text


def test_a_bad_row_saves_nothing_and_is_named_at_its_row(client_as, db):
    project = _project(rows=SIX[:3])
    before = _counts(db)
    trainer = client_as("trainer")
    trainer.get(f"/projects/{project.id}/activities")
    for rows, message in (
        (SIX[:3] + [("D", "Prüfen", "2", "X NF+2")], "there is no activity X"),
        (SIX[:3] + [("D", "Prüfen", "zwei", "C")], "number of working days"),
        (SIX[:3] + [("C", "Doppelt", "1")], "The number C is used twice."),
        (SIX[:2] + [("C", "Zyklus", "1", "A; D"), ("D", "Zyklus", "1", "C")], "cycle: C → D → C"),
        (SIX[:3] + [("D", "Prüfen", "2", "", "niemand@firma.example")], "niemand@firma"),
    ):
        response = trainer.post(f"/projects/{project.id}/activities", data=_table(trainer, rows))
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert page.count('class="table-danger row-error"') == 1, message
        assert message in page and "Nothing was saved" in page
        assert _counts(db) == before
    assert [a.key for a in services.get_project(None, project.id).activities] == ["A", "B", "C"]

    # Renumbered and removed in one go: A keeps its row, B goes, C becomes X.
    rows = [("A", "Bedarf", "2"), ("B", "weg", "1"), ("X", "Entwurf", "1,5", "A AF-0,5")]
    data = _table(trainer, rows)
    data["rows-1-remove"] = "y"
    assert trainer.post(f"/projects/{project.id}/activities", data=data).status_code == 302
    project = services.get_project(None, project.id)
    assert [(a.key, a.duration) for a in project.activities] == [("A", 2.0), ("X", 1.5)]
    assert [(link.source.key, link.type, link.lag) for link in project.links] == [("A", "SS", -0.5)]


def test_settings_deadline_and_closures(client_as, db):
    project = _project(rows=SIX)
    trainer = client_as("trainer")
    trainer.get(f"/projects/{project.id}/settings")
    data = {
        "csrf_token": csrf_token(trainer),
        "name": "Kürzer",
        "start_on": "2026-03-02",
        "deadline_on": "2026-03-06",
        "weekdays": ["0", "1", "2", "3", "4"],
        "state": "BY",
        "closures": "Ostern",
    }
    response = trainer.post(f"/projects/{project.id}/settings", data=data)
    assert response.status_code == 200 and "is not a closure" in response.get_data(as_text=True)
    data["closures"] = ""
    assert trainer.post(f"/projects/{project.id}/settings", data=data).status_code == 302
    page = trainer.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "cannot be met" in page and "text-danger fw-semibold" in page  # negative floats
    data["deadline_on"] = "2026-02-27"
    response = trainer.post(f"/projects/{project.id}/settings", data=data)
    assert "The deadline lies before the start." in response.get_data(as_text=True)

    trainer.post(f"/projects/{project.id}/delete", data={"csrf_token": csrf_token(trainer)})
    assert _counts(db) == (0, 0, 0)


def test_import_with_preview_and_export_round_trip_through_the_pages(client_as, db, tmp_path):
    trainer = client_as("trainer")
    trainer.get("/projects/import")

    def upload(name, data):
        return trainer.post(
            "/projects/import",
            data={"csrf_token": csrf_token(trainer), "file": (io.BytesIO(data), name)},
            content_type="multipart/form-data",
        )

    bad = upload("bad.json", b'{"activities": [{"id": "A", "duration": "drei"}]}')
    assert "activities[0].duration: not a number" in bad.get_data(as_text=True)
    preview = upload("kickoff.json", KICKOFF.read_bytes()).get_data(as_text=True)
    assert "Preview: Schulung Datenschutz" in preview and "Inhalte erstellen" in preview
    assert "A SS+1" in preview and "B FS-1" in preview  # the links, in English terms
    assert _counts(db) == (0, 0, 0)  # nothing written before the confirmation
    payload = preview.split('name="payload" type="hidden" value="')[1].split('"')[0]
    response = trainer.post(
        "/projects/import", data={"csrf_token": csrf_token(trainer), "payload": payload}
    )
    assert response.status_code == 302
    project = db.session.scalar(select(TrainingProject))
    assert _counts(db) == (1, 5, 5)

    exported = trainer.get(f"/projects/{project.id}/export.json")
    assert exported.headers["Content-Disposition"].endswith('.json"')
    original, again = network.parse(KICKOFF.read_bytes()), network.parse(exported.data)
    assert (again.activities, again.links, again.deadline) == (
        original.activities,
        original.links,
        original.deadline,
    )
    xml = trainer.get(f"/projects/{project.id}/export.xml").data
    assert mspdi.read(xml).links[1].type == "SS"
    preview = upload("plan.xml", xml).get_data(as_text=True)
    payload = preview.split('name="payload" type="hidden" value="')[1].split('"')[0]
    trainer.post("/projects/import", data={"csrf_token": csrf_token(trainer), "payload": payload})
    assert _counts(db) == (2, 10, 10)
    assert trainer.get("/projects/export.xml").status_code == 404


def test_pages_run_a_fixed_number_of_queries(client_as, db, users):
    small = _project(rows=SIX[:2])
    large = _project(
        rows=[(f"V{n}", f"Vorgang {n}", "1", f"V{n - 1}" if n else "") for n in range(25)]
    )
    for activity in large.activities[:10]:
        activity.responsible_id = users["hr"].id
    db.session.commit()
    trainer = client_as("trainer")
    for path in ("/projects/{}", "/projects/{}/activities", "/projects/{}/settings"):
        with count_queries(db) as few:
            assert trainer.get(path.format(small.id)).status_code == 200
        with count_queries(db) as many:
            assert trainer.get(path.format(large.id)).status_code == 200
        assert len(many) == len(few), path
    with count_queries(db) as listing:
        assert trainer.get("/projects/").status_code == 200
    _project(name="Dritter", rows=SIX)
    with count_queries(db) as more:
        assert trainer.get("/projects/").status_code == 200
    assert len(more) == len(listing)


def test_only_trainers_and_admins_plan_and_a_missing_project_is_not_found(client_as, users, db):
    project = _project(rows=SIX[:1])
    for role in ("learner", "hr"):
        assert client_as(role).get("/projects/").status_code == 403
        assert services.get_project(users[role], project.id) is None
    trainer = client_as("trainer")
    assert trainer.get(f"/projects/{project.id + 1000}").status_code == 404
    assert trainer.get(f"/projects/{project.id + 1000}/activities").status_code == 404
    assert services.get_project(users["admin"], project.id) is project


def test_a_project_from_the_gaps_of_a_job_role(client_as, factory, db):
    framework, _count, _warnings = framework_services.import_framework(
        None, case_package(ITEMS, LINKS)
    )
    framework_services.publish(None, framework)
    codes = {c.code: c for c in db.session.scalars(select(Competence))}
    role = factory.job_role("Vertrieb")
    for code, level in (("1.1", 2), ("1.2", 1)):
        db.session.add(RequirementTarget(job_role_id=role.id, competence=codes[code], level=level))
    small = factory.job_role("Klein")
    for _n in range(5):
        person = factory.user(job_role=role)
        # Everyone holds 1.1 at level 1 already: a course to level 1 closes no gap.
        evidence.add_evidence(person, codes["1.1"], 1, "prior_learning", date(2026, 1, 5))
    factory.user(job_role=small)
    basics = factory.course([(codes["1.1"], 1)], title="Grundlagen", hours=20)
    search = factory.course([(codes["1.1"], 2)], title="Suchen", hours=12)
    evaluate = factory.course([(codes["1.2"], 1)], title="Auswerten", hours=4)
    factory.course([(codes["1.1"], 2)], title="Entwurf", hours=8, publish=False)
    mapping.set_prerequisites(None, evaluate, [basics.id], {})
    assert [gap_projects.days_of(h) for h in (0, 4, 8, 8.5, 12, 20)] == [1, 1, 1, 2, 2, 3]

    trainer = client_as("trainer")
    assert (f"j-{role.id}", "Job role: Vertrieb") in gap_projects.group_choices()
    trainer.get("/projects/")

    def plan_for(group, **options):
        data = {"csrf_token": csrf_token(trainer), "group": group, "start_on": "2026-09-07"}
        return trainer.post("/projects/from-gaps", data=data, **options)

    response = plan_for(f"j-{small.id}", follow_redirects=True)
    assert "fewer than 5 people" in response.get_data(as_text=True)
    assert _counts(db) == (0, 0, 0)
    response = plan_for(f"j-{role.id}")
    assert response.status_code == 302
    project = services.get_project(None, db.session.scalar(select(TrainingProject.id)))
    assert project.name == "Closing competence gaps: Vertrieb"
    assert [(a.key, a.name, a.duration, a.course_id) for a in project.activities] == [
        ("1", "Grundlagen", 3.0, basics.id),
        ("2", "Auswerten", 1.0, evaluate.id),
        ("3", "Suchen", 2.0, search.id),
    ]
    assert [(link.source.key, link.target.key, link.type) for link in project.links] == [
        ("1", "2", "FS")
    ]
    assert json.dumps(services.export_json(project))  # a plan that exports


def test_demo_project_once_and_listed_in_the_media_concept(client, factory, db):
    from app.projects.demo import NAME, seed_projects
    from app.seed import seed_accounts

    assert seed_projects() is False  # no demo people yet
    seed_accounts()
    db.session.commit()
    today = date(2026, 11, 25)
    assert seed_projects(today) is True and seed_projects(today) is False
    project = services.get_project(None, db.session.scalar(select(TrainingProject.id)))
    assert project.name == NAME and project.state == "NW" and len(project.activities) >= 10
    assert project.start_on.weekday() == 0 and project.start_on < today
    assert all(activity.responsible for activity in project.activities)
    assert {link.type for link in project.links} >= {"FS", "SS"}
    assert any(link.lag < 0 for link in project.links)
    login(client, factory.user(roles=("trainer",)).email)
    page = client.get("/frameworks/medienkonzept").get_data(as_text=True)
    assert f"/projects/{project.id}" in page and NAME in page
