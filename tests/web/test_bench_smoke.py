"""The dashboard benchmark in its smallest size, on the database of this test run: it
fills, measures, prints its figures and leaves no database behind."""

import re
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
