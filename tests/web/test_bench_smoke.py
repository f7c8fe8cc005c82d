"""The dashboard benchmark in its smallest size, on the database of this test run: it
fills, measures, prints its figures and leaves no database behind."""

import io
import re
import socket
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from config import ROOT, database_uri
from tests.databases import kind, server_url

PAGES = ("account page (baseline)", "healthz", "learner dashboard", "hr compliance page")
FIGURE = r"\s+(\d+\.\d+)"


def _database_is_gone(shown):
    """`shown`: the database URL the bench printed, without a password."""
    url = sa.engine.make_url(shown)
    if url.get_backend_name() == "sqlite":
        return not Path(url.database).parent.exists()
    engine = sa.create_engine(database_uri(server_url()))
    try:
        with engine.connect() as connection:
            found = connection.execute(
                sa.text("SELECT count(*) FROM pg_database WHERE datname = :name"),
                {"name": url.database},
            ).scalar()
    finally:
        engine.dispose()
    return found == 0


def test_the_bench_runs_small_and_cleans_up():
    server = server_url() if kind() == "postgresql" else "sqlite"
    finished = subprocess.run(
        [sys.executable, "-m", "bench.dashboard", "--smoke", "--server", server],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = finished.stdout
    assert finished.returncode == 0, finished.stderr[-3000:]
    shown = re.search(r"^database: (\S+)$", output, re.MULTILINE).group(1)
    assert shown.startswith("sqlite" if server == "sqlite" else "postgresql")
    sizes = r"^sizes: 200 users, 20 courses, \d+ lessons, 2000 enrolments, 5000 lesson progress"
    assert re.search(sizes, output, re.MULTILINE), output
    assert re.search(r"^fill: \d+\.\d s \(migrations", output, re.MULTILINE), output
    for page in PAGES:
        figures = rf"^{re.escape(page)}{FIGURE * 4}$"
        line = re.search(figures, output, re.MULTILINE)
        assert line, (page, output)
        p50, p95, most = (float(line.group(n)) for n in (1, 2, 3))
        assert 0 < p50 <= p95 <= most
    assert _database_is_gone(shown)


LOAD_PAGES = (
    "login", "learner start page", "quiz start", "quiz answer", "quiz submit", "quiz review",
    "course save", "quiz save", "bulk pass start", "bulk job status", "bulk ZIP download",
    "verify pass",
)  # fmt: skip


def _free_port():
    for port in range(5130, 5140):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port for the load benchmark")


def test_the_load_bench_runs_small_and_checks_what_it_wrote():
    """The load benchmark at its smallest (`python -m bench.load --smoke`: four people for
    seconds, in threads instead of Locust, running the same journeys): gunicorn, an RQ worker,
    every role's journey, the figures, the loss and duplicate checks, nothing left behind."""
    from bench import load

    server = server_url() if kind() == "postgresql" else "sqlite"
    out = io.StringIO()
    code = load.run(server, load.SMOKE, "plain", _free_port(), out=out)
    output = out.getvalue()
    assert code == 0, output
    assert re.search(r"^requests: \d+ in \d+ s, \d+\.\d requests/s$", output, re.MULTILINE)
    for page in LOAD_PAGES:
        line = re.search(rf"^{re.escape(page)}\s+(\d+){FIGURE * 3}\s+0$", output, re.MULTILINE)
        assert line, (page, output)
        assert int(line.group(1)) >= 1
    assert re.search(r"^5xx: 0$", output, re.MULTILINE)
    checks = re.findall(r"^(ok  |FAIL) (.+)$", output, re.MULTILINE)
    assert len(checks) >= 7 and all(mark == "ok  " for mark, _name in checks), checks
    assert re.search(r"^ok   attempts: [1-9]\d* submitted", output, re.MULTILINE)
    assert re.search(r"^ok   bulk passes: [1-9]\d* of [1-9]\d* jobs finished", output, re.MULTILINE)
    assert _database_is_gone(re.search(r"^database: (\S+)$", output, re.MULTILINE).group(1))


def test_the_locustfile_compiles():
    """The suite has no Locust; the file that drives the journeys under Locust must at least
    be valid Python (`make bench-load` runs it)."""
    source = (Path(ROOT) / "bench" / "load_locustfile.py").read_text(encoding="utf-8")
    compile(source, "load_locustfile.py", "exec")


def test_the_load_checks_find_what_was_lost(app, database_url):
    """An attempt and a bulk job the load generator saw answered but the database lacks are
    named: the checks can fail."""
    from bench.load_checks import check

    user, missing = "nobody@bench.example", 987_654
    events = [
        {"kind": "attempt_started", "attempt": missing, "user": user, "quiz": 1},
        {"kind": "attempt_submitted", "attempt": missing, "user": user, "status": 302},
        {"kind": "job_started", "job": missing, "user": user},
        {"kind": "job_ended", "job": missing, "state": "finished", "pdfs": 3},
    ]
    log = {"requests": [], "failures": [], "events": events}
    plan = {"department": {"id": 0, "name": "-", "people": 0}}
    results = check(database_url, plan, log)
    lost = [name.split(",")[0] for name, problem in results if f"lost: 1 ({missing})" in problem]
    assert lost == [
        "attempts: 1 submitted (2xx/3xx) of 1 started",
        "bulk passes: 0 of 1 jobs finished",
    ]
