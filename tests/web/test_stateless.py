"""App processes keep no state: what one app server or worker did, another one sees — the
session cookie, a job's result file in the shared storage directory, a rotated signing key.
And `make serve-prod` refuses to start without what production needs."""

import os
import subprocess

from flask import Flask

from app import jobs
from app.courses import attachments
from app.mediapass import keys
from config import load_config
from tests.conftest import login, make_app
from tests.processes import ROOT


def _storage_dir(instance):
    app = Flask(__name__, instance_path=str(instance))
    load_config(app, {"SECRET_KEY": "k"})
    return app.config["STORAGE_DIR"]


def test_the_storage_directory_is_the_instance_folder_unless_configured(tmp_path, monkeypatch):
    monkeypatch.delenv("STORAGE_DIR", raising=False)
    assert _storage_dir(tmp_path / "a") == str(tmp_path / "a")
    monkeypatch.setenv("STORAGE_DIR", str(tmp_path / "shared"))
    assert _storage_dir(tmp_path / "b") == str(tmp_path / "shared")
    monkeypatch.setenv("STORAGE_DIR", "files")  # relative: inside the instance folder
    assert _storage_dir(tmp_path / "c") == str(tmp_path / "c" / "files")


def test_a_result_a_worker_wrote_is_found_by_another_app_server(tmp_path):
    worker = make_app("sqlite://", str(tmp_path / "worker"), STORAGE_DIR=str(tmp_path / "nfs"))
    server = make_app("sqlite://", str(tmp_path / "server"), STORAGE_DIR=str(tmp_path / "nfs"))
    with worker.app_context():
        assert jobs.folder() == tmp_path / "nfs" / "jobs"
        assert attachments.upload_folder() == str(tmp_path / "nfs" / "uploads")
        name = jobs.write_result("medienpaesse-7.zip", lambda path: path.write_bytes(b"PK"))
    with server.app_context():
        found = jobs.result_path(jobs.Job(result_file=name))
    assert found == tmp_path / "nfs" / "jobs" / "medienpaesse-7.zip"
    assert found.read_bytes() == b"PK"
    assert os.listdir(tmp_path / "nfs" / "jobs") == ["medienpaesse-7.zip"]  # no temporary


def test_a_session_from_one_app_server_is_valid_on_another(database_url, tmp_path, factory):
    # Two processes (or machines) with the same SECRET_KEY and nothing else in common.
    first = make_app(database_url, str(tmp_path / "one"))
    second = make_app(database_url, str(tmp_path / "two"))
    person = factory.user(name="Sina Sitzung")
    browser = first.test_client()
    assert login(browser, person.email).status_code == 302
    elsewhere = second.test_client()
    elsewhere.set_cookie("session", browser.get_cookie("session").value)
    page = elsewhere.get("/dashboard", headers={"Accept-Language": "en"})
    assert page.status_code == 200 and "Sina Sitzung" in page.get_data(as_text=True)
    assert second.test_client().get("/dashboard").status_code == 302  # no cookie: log in


def test_a_key_rotated_by_another_process_signs_the_next_pass_here(database_url, tmp_path, db):
    key_file = str(tmp_path / "shared" / "signing-key.pem")
    server = make_app(database_url, str(tmp_path / "server"), SIGNING_KEY_FILE=key_file)
    command = make_app(database_url, str(tmp_path / "command"), SIGNING_KEY_FILE=key_file)
    with server.app_context():
        before = keys.signer().key_id
        keys.register(keys.signer())  # as issuing a pass does
        db.session.commit()
    with command.app_context():  # `flask passes rotate-key`, say
        assert keys.signer().key_id == before
        rotated = keys.rotate().key_id
    assert rotated != before
    with server.app_context():
        assert keys.signer().key_id == rotated
        published = {key["kid"]: key["status"] for key in keys.key_set()["keys"]}
    assert published == {rotated: "current", before: "retired"}


def _serve_prod(**settings):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY")
    }
    return subprocess.run(
        ["make", "-s", "serve-prod"],
        cwd=ROOT,
        env={**env, **settings},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_serve_prod_refuses_to_start_without_its_settings():
    result = _serve_prod(SECRET_KEY="s")
    assert result.returncode != 0
    assert "refuses to start, not set: DATABASE_URL REDIS_URL" in result.stderr
    result = _serve_prod(
        DATABASE_URL="sqlite:///medienpass.db", REDIS_URL="redis://127.0.0.1:1/0", SECRET_KEY="s"
    )
    assert result.returncode != 0
    assert "DATABASE_URL must be a PostgreSQL URL" in result.stderr
    assert "gunicorn" not in result.stdout + result.stderr
