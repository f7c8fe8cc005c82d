"""Issuing Medienpässe in bulk: HR's page with its progress, the ZIP, the CLI; each person
gets one pass per run, also when the run is repeated."""

import io
import zipfile

from sqlalchemy import func, select

from app import jobs
from app.mediapass import bulk, verification
from app.mediapass.models import MedienPass
from tests.conftest import csrf_token
from tests.web.test_passes import holder, kmk  # noqa: F401  (fixtures)


def _zip(data):
    return zipfile.ZipFile(io.BytesIO(data))


def test_hr_issues_a_department_and_downloads_the_zip(db, kmk, holder, factory, client_as):  # noqa: F811
    department = holder.department
    colleague = factory.user(name="Jörg Ünal", department=department)
    factory.user(name="Andere Abteilung")  # another department: no pass
    inactive = factory.user(name="Ina Inaktiv", department=department, active=False)
    hr = client_as("hr")
    page = hr.get("/passes/bulk").get_data(as_text=True)
    assert f'value="department:{department.name}"' in page
    response = hr.post(
        "/passes/bulk",
        data={"group": f"department:{department.name}", "csrf_token": csrf_token(hr)},
    )
    assert response.status_code == 302
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    status = hr.get(f"/passes/jobs/{job_id}.json").get_json()
    assert (status["state"], status["done"], status["total"], status["percent"]) == (
        "finished",
        2,
        2,
        100,
    )
    assert "Download ZIP" in hr.get(f"/passes/jobs/{job_id}").get_data(as_text=True)
    download = hr.get(status["download"])
    assert download.status_code == 200
    archive = _zip(download.data)
    passes = db.session.scalars(select(MedienPass).where(MedienPass.job_id == job_id)).all()
    assert {p.user_id for p in passes} == {holder.id, colleague.id}
    assert inactive.id not in {p.user_id for p in passes}
    names = sorted(archive.namelist())
    assert names == sorted([bulk.file_name(p) for p in passes] + ["index.csv"])
    assert any(name.endswith("_Jorg-Unal.pdf") for name in names)
    for name in names[:-1] if names[-1] == "index.csv" else names:
        if name.endswith(".pdf"):
            assert verification.verify_pdf(archive.read(name)).valid
    index = archive.read("index.csv").decode("utf-8-sig").splitlines()
    assert index[0] == "serial,name,email,department,issued_at,sha256,file"
    assert len(index) == 3 and any("Jörg Ünal" in line for line in index)


def test_a_repeated_run_issues_nothing_twice(db, kmk, holder, factory):  # noqa: F811
    params = bulk.prepare(bulk.choose(department=holder.department.name))
    job = jobs.create(bulk.KIND, params)
    first = jobs.run(job.id)
    assert first.state == "finished" and first.total == 1
    # As a worker that died after the passes but before the ZIP: the retry continues.
    again = jobs.run(job.id)
    assert again.state == "finished"
    first.state = "running"
    db.session.commit()
    jobs.run(job.id)
    count = db.session.scalar(
        select(func.count()).select_from(MedienPass).where(MedienPass.job_id == job.id)
    )
    assert count == 1
    archive = zipfile.ZipFile(jobs.result_path(db.session.get(jobs.Job, job.id)))
    assert len([n for n in archive.namelist() if n.endswith(".pdf")]) == 1


def test_bad_choices_are_refused_and_start_nothing(db, kmk, holder, client_as):  # noqa: F811
    hr = client_as("hr")
    for group, message in (
        ("", "Choose a department, a job role, or everyone."),
        ("department:Gibt es nicht", "There is no department Gibt es nicht."),
        ("job_role:Gibt es nicht", "There is no job role Gibt es nicht."),
    ):
        page = hr.post(
            "/passes/bulk",
            data={"group": group, "csrf_token": csrf_token(hr)},
            follow_redirects=True,
        ).get_data(as_text=True)
        assert message in page, group
    assert db.session.scalar(select(func.count()).select_from(jobs.Job)) == 0
    assert client_as("learner").get("/passes/bulk").status_code == 403
    assert client_as("trainer").get("/passes/jobs/1.json").status_code == 403


def test_the_cli_runs_the_same_job_with_a_progress_bar(app, db, kmk, holder, tmp_path):  # noqa: F811
    out = tmp_path / "passes.zip"
    result = app.test_cli_runner().invoke(
        args=["passes", "bulk", "--department", holder.department.name, "--out", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    assert "Issuing" in result.stderr
    import json

    printed = json.loads(result.stdout)
    assert printed["passes"] == 1 and printed["zip"] == str(out)
    assert "index.csv" in zipfile.ZipFile(out).namelist()
    result = app.test_cli_runner().invoke(
        args=["passes", "bulk", "--department", "X", "--all", "--out", str(out)]
    )
    assert result.exit_code == 1 and "Choose a department" in result.stderr


def test_a_queued_job_shows_an_empty_progress_bar(db, kmk, holder, client_as):  # noqa: F811
    job = jobs.create(bulk.KIND, bulk.prepare(bulk.choose(everyone=True)))
    hr = client_as("hr")
    page = hr.get(f"/passes/jobs/{job.id}")
    assert page.status_code == 200 and 'aria-valuenow="0"' in page.get_data(as_text=True)
    assert hr.get(f"/passes/jobs/{job.id}.json").get_json()["percent"] == 0
    assert hr.get(f"/passes/jobs/{job.id}/download").status_code == 404  # nothing yet
