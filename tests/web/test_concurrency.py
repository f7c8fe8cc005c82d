"""Parallel requests on a real database (each thread with its own connection): no 5xx."""

import tempfile
import threading

import pytest
from flask_migrate import upgrade

from app.extensions import db
from app.seed import DEMO_PASSWORD, LEARNERS, _email, seed_accounts
from tests.conftest import csrf_token, make_app
from tests.databases import temporary_database


@pytest.fixture(scope="module")
def committed_app():
    """An app whose data is really committed, so that parallel connections see it."""
    with temporary_database("par") as url, tempfile.TemporaryDirectory() as instance:
        app = make_app(url, instance)
        with app.app_context():
            upgrade()
            seed_accounts()
            db.session.commit()
            db.session.remove()
        yield app
        with app.app_context():
            db.engine.dispose()


def _in_parallel(count, work):
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        barrier.wait()
        results[index] = work(index)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _login(app, email, password):
    client = app.test_client()
    client.get("/login")
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": csrf_token(client)}
    )
    return response.status_code


def test_people_logging_in_at_the_same_moment_all_get_in(committed_app):
    emails = [_email(name) for name, _dep, _job in LEARNERS[:12]]
    statuses = _in_parallel(len(emails), lambda i: _login(committed_app, emails[i], DEMO_PASSWORD))
    assert statuses == [302] * len(emails)


def test_parallel_guesses_do_not_pass_the_account_limit(committed_app):
    email = _email(LEARNERS[15][0])
    statuses = _in_parallel(20, lambda i: _login(committed_app, email, "falsch-falsch"))
    assert sorted(set(statuses)) == [200, 429]
    assert statuses.count(200) == 10  # exactly the limit was checked against the password
