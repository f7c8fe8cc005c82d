"""Fixtures: the app on a migrated throw-away database, a rolled-back transaction per test,
clients logged in per role, and small factories."""

import itertools
import os
import secrets
import tempfile

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session as FlaskSession
from itsdangerous import URLSafeTimedSerializer

from app import create_app
from app.accounts.auth import hash_password
from app.accounts.models import Department, JobRole, User, UserRole
from app.extensions import db as _db
from app.extensions import limiter
from tests.databases import temporary_database

PASSWORD = "Test-Passwort-123"

# Cheap hashes keep the suite fast; production uses argon2's defaults.
FAST_HASHING = {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024, "ARGON2_PARALLELISM": 1}


def make_app(database_url, instance_path, **extra):
    config = {
        "TESTING": True,
        "MEDIENPASS_ENV": "testing",
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": instance_path,
        "SECRET_KEY": "test-secret-key",
        "REDIS_URL": None,
        "SERVER_NAME": None,
        **FAST_HASHING,
        **extra,
    }
    return create_app(config)


@pytest.fixture(scope="session")
def database_url():
    with temporary_database("web") as url:
        yield url


@pytest.fixture(scope="session")
def app(database_url):
    with tempfile.TemporaryDirectory(prefix="medienpass-instance-") as instance:
        # Jobs run inside the request here: a thread could not share the test's transaction.
        # The thread and RQ backends are tested on committed databases of their own.
        app = make_app(database_url, instance, JOBS_BACKEND="inline")
        app.test_client_class = RequestIsolatingClient
        # Flask-Limiter keeps one storage per extension object and the last app bound wins;
        # tests that build apps of their own must not leave theirs to the session app.
        app.extensions["test_limiter_state"] = (limiter._storage, limiter._limiter)
        with app.app_context():
            upgrade()
        yield app
        with app.app_context():
            _db.engine.dispose()


class RequestIsolatingClient(FlaskClient):
    """Each request gets an app context of its own, as in production.

    Without it, a request would reuse the test's app context, and its `g` (the logged-in
    user, the locale) would leak from one client's request into another's.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Tests read English messages; tests of the German default set "de" themselves.
        self.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context():
            _db.session.expire_all()  # the test sees what the request wrote
        return response


class ConnectionBoundSession(FlaskSession):
    """Flask-SQLAlchemy's session picks the engine itself; in a test it must use our connection."""

    def get_bind(self, *args, **kwargs):
        return self.bind


@pytest.fixture()
def db(app):
    """Each test runs inside one transaction that is rolled back; commits become savepoints."""
    with app.app_context():
        connection = _db.engine.connect()
        transaction = connection.begin()
        original = _db.session
        _db.session = _db._make_scoped_session(
            {
                "class_": ConnectionBoundSession,
                "bind": connection,
                "join_transaction_mode": "create_savepoint",
            }
        )
        limiter._storage, limiter._limiter = app.extensions["test_limiter_state"]
        limiter.reset()
        app.extensions["medienpass_login_limits"].storage.reset()
        try:
            yield _db
        finally:
            _db.session.remove()
            _db.session = original
            transaction.rollback()
            connection.close()


_sequence = itertools.count(1)


@pytest.fixture()
def factory(db):
    return Factory(db)


class Factory:
    def __init__(self, db):
        self.db = db

    def department(self, name=None):
        record = Department(name=name or f"Abteilung {next(_sequence)}")
        self.db.session.add(record)
        self.db.session.flush()
        return record

    def job_role(self, name=None):
        record = JobRole(name=name or f"Arbeitsplatz {next(_sequence)}", description="")
        self.db.session.add(record)
        self.db.session.flush()
        return record

    def course(self, competences, title=None, lessons=2, publish=True, **fields):
        """A course with one module of `lessons` lessons developing competences
        [(Competence, level)], published unless told otherwise."""
        from app.courses import building, mapping, services

        data = services.CourseData(title=title or f"Kurs {next(_sequence)}", **fields)
        course = services.create_course(None, data)
        module = building.add_module(None, course, "Modul 1")
        for number in range(1, lessons + 1):
            building.add_lesson(None, module, f"Lektion {number}", f"Text der Lektion {number}.")
        for competence, level in competences:
            mapping.set_competences(None, course, {competence.id: level}, competence.framework)
        if publish:
            services.publish(None, course)
        return course

    def user(self, roles=("learner",), email=None, name=None, password=PASSWORD, **fields):
        number = next(_sequence)
        user = User(
            email=email or f"person{number}@firma.example",
            name=name or f"Person {number}",
            password_hash=hash_password(password) if password else None,
            department=fields.pop("department", None) or self.department(),
            job_role=fields.pop("job_role", None) or self.job_role(),
            **fields,
        )
        user.role_rows = [UserRole(role=role) for role in roles]
        self.db.session.add(user)
        self.db.session.commit()
        return user


@pytest.fixture()
def client(app, db):
    return app.test_client()


def login(client, email, password=PASSWORD):
    client.get("/login")
    token = csrf_token(client)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def csrf_token(client):
    """A valid CSRF token for the client's session, signed as Flask-WTF signs it."""
    with client.session_transaction() as sess:
        raw = sess.setdefault("csrf_token", secrets.token_hex(20))
    serializer = URLSafeTimedSerializer(client.application.secret_key, salt="wtf-csrf-token")
    return serializer.dumps(raw)


ROLE_NAMES = ("learner", "trainer", "hr", "admin")


@pytest.fixture()
def users(factory):
    """One user per role, keyed by role."""
    return {role: factory.user(roles=(role,), email=f"{role}@firma.example") for role in ROLE_NAMES}


@pytest.fixture()
def client_as(app, db, users):
    """client_as("hr"): a test client logged in as the hr user."""

    def make(role):
        test_client = app.test_client()
        response = login(test_client, users[role].email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return test_client

    return make


def pytest_sessionstart(session):
    """Compile the German catalogue when it is newer than its .mo (as `make translations`)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from config import ROOT

    for po_path in (ROOT / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog)


def pytest_report_header(config):
    url = os.environ.get("TEST_DATABASE_URL") or "sqlite (temporary file)"
    return f"database: {url}"
