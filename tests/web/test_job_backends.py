"""The job backends on committed databases: a thread of the app, and RQ workers on the
local Redis (real worker processes, also one killed in the middle of a run)."""

import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from contextlib import closing
from pathlib import Path

import pytest
from flask_migrate import upgrade
from redis import Redis
from sqlalchemy import func, select

from app import jobs
from app.extensions import db
from app.frameworks.services import load_shipped
from app.mediapass import bulk, verification
from app.mediapass.models import MedienPass
from app.seed import seed_accounts, seed_profiles
from tests.conftest import make_app
from tests.databases import temporary_database
from tests.processes import ROOT

REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture(scope="module")
def company():
    """(database URL, instance folder) holding the committed demo company."""
    with temporary_database("jobs") as url, tempfile.TemporaryDirectory() as instance:
        app = make_app(url, instance)
        with app.app_context():
            upgrade()
            load_shipped()
            seed_accounts()
            db.session.commit()
            seed_profiles()
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
        yield url, instance


def _passes(job_id):
    return db.session.scalar(
        select(func.count()).select_from(MedienPass).where(MedienPass.job_id == job_id)
    )


def _check_zip(job, people):
    archive = zipfile.ZipFile(jobs.result_path(job))
    pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
    assert len(pdfs) == people == len(set(pdfs))
    assert all(verification.verify_pdf(archive.read(name)).valid for name in pdfs[:3])
    index = archive.read("index.csv").decode("utf-8-sig").splitlines()
    assert len(index) == people + 1


def test_the_thread_backend_runs_a_job_beside_the_requests(company):
    url, instance = company
    app = make_app(url, instance)  # no REDIS_URL: the thread backend
    with app.app_context():
        params = bulk.choose(department="Vertrieb")
        people = len(bulk.people(params))
        job = bulk.start(None, params)
        assert job.state == "queued"
        db.session.close()  # as a request ends: SQLite lets one writer in at a time
        jobs.wait(job.id, timeout=120)
        db.session.expire_all()
        job = db.session.get(jobs.Job, job.id)
        assert (job.state, job.done, job.total, job.tries) == ("finished", people, people, 1)
        assert _passes(job.id) == people
        _check_zip(job, people)
        db.session.remove()
        db.engine.dispose()


def _worker(url, instance, queue, burst):
    # As on another machine: an instance folder of its own. With the app it shares only the
    # storage directory (the app's instance folder, where the app looks for the ZIP) and the
    # signing key.
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "MEDIENPASS_INSTANCE": os.path.join(instance, "worker-machine"),
        "STORAGE_DIR": instance,
        "SIGNING_KEY_FILE": os.path.join(instance, "medienpass-signing-key.pem"),
        "SECRET_KEY": "job-test",
        "REDIS_URL": REDIS_URL,
        "JOBS_QUEUE": queue,
    }
    args = [sys.executable, "-m", "rq.cli", "worker", "--url", REDIS_URL, "--path", str(ROOT)]
    args += ["--worker-class", "app.worker.Worker"]  # as `make worker` runs it
    args += ["--burst"] if burst else []
    args += ["--with-scheduler", queue]
    return subprocess.Popen(
        args,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE if burst else subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _done(url, job_id):
    """The job's progress, read without the app's session: on SQLite the app begins every
    transaction by taking the write lock, which the busy worker takes again and again, so
    the app would see the progress late; a plain reader does not wait for it."""
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        with closing(sqlite3.connect(path, timeout=30)) as connection:
            return connection.execute("SELECT done FROM jobs WHERE id = ?", (job_id,)).fetchone()[0]
    done = db.session.get(jobs.Job, job_id).done
    db.session.close()
    return done


def _kill_with_children(pid):
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    for child in [int(each) for each in children] + [pid]:
        try:
            os.kill(child, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _rq_app(url, instance, queue):
    return make_app(url, instance, REDIS_URL=REDIS_URL, JOBS_QUEUE=queue)


def test_an_rq_worker_process_runs_the_job(company):
    url, instance = company
    queue = f"test-{secrets.token_hex(4)}"
    app = _rq_app(url, instance, queue)
    with app.app_context():
        params = bulk.choose(job_role="Sachbearbeitung")
        people = len(bulk.people(params))
        job = bulk.start(None, params)
        db.session.close()  # as a request ends: SQLite lets one writer in at a time
        worker = _worker(url, instance, queue, burst=True)
        output, _ = worker.communicate(timeout=240)
        assert worker.returncode == 0, output
        db.session.expire_all()
        job = db.session.get(jobs.Job, job.id)
        assert job.state == "finished", (job.error, output)
        assert _passes(job.id) == people
        _check_zip(job, people)
        db.session.remove()
        db.engine.dispose()
    Redis.from_url(REDIS_URL).flushdb()


def test_a_killed_worker_leaves_a_job_that_the_retry_finishes_once(company):
    from rq import Queue
    from rq.registry import StartedJobRegistry

    url, instance = company
    queue_name = f"test-{secrets.token_hex(4)}"
    app = _rq_app(url, instance, queue_name)
    with app.app_context():
        params = bulk.choose(everyone=True)
        people = len(bulk.people(params))
        job_id = bulk.start(None, params).id
        db.session.close()
        worker = _worker(url, instance, queue_name, burst=False)
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and _done(url, job_id) < 5:
                time.sleep(0.05)
            # The worker and its work horse (a child in a process group of its own) die at
            # once, in the middle of the run, as when the machine goes down.
            _kill_with_children(worker.pid)
            worker.wait(timeout=30)
        finally:
            if worker.poll() is None:
                _kill_with_children(worker.pid)
        db.session.close()
        before = _passes(job_id)
        assert 5 <= before < people
        assert db.session.get(jobs.Job, job_id).state == "running"
        db.session.close()

        # RQ notices an abandoned job when its heartbeat expires (about 90 s); here the clock
        # is moved on instead of waiting. The part has retries left, so it is queued again,
        # beside the part no worker has taken yet; the ZIP waits for both.
        redis = Redis.from_url(REDIS_URL)
        registry = StartedJobRegistry(queue_name, connection=redis)
        registry.cleanup(timestamp=time.time() + 3600)
        queued = Queue(queue_name, connection=redis).job_ids
        assert sorted(queued) == [f"medienpass-job-{job_id}-part-{n}" for n in (1, 2)]

        again = _worker(url, instance, queue_name, burst=True)
        output, _ = again.communicate(timeout=240)
        assert again.returncode == 0, output
        job = db.session.get(jobs.Job, job_id)
        assert (job.state, job.tries) == ("finished", 2), (job.error, output)  # no third try
        assert _passes(job_id) == people
        holders = db.session.scalars(
            select(MedienPass.user_id).where(MedienPass.job_id == job_id)
        ).all()
        assert len(holders) == len(set(holders)) == people
        _check_zip(job, people)
        db.session.remove()
        db.engine.dispose()
    Redis.from_url(REDIS_URL).flushdb()
