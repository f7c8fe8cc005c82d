"""Bulk issue of Medienpässe into one ZIP through the real job system: RQ on Redis, two worker
processes, PostgreSQL.

    python -m bench.bulk_zip                  # 1,000 passes, 2 workers
    python -m bench.bulk_zip --people 100 --workers 1

It makes a throw-away PostgreSQL database (beside TEST_DATABASE_URL or the local test server)
and instance folder, fills them with people who hold evidence (bench/fill.py, everyone
active), starts the RQ workers, and times the HR job "everyone" from its start to its ZIP.
The baseline, measured in the same run: the rendering of the same passes' PDFs alone, one
after the other in this process, divided by the number of workers, the time the job
would take if issuing, signing, the database and the ZIP were free. It prints the seconds,
passes per second and the ratio to that baseline, checks the ZIP holds every pass exactly
once, and cleans up (database, Redis queue, workers). Goal: 1,000 passes in 60 s or less.
"""

import argparse
import logging
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from redis import Redis

from bench.dashboard import DEFAULT_SERVER, temporary_database
from bench.fill import fill

GOAL_SECONDS = 60
ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")


def _workers(count, url, instance, queue):
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "MEDIENPASS_INSTANCE": instance,
        "SECRET_KEY": "bench",
        "REDIS_URL": REDIS_URL,
        "JOBS_QUEUE": queue,
    }
    command = [sys.executable, "-m", "rq.cli", "worker", "--url", REDIS_URL, "--quiet"]
    command += ["--worker-class", "app.worker.Worker"]
    command += ["--path", str(ROOT), queue]
    return [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)  # noqa: S603
        for _ in range(count)
    ]


def _wait(job_id, timeout):
    from app import jobs
    from app.extensions import db

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = db.session.get(jobs.Job, job_id)
        state = job.state
        db.session.close()
        if state in ("finished", "failed"):
            return db.session.get(jobs.Job, job_id)
        time.sleep(0.1)
    raise RuntimeError(f"the job did not end within {timeout} s")


def _render_baseline(job_id, workers, sample):
    """Seconds to render the job's passes one after the other here, divided among the workers:
    measured on `sample` of them and scaled to all."""
    from sqlalchemy import select

    from app.extensions import db
    from app.mediapass import pdf
    from app.mediapass.models import MedienPass

    ids = db.session.scalars(select(MedienPass.id).where(MedienPass.job_id == job_id)).all()
    times = []
    for pass_id in ids[:sample]:
        record = db.session.get(MedienPass, pass_id)
        started = time.perf_counter()
        pdf.render_pass(record)
        times.append(time.perf_counter() - started)
        db.session.expunge(record)
    return statistics.median(times) * len(ids) / workers, statistics.median(times)


def run(server, people, workers, sample):
    from flask_migrate import upgrade
    from sqlalchemy import func, select, update

    from app import create_app, jobs
    from app.accounts.models import User
    from app.extensions import db
    from app.mediapass import bulk
    from app.mediapass.models import MedienPass

    queue = f"bench-{secrets.token_hex(4)}"
    with temporary_database(server) as url, tempfile.TemporaryDirectory() as instance:
        app = create_app(
            {
                "DATABASE_URL": url,
                "INSTANCE_PATH": instance,
                "SECRET_KEY": "bench",
                "REDIS_URL": REDIS_URL,
                "JOBS_QUEUE": queue,
            }
        )
        processes = []
        try:
            with app.app_context():
                upgrade()
                logging.getLogger().setLevel(logging.WARNING)  # alembic set INFO
                fill(people, max(people // 20, 10), people * 20, secrets.token_urlsafe(12))
                db.session.execute(update(User).values(active=True))
                db.session.commit()
                processes = _workers(workers, url, instance, queue)
                time.sleep(2)  # the workers are up before the clock starts

                started = time.perf_counter()
                job = bulk.start(None, bulk.choose(everyone=True))
                job_id = job.id
                db.session.close()
                job = _wait(job_id, timeout=1800)
                seconds = time.perf_counter() - started
                if job.state != "finished":
                    raise RuntimeError(f"the job failed: {job.error}")

                archive = zipfile.ZipFile(jobs.result_path(job))
                pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
                holders = db.session.scalars(
                    select(MedienPass.user_id).where(MedienPass.job_id == job_id)
                ).all()
                everyone = db.session.scalar(select(func.count()).select_from(User))
                assert len(pdfs) == len(set(pdfs)) == len(holders) == len(set(holders))
                assert len(holders) == everyone, (len(holders), everyone)
                baseline, one = _render_baseline(job_id, workers, sample)
                db.session.remove()
                db.engine.dispose()
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=30)
            redis = Redis.from_url(REDIS_URL)
            for key in redis.scan_iter(f"*{queue}*"):
                redis.delete(key)
    passes = len(holders)
    print(f"passes: {passes} in one ZIP of {len(pdfs)} PDFs, {workers} RQ workers")
    print(f"bulk job (start to ZIP)          {seconds:7.1f} s   {passes / seconds:6.1f} passes/s")
    print(
        f"baseline: rendering alone / {workers}      {baseline:7.1f} s   "
        f"({one * 1000:.0f} ms median per PDF, {sample} measured)"
    )
    print(f"ratio: {seconds / baseline:.2f} (bulk job / rendering alone); goal {GOAL_SECONDS} s")
    return 0 if seconds <= GOAL_SECONDS * passes / 1000 else 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    test_server = os.environ.get("TEST_DATABASE_URL", "")
    parser.add_argument(
        "--server",
        default=test_server if test_server.startswith("postgres") else DEFAULT_SERVER,
        help="a postgresql:// server URL",
    )
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sample", type=int, default=30, help="PDFs rendered for the baseline")
    args = parser.parse_args(argv)
    logging.disable(logging.INFO)
    return run(args.server, args.people, args.workers, args.sample)


if __name__ == "__main__":
    sys.exit(main())
