"""With REDIS_URL set, failed-login counters live in Redis and so hold across app processes."""

import secrets

import pytest
import redis

from tests.conftest import PASSWORD, login, make_app

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture()
def two_app_processes(database_url, tmp_path):
    """Two apps as two gunicorn workers would be: each with its own counters' client."""
    prefix = f"medienpass-test-{secrets.token_hex(4)}"
    apps = [
        make_app(
            database_url,
            str(tmp_path / f"instance{n}"),
            REDIS_URL=REDIS_URL,
            RATELIMIT_KEY_PREFIX=prefix,
        )
        for n in range(2)
    ]
    yield apps
    connection = redis.Redis.from_url(REDIS_URL)
    for key in connection.scan_iter(f"*{prefix}*"):
        connection.delete(key)


def test_failures_counted_by_one_process_block_the_other(two_app_processes, factory):
    first, second = two_app_processes
    assert (
        first.extensions["medienpass_login_limits"]
        is not (second.extensions["medienpass_login_limits"])
    )
    user = factory.user()
    for _ in range(10):
        assert login(first.test_client(), user.email, "falsch-falsch").status_code == 200
    assert login(second.test_client(), user.email, PASSWORD).status_code == 429


def test_memory_counters_are_per_process(app, factory, tmp_path, database_url):
    other = make_app(database_url, str(tmp_path))
    user = factory.user()
    for _ in range(10):
        login(other.test_client(), user.email, "falsch-falsch")
    assert login(app.test_client(), user.email, PASSWORD).status_code == 302
