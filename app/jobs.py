"""Background jobs: a row per job (state, progress, result file, error) and two backends.
Without REDIS_URL a thread of the app process runs the job (the embedded default); with it,
RQ workers (`make worker`) do, and a job whose worker died is retried. A job's work must be
idempotent: a retry continues where the last try stopped, it does not start again.

Handlers are registered by kind: `HANDLERS["passes.bulk"] = function(job, progress)`; the
function returns the result file's path (below the jobs folder) or None."""

import logging
import os
import threading
import traceback
from pathlib import Path

from flask import current_app
from sqlalchemy import update

from app.accounts.models import utcnow
from app.extensions import db

log = logging.getLogger(__name__)

HANDLERS = {}
JOB_STATES = ("queued", "running", "finished", "failed")
RETRIES = 3


class Job(db.Model):
    __tablename__ = "jobs"
    __table_args__ = (
        db.CheckConstraint(
            "state IN ('queued', 'running', 'finished', 'failed')", name="known_state"
        ),
    )

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(40), nullable=False)
    params = db.Column(db.JSON, nullable=False, default=dict)
    state = db.Column(db.String(20), nullable=False, default="queued")
    done = db.Column(db.Integer, nullable=False, default=0)
    total = db.Column(db.Integer, nullable=False, default=0)
    tries = db.Column(db.Integer, nullable=False, default=0)
    result_file = db.Column(db.String(300))  # a name inside the jobs folder
    error = db.Column(db.Text, nullable=False, default="")
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    started_at = db.Column(db.DateTime)
    finished_at = db.Column(db.DateTime)

    created_by = db.relationship("User")

    @property
    def percent(self):
        if self.state == "finished":
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    def as_json(self):
        return {
            "id": self.id,
            "state": self.state,
            "done": self.done,
            "total": self.total,
            "percent": self.percent,
            "error": self.error,
        }


def folder(app=None):
    path = Path((app or current_app).instance_path) / "jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def create(kind, params, actor=None):
    """Record a job (state queued) without starting it."""
    if kind not in HANDLERS:
        raise ValueError(f"unknown job kind {kind}")
    job = Job(kind=kind, params=params, created_by_id=actor.id if actor is not None else None)
    db.session.add(job)
    db.session.commit()
    return job


def enqueue(kind, params, actor=None):
    """Record a job and hand it to the backend; returns the job (state queued)."""
    job = create(kind, params, actor)
    backend = current_app.config.get("JOBS_BACKEND") or (
        "rq" if current_app.config.get("REDIS_URL") else "thread"
    )
    if backend == "inline":
        return run(job.id)
    if backend == "rq":
        from redis import Redis
        from rq import Queue, Retry

        queue = Queue(
            current_app.config["JOBS_QUEUE"],
            connection=Redis.from_url(current_app.config["REDIS_URL"]),
        )
        queue.enqueue(
            "app.jobs.run_in_worker",
            job.id,
            job_id=f"medienpass-job-{job.id}",
            retry=Retry(max=RETRIES),
            job_timeout=3600,
        )
    else:
        app = current_app._get_current_object()
        thread = threading.Thread(target=_run_in_thread, args=(app, job.id), daemon=True)
        _threads[job.id] = thread
        thread.start()
    return job


_threads = {}  # job id -> the thread running it (thread backend)


def wait(job_id, timeout=None):
    """Wait for a job run by a thread of this process to end (tests, the CLI)."""
    thread = _threads.get(job_id)
    if thread is not None:
        thread.join(timeout)
        if not thread.is_alive():
            _threads.pop(job_id, None)


def _run_in_thread(app, job_id):
    with app.app_context():
        try:
            run(job_id)
        finally:
            db.session.remove()
            _threads.pop(job_id, None)


_worker_app = {}


def run_in_worker(job_id):
    """Entry point of RQ workers: an app of their own, made once per worker process."""
    if "app" not in _worker_app:
        from app import create_app

        _worker_app["app"] = create_app()
    with _worker_app["app"].app_context():
        try:
            run(job_id, reraise=True)
        finally:
            db.session.remove()


def run(job_id, reraise=False, on_progress=None):
    """Run (or continue) a job: mark it running, call its handler, store the outcome.
    on_progress(done, total) also hears of the progress (a terminal's progress bar)."""
    job = db.session.get(Job, job_id)
    if job is None or job.state == "finished":
        return job
    job.state, job.started_at, job.error = "running", utcnow(), ""
    job.tries += 1
    db.session.commit()

    def progress(done, total):
        db.session.execute(update(Job).where(Job.id == job_id).values(done=done, total=total))
        db.session.commit()
        if on_progress is not None:
            on_progress(done, total)

    try:
        result = HANDLERS[job.kind](job, progress)
    except Exception as error:  # noqa: BLE001  the job's error is stored and shown to HR
        db.session.rollback()
        log.error("job %s failed: %s", job_id, traceback.format_exc())
        job = db.session.get(Job, job_id)
        job.state, job.error = "failed", str(error) or type(error).__name__
        job.finished_at = utcnow()
        db.session.commit()
        if reraise:
            raise
        return job
    job = db.session.get(Job, job_id)
    job.state, job.result_file, job.finished_at = "finished", result, utcnow()
    job.done = job.total
    db.session.commit()
    return job


def result_path(job):
    if not job.result_file:
        return None
    path = folder() / job.result_file
    return path if path.exists() else None


def write_result(name, write):
    """Write a result file next to its final place, then move it there: a download never
    finds half a file, and a retried job overwrites its own result."""
    target = folder() / name
    temporary = target.with_name(f".{name}.{os.getpid()}.{threading.get_ident()}.part")
    try:
        write(temporary)
        temporary.replace(target)
    finally:
        if temporary.exists():
            temporary.unlink()
    return name
