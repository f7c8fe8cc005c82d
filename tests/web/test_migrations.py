"""Migrations: one head; base → head → base → head on a database holding data."""

import tempfile

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from app.extensions import db
from app.seed import seed_accounts
from config import ROOT
from tests.conftest import make_app
from tests.databases import temporary_database


def test_there_is_exactly_one_head(app):
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        script = ScriptDirectory.from_config(config)
        assert len(script.get_heads()) == 1


def test_upgrade_and_downgrade_with_rows_present():
    with temporary_database("mig") as url, tempfile.TemporaryDirectory() as instance:
        app = make_app(url, instance)
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            assert seed_accounts()
            db.session.commit()
            users = db.session.execute(sa.text("SELECT count(*) FROM users")).scalar()
            assert users > 20
            db.session.remove()  # the migration needs the tables unlocked

            downgrade(directory=str(ROOT / "migrations"), revision="base")
            tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
            assert tables == set()

            upgrade(directory=str(ROOT / "migrations"))
            tables = set(sa.inspect(db.engine).get_table_names())
            assert {"users", "user_roles", "departments", "job_roles", "audit_entries"} <= tables
            assert seed_accounts()  # the schema works again after the round trip
            db.session.commit()
            db.session.remove()
            db.engine.dispose()


def test_models_and_migrations_agree(app):
    """Autogenerate finds nothing to do: every model change came with a migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_rows_survive_every_later_migration():
    """Data written at the first revision is still there after upgrading to head."""
    with temporary_database("migdata") as url, tempfile.TemporaryDirectory() as instance:
        app = make_app(url, instance)
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"), revision="0001_accounts")
            # Plain SQL of the first revision's columns: the models have columns it lacks.
            for number in range(3):
                db.session.execute(
                    sa.text(
                        "INSERT INTO users (email, name, active, session_epoch, created_at)"
                        " VALUES (:email, :name, :active, 0, CURRENT_TIMESTAMP)"
                    ),
                    {"email": f"p{number}@example.org", "name": f"P {number}", "active": True},
                )
            db.session.commit()
            before = db.session.execute(sa.text("SELECT email FROM users ORDER BY id")).all()
            db.session.remove()
            upgrade(directory=str(ROOT / "migrations"))
            after = db.session.execute(sa.text("SELECT email FROM users ORDER BY id")).all()
            assert after == before
            db.session.remove()
            db.engine.dispose()
