"""`flask ...` as a separate process on a throw-away database, as scripts call it."""

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from tests.databases import temporary_database

ROOT = Path(__file__).resolve().parents[1]


def flask_runner(url, instance):
    """flask(*args) -> CompletedProcess, run in the checkout with FLASK_APP=wsgi on `url`."""
    env = {
        **os.environ,
        "FLASK_APP": "wsgi",
        "DATABASE_URL": url,
        "MEDIENPASS_INSTANCE": str(instance),
        "SECRET_KEY": "cli-test",
    }

    def flask(*args):
        return subprocess.run(
            [sys.executable, "-m", "flask", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return flask


@contextmanager
def flask_commands(prefix, instance):
    """Yield flask(*args) -> CompletedProcess on a throw-away database."""
    with temporary_database(prefix) as url:
        yield flask_runner(url, instance)
