"""Throw-away databases for tests: a SQLite file, or a PostgreSQL database of its own.

TEST_DATABASE_URL chooses the kind: empty for SQLite, a postgresql:// URL for PostgreSQL.
Every database made here has a random name, so that parallel runs never collide.
"""

import os
import secrets
import tempfile
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from config import database_uri


def server_url():
    return os.environ.get("TEST_DATABASE_URL", "")


def kind():
    return "postgresql" if server_url().startswith("postgres") else "sqlite"


@contextmanager
def temporary_database(label="t"):
    """Yield the URL of a new, empty database; drop it afterwards."""
    if kind() == "sqlite":
        with tempfile.TemporaryDirectory(prefix=f"medienpass-{label}-") as folder:
            yield "sqlite:///" + str(Path(folder) / "test.db")
        return
    base = sa.engine.make_url(database_uri(server_url()))
    name = f"medienpass_{label}_{os.getpid()}_{secrets.token_hex(4)}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
