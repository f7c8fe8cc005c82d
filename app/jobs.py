"""Background jobs: a row per job (state, progress, result file, error) and two backends.
Without REDIS_URL a thread of the app process runs the job (the embedded default); with it,
RQ workers (`make worker`) do, and a job whose worker died is retried. A job's work must be
idempotent: a retry continues where the last try stopped, it does not start again.

Handlers are registered by kind: `HANDLERS["kind"] = function(job, progress)`; the function
returns the result file's path (below the jobs folder) or None. A job that several workers
may share is registered as `PARTS["kind"] = Parts(...)`: it is split into parts (each a list
of units, e.g. people), every part is an RQ job of its own that any worker takes, and a last
RQ job, run when all parts are done, writes the result. The thread and inline backends run
the parts one after the other in the same way."""

import errno
import glob
import logging
import os
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext
from sqlalchemy import update

from app.accounts.models import utcnow
from app.extensions import db
from app.messages import N_

log = logging.getLogger(__name__)

HANDLERS = {}
PARTS = {}
JOB_STATES = ("queued", "running", "finished", "failed")
RETRIES = 3
# A part (20 passes) takes seconds; RQ notices a part whose worker died before its first
# heartbeat only when this time has passed, so it is short.
PART_TIMEOUT = 600


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

    @property
    def message(self):
        """The error in the reader's language where the catalogue knows it (a StorageError's
        text, say), else as it was stored."""
        return gettext(self.error) if self.error else ""

    def as_json(self):
        return {
            "id": self.id,
            "state": self.state,
            "done": self.done,
            "total": self.total,
            "percent": self.percent,
            "error": self.message,
        }


@dataclass(frozen=True)
class Parts:
    """A job made of parts. `split(job)` gives the parts (lists of JSON-able units, the same
    on every call), `run_part(job, units, tick)` does one part's work idempotently and calls
    tick() now and then, `count_done(job)` counts the units done (counted, so that a retried
    part never counts twice), `finish(job)` writes the result and returns its file name."""

    split: Callable
    run_part: Callable
    count_done: Callable
    finish: Callable


def folder(app=None):
    """The result files' folder, in the storage directory every app server and worker
    shares: a ZIP a worker wrote is downloaded through any app server."""
    path = Path((app or current_app).config["STORAGE_DIR"]) / "jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def create(kind, params, actor=None):
    """Record a job (state queued) without starting it."""
    if kind not in HANDLERS and kind not in PARTS:
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
        from rq import Retry

        _queue().enqueue(
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


def _queue():
    from redis import Redis
    from rq import Queue

    return Queue(
        current_app.config["JOBS_QUEUE"],
        connection=Redis.from_url(current_app.config["REDIS_URL"]),
    )


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


def worker_app():
    """The app of an RQ worker, made once per worker process (app/worker.py makes it before
    forking, so that every work horse inherits it)."""
    if "app" not in _worker_app:
        from app import create_app

        _worker_app["app"] = create_app()
    return _worker_app["app"]


def _in_worker(work, *args):
    """Run work(*args) in an RQ worker's app."""
    with worker_app().app_context():
        try:
            return work(*args)
        finally:
            db.session.remove()


def run_in_worker(job_id):
    """Entry point of RQ workers for a job: the whole job, or the plan of a job in parts."""
    return _in_worker(lambda: run(job_id, reraise=True, fan_out=_fan_out))


def run_part_in_worker(job_id, units):
    """Entry point of RQ workers for one part of a job."""
    return _in_worker(_run_part_in_worker, job_id, units)


def finish_in_worker(job_id):
    """Entry point of RQ workers for the last step of a job in parts: its result."""
    return _in_worker(_finish, job_id, True)


def _fan_out(job, pieces):
    """Queue every part as an RQ job of its own, and the result after all of them."""
    from rq import Retry

    queue = _queue()
    parts = [
        queue.enqueue(
            "app.jobs.run_part_in_worker",
            job.id,
            units,
            job_id=f"medienpass-job-{job.id}-part-{number}",
            retry=Retry(max=RETRIES),
            job_timeout=PART_TIMEOUT,
        )
        for number, units in enumerate(pieces, start=1)
    ]
    queue.enqueue(
        "app.jobs.finish_in_worker",
        job.id,
        job_id=f"medienpass-job-{job.id}-result",
        depends_on=parts,
        retry=Retry(max=RETRIES),
        job_timeout=PART_TIMEOUT,
    )


def _progress(job_id, done, total=None, on_progress=None):
    values = {"done": done} if total is None else {"done": done, "total": total}
    db.session.execute(update(Job).where(Job.id == job_id).values(**values))
    db.session.commit()
    if on_progress is not None:
        on_progress(done, total if total is not None else db.session.get(Job, job_id).total)


def _failed(job_id, error):
    db.session.rollback()
    log.error("job %s failed: %s", job_id, traceback.format_exc())
    job = db.session.get(Job, job_id)
    job.state, job.error = "failed", str(error) or type(error).__name__
    job.finished_at = utcnow()
    db.session.commit()
    return job


def _run_part(job, units, on_progress=None):
    spec = PARTS[job.kind]
    job_id = job.id
    spec.run_part(job, units, lambda: _progress(job_id, spec.count_done(job), None, on_progress))
    _progress(job_id, spec.count_done(job), None, on_progress)


def _run_part_in_worker(job_id, units):
    from rq import get_current_job

    job = db.session.get(Job, job_id)
    if job is None or job.state in ("finished", "failed"):
        return
    task = get_current_job()
    if task is not None and (task.retries_left or 0) < RETRIES:
        # A part started again after its worker died or it failed: the job is retried.
        db.session.execute(update(Job).where(Job.id == job_id).values(tries=Job.tries + 1))
        db.session.commit()
    try:
        _run_part(job, units)
    except Exception as error:
        if task is None or not task.retries_left:
            _failed(job_id, error)  # no try left: the whole job failed
        raise


def _finish(job_id, reraise=False):
    job = db.session.get(Job, job_id)
    if job is None or job.state in ("finished", "failed"):
        return job
    try:
        result = PARTS[job.kind].finish(job)
    except Exception as error:  # noqa: BLE001  the job's error is stored and shown to HR
        job = _failed(job_id, error)
        if reraise:
            raise
        return job
    return _finished(job_id, result)


def _finished(job_id, result):
    job = db.session.get(Job, job_id)
    job.state, job.result_file, job.finished_at = "finished", result, utcnow()
    job.done = job.total
    db.session.commit()
    return job


def run(job_id, reraise=False, on_progress=None, fan_out=None):
    """Run (or continue) a job: mark it running, call its handler, store the outcome.
    on_progress(done, total) also hears of the progress (a terminal's progress bar). A job in
    parts runs its parts here one after the other, or, given fan_out(job, parts), hands them
    to others (RQ workers) and stays running until its last step."""
    job = db.session.get(Job, job_id)
    if job is None or job.state == "finished":
        return job
    job.state, job.started_at, job.error = "running", utcnow(), ""
    job.tries += 1
    db.session.commit()
    try:
        if job.kind in PARTS:
            spec = PARTS[job.kind]
            pieces = spec.split(job)
            _progress(job_id, spec.count_done(job), sum(map(len, pieces)), on_progress)
            if fan_out is not None:
                fan_out(job, pieces)
                return job
            for units in pieces:
                _run_part(job, units, on_progress)
            result = spec.finish(job)
        else:
            result = HANDLERS[job.kind](
                job, lambda done, total: _progress(job_id, done, total, on_progress)
            )
    except Exception as error:  # noqa: BLE001  the job's error is stored and shown to HR
        job = _failed(job_id, error)
        if reraise:
            raise
        return job
    return _finished(job_id, result)


def result_path(job):
    if not job.result_file:
        return None
    path = folder() / job.result_file
    return path if path.exists() else None


def write_result(name, write):
    """Write a result file next to its final place, then move it there: a download never
    finds half a file, and a retried job overwrites its own result. A file that cannot be
    written (a full disk) leaves nothing behind and fails the job with a StorageError."""
    target = folder() / name
    temporary = target.with_name(f".{name}.{os.getpid()}.{threading.get_ident()}.part")
    try:
        write(temporary)
        temporary.replace(target)
    except OSError as error:
        raise StorageError.from_os_error(error) from error
    finally:
        if temporary.exists():
            temporary.unlink()
    _remove_abandoned(name)
    return name


def _remove_abandoned(name):
    """Remove what writers of this result killed in the middle (a worker that died) left
    behind. Only files older than a part's time limit: a writer still at work, on this
    machine or another, is never that slow."""
    cutoff = time.time() - PART_TIMEOUT
    for leftover in folder().glob(f".{glob.escape(name)}.*.part"):
        try:
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()
        except FileNotFoundError:
            pass  # another process removed it


class StorageError(Exception):
    """A file could not be written to the storage directory. Its text is an English msgid
    (without parameters), so that the job page shows it translated (Job.message)."""

    @classmethod
    def from_os_error(cls, error):
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            return cls(
                N_(
                    "The storage directory is full: the result file could not be written. "
                    "Free some space there and start the run again."
                )
            )
        return cls(
            N_(
                "The result file could not be written to the storage directory. "
                "Check that the folder exists and that the app may write to it."
            )
        )
