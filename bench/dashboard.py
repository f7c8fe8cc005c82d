"""Learner dashboard and HR compliance page on a large database: fill, measure, print.

    python -m bench.dashboard                 # 10,000 users, 500 courses, 1,000,000 progress rows
    python -m bench.dashboard --smoke         # a small run that checks the bench itself
    python -m bench.dashboard --server sqlite --users 1000 --courses 50 --progress 50000

The bench makes a throw-away database beside the server named by --server (a
postgresql:// URL; default TEST_DATABASE_URL, else the local test server) or a temporary
SQLite file (--server sqlite), migrates it, bulk-loads it (COPY on PostgreSQL, batched
INSERTs on SQLite), then requests each page through the test client after a few warm-up
requests and prints p50/p95/max with the ratio of each p95 to the account page's, a
logged-in page that only loads the user. The database is dropped at the end, on error too,
unless --keep is given.
"""

import argparse
import logging
import os
import re
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from bench.fill import fill
from config import database_uri

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/test"


@dataclass(frozen=True)
class Sizes:
    users: int = 10_000
    courses: int = 500
    progress: int = 1_000_000
    requests: int = 200
    warmup: int = 5


SMOKE = Sizes(users=200, courses=20, progress=5_000, requests=20, warmup=2)


@contextmanager
def temporary_database(server, keep=False):
    """Yield the URL of a new, empty database beside `server` (or a SQLite file)."""
    if server == "sqlite":
        folder = tempfile.mkdtemp(prefix="medienpass-bench-")
        try:
            yield "sqlite:///" + str(Path(folder) / "bench.db")
        finally:
            if not keep:
                shutil.rmtree(folder)
        return
    base = sa.engine.make_url(database_uri(server))
    name = f"medienpass_bench_{os.getpid()}_{secrets.token_hex(4)}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        if not keep:
            with admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def make_app(url, instance):
    from app import create_app

    return create_app(
        {
            "DATABASE_URL": url,
            "INSTANCE_PATH": instance,
            "SECRET_KEY": secrets.token_hex(16),
            "REDIS_URL": None,
            "MEDIENPASS_ENV": "bench",
        }
    )


def login(client, email, password):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}
    )
    if response.status_code != 302:
        raise RuntimeError(f"login of {email} failed: {response.status_code}")


def timings(client, path, sizes):
    """Milliseconds of `sizes.requests` requests after `sizes.warmup` unmeasured ones."""
    for _ in range(sizes.warmup):
        client.get(path)
    measured = []
    for _ in range(sizes.requests):
        start = time.perf_counter()
        response = client.get(path)
        measured.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
    return measured


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def measure(app, people, password, sizes):
    """[(label, path, [ms])] of the baseline, the dashboard and the compliance page."""
    learner, hr = app.test_client(), app.test_client()
    login(learner, people["learner"], password)
    login(hr, people["hr"], password)
    anonymous = app.test_client()
    return [
        ("account page (baseline)", "/account", timings(learner, "/account", sizes)),
        ("healthz", "/healthz", timings(anonymous, "/healthz", sizes)),
        ("learner dashboard", "/dashboard", timings(learner, "/dashboard", sizes)),
        ("hr compliance page", "/courses/compliance", timings(hr, "/courses/compliance", sizes)),
    ]


def report(results, out):
    baseline = percentile(results[0][2], 0.95)
    print(f"{'page':<26}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'p95/baseline':>14}", file=out)
    for label, _path, values in results:
        p95 = percentile(values, 0.95)
        print(
            f"{label:<26}{statistics.median(values):>9.1f}{p95:>9.1f}{max(values):>9.1f}"
            f"{p95 / baseline:>14.2f}",
            file=out,
        )


def run(server, sizes, keep=False, out=sys.stdout):
    with temporary_database(server, keep) as url, tempfile.TemporaryDirectory() as instance:
        shown = sa.engine.make_url(url).render_as_string(hide_password=True)
        print(f"database: {shown}", file=out, flush=True)
        app = make_app(url, instance)
        password = secrets.token_urlsafe(16)  # of the two people who log in
        try:
            from flask_migrate import upgrade

            with app.app_context():
                started = time.perf_counter()
                upgrade()
                logging.getLogger().setLevel(logging.WARNING)  # alembic set INFO
                migrated = time.perf_counter() - started
                filled = fill(sizes.users, sizes.courses, sizes.progress, password)
            print(
                f"sizes: {filled.rows['users']} users, {filled.rows['courses']} courses, "
                f"{filled.rows['lessons']} lessons, {filled.rows['enrolments']} enrolments, "
                f"{filled.rows['lesson_progress']} lesson progress rows",
                file=out,
            )
            print(
                f"fill: {filled.seconds + migrated:.1f} s (migrations {migrated:.1f} s, "
                + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in filled.steps)
                + ")",
                file=out,
                flush=True,
            )
            report(measure(app, filled.people, password, sizes), out)
        finally:
            with app.app_context():
                from app.extensions import db

                db.engine.dispose()
        if keep:
            print(f"kept: {shown}", file=out)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    test_server = os.environ.get("TEST_DATABASE_URL", "")
    parser.add_argument(
        "--server",
        default=test_server if test_server.startswith("postgres") else DEFAULT_SERVER,
        help="a postgresql:// server URL, or 'sqlite'",
    )
    parser.add_argument("--smoke", action="store_true", help="a small, quick run")
    parser.add_argument("--users", type=int)
    parser.add_argument("--courses", type=int)
    parser.add_argument("--progress", type=int, help="lesson progress rows")
    parser.add_argument("--requests", type=int, help="measured requests per page")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)
    sizes = SMOKE if args.smoke else Sizes()
    given = {
        name: getattr(args, name)
        for name in ("users", "courses", "progress", "requests")
        if getattr(args, name) is not None
    }
    sizes = Sizes(**{**sizes.__dict__, **given})
    run(args.server, sizes, keep=args.keep)


if __name__ == "__main__":
    main()
