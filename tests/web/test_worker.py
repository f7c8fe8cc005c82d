"""`make worker`: an RQ worker on the medienpass queue, only with REDIS_URL set."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _make_worker(**env):
    environment = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    environment.update(env)
    return subprocess.run(
        ["make", "-s", "worker", "RQ_ARGS=--burst"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_worker_needs_redis_url():
    result = _make_worker()
    assert result.returncode != 0
    assert "Set REDIS_URL first" in result.stdout + result.stderr


def test_worker_runs_on_the_medienpass_queue():
    result = _make_worker(REDIS_URL="redis://127.0.0.1:6379/0")
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "medienpass" in output and "started" in output.lower()
