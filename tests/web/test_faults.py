"""Faults with real processes: PostgreSQL stopping and starting under a running
`make serve-prod` (gunicorn with two workers), and a full disk where the app writes its files.
A worker killed in the middle of a job is tested in tests/web/test_job_backends.py."""

import errno
import glob
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import select

from app import jobs
from app.accounts.auth import hash_password
from app.accounts.models import Department, JobRole, User, UserRole
from app.courses.models import Attachment
from app.extensions import db as _db
from tests.conftest import PASSWORD, csrf_token, make_app
from tests.processes import ROOT
from tests.web.test_passes import holder, kmk  # noqa: F401  (fixtures)

REDIS_URL = "redis://127.0.0.1:6379/10"
# Ports of the private PostgreSQL and of gunicorn: a range of their own, each checked free.
PORTS = range(5101, 5120)


def _postgres_bindir():
    """The folder of initdb and pg_ctl (Debian keeps them out of PATH), or None."""
    try:
        reported = subprocess.run(
            ["pg_config", "--bindir"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except FileNotFoundError:
        reported = ""
    for folder in [reported, *sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]:
        if folder and all(os.access(Path(folder, tool), os.X_OK) for tool in ("initdb", "pg_ctl")):
            return Path(folder)
    return None


POSTGRES_BIN = _postgres_bindir()


def _free_port():
    for port in secrets.SystemRandom().sample(list(PORTS), len(PORTS)):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS}")


class PrivatePostgres:
    """A PostgreSQL cluster of this test alone, so that stopping it disturbs no other run.
    PostgreSQL refuses to run as root: as root, its commands run as the postgres user."""

    def __init__(self, folder, port):
        self.folder, self.port = Path(folder), port
        self.data = self.folder / "data"
        self.url = f"postgresql://postgres@127.0.0.1:{port}/medienpass"

    def _run(self, tool, *args):
        command = [str(POSTGRES_BIN / tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        assert result.returncode == 0, f"{tool}: {result.stdout}{result.stderr}"

    def init(self):
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def start(self):
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} "
            "-c fsync=off -c full_page_writes=off"
        )
        log = str(self.folder / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "start")

    def stop(self, mode="fast"):
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")


@pytest.fixture(scope="module")
def cluster():
    if POSTGRES_BIN is None:
        pytest.skip("the PostgreSQL server programs (initdb, pg_ctl) are not installed")
    folder = tempfile.mkdtemp(prefix="medienpass-pg-")
    server = PrivatePostgres(folder, _free_port())
    try:
        server.init()
        server.start()
        with psycopg.connect(
            f"host=127.0.0.1 port={server.port} user=postgres dbname=postgres", autocommit=True
        ) as connection:
            connection.execute("CREATE DATABASE medienpass")
        yield server
    finally:
        try:
            server.stop("immediate")
        except AssertionError:
            pass  # not running
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def server(cluster):
    """`make serve-prod` on the private cluster: migrations, then gunicorn with two workers.
    Yields its address; the learner learner@firma.example exists."""
    instance = tempfile.mkdtemp(prefix="medienpass-prod-")
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": cluster.url,
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": secrets.token_hex(16),
        "MEDIENPASS_INSTANCE": instance,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "2",
        "BASE_URL": f"http://127.0.0.1:{port}",
    }
    log = open(Path(instance) / "serve-prod.log", "w+")  # noqa: SIM115  (closed below)
    process = subprocess.Popen(
        ["make", "-s", "serve-prod"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # make, its shell and gunicorn stop together
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while _status(base + "/healthz") != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"make serve-prod did not come up:\n{log.read()}")
            time.sleep(0.2)
        _add_learner(cluster.url, instance)
        yield base
    finally:
        if process.poll() is None:
            # A throw-away server: gunicorn's master lingers for seconds on a graceful stop.
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
        shutil.rmtree(instance, ignore_errors=True)


def _add_learner(url, instance):
    app = make_app(url, instance)
    with app.app_context():
        _db.session.add(
            User(
                email="learner@firma.example",
                name="Lea Lernend",
                password_hash=hash_password(PASSWORD),
                department=Department(name="Vertrieb"),
                job_role=JobRole(name="Sachbearbeitung", description=""),
                role_rows=[UserRole(role="learner")],
            )
        )
        _db.session.commit()
        _db.session.remove()
        _db.engine.dispose()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A person's browser in English: cookies kept, redirects not followed."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirects()
        )

    def request(self, path, data=None):
        """(status, body, seconds taken)."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(  # noqa: S310  (http:// of the test's own server)
            self.base + path, data=body, headers={"Accept-Language": "en"}
        )
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=20) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode()
        return status, text, time.monotonic() - started

    def log_in(self, email):
        _, page, _ = self.request("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        status, _, _ = self.request(
            "/login", {"email": email, "password": PASSWORD, "csrf_token": token}
        )
        assert status == 302


def _status(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310  (the same)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


@pytest.mark.own_postgres
def test_postgresql_stopping_gives_503_and_the_app_recovers_without_restart(cluster, server):
    browser = Browser(server)
    browser.log_in("learner@firma.example")
    status, body, _ = browser.request("/healthz")
    assert status == 200
    assert json.loads(body) == {"status": "ok", "database": "ok", "redis": "ok"}
    status, page, _ = browser.request("/dashboard")
    assert status == 200 and "Lea Lernend" in page

    # People keep clicking while the database goes away and comes back: every request is
    # answered, with the page or a 503, never with a 500 and never after a long wait.
    answers, stop = [], threading.Event()

    def click():
        while not stop.is_set():
            answers.append(browser.request("/dashboard")[::2])

    clickers = [threading.Thread(target=click) for _ in range(2)]
    for clicker in clickers:
        clicker.start()
    try:
        cluster.stop("fast")
        status, body, seconds = browser.request("/healthz")
        assert status == 503 and seconds < 5
        assert json.loads(body) == {
            "status": "unavailable",
            "database": "unreachable",
            "redis": "ok",
        }
        status, page, seconds = browser.request("/dashboard")
        assert status == 503 and seconds < 5
        assert "The database cannot be reached at the moment" in page

        cluster.start()
        # The same server processes, the same session cookie: the first requests succeed.
        status, body, _ = browser.request("/healthz")
        assert status == 200, body
        assert json.loads(body)["database"] == "ok"
        for _ in range(4):  # reaching both gunicorn workers, most likely
            status, page, _ = browser.request("/dashboard")
            assert status == 200 and "Lea Lernend" in page
    finally:
        stop.set()
        for clicker in clickers:
            clicker.join(timeout=30)
    assert answers
    assert {status for status, _ in answers} <= {200, 503}, answers
    assert max(seconds for _, seconds in answers) < 10


# ---- a full disk where the app writes its files


@pytest.fixture(scope="module")
def small_disk():
    """A 64 KB file system (tmpfs), so that the disk can be filled in a moment."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    folder = tempfile.mkdtemp(prefix="medienpass-disk-")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", folder], check=True)
    try:
        yield Path(folder)
    finally:
        subprocess.run(["umount", folder], check=True)
        os.rmdir(folder)


@pytest.fixture()
def storage(app, small_disk, monkeypatch):
    """The small file system as the app's storage directory, emptied afterwards."""
    monkeypatch.setitem(app.config, "STORAGE_DIR", str(small_disk))
    for name in ("jobs", "uploads"):
        (small_disk / name).mkdir()
    yield small_disk
    for entry in small_disk.iterdir():
        shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def _fill(disk, leave):
    """Fill the disk up to `leave` bytes (a multiple of 4096); returns the filler file."""
    filler = disk / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    try:
        while True:
            os.write(descriptor, b"\0" * 4096)
    except OSError as error:
        assert error.errno == errno.ENOSPC
    finally:
        os.close(descriptor)
    os.truncate(filler, filler.stat().st_size - leave)
    return filler


def _free(disk):
    status = os.statvfs(disk)
    return status.f_bavail * status.f_frsize


def test_a_bulk_zip_on_a_full_disk_fails_clearly_and_leaves_nothing(
    db,
    kmk,  # noqa: F811
    holder,  # noqa: F811
    factory,
    client_as,
    storage,
):
    for number in range(3):
        factory.user(name=f"Kollegin {number}", department=holder.department)
    _fill(storage, leave=8192)  # room to begin the ZIP, not to finish it
    free = _free(storage)
    hr = client_as("hr")
    response = hr.post(
        "/passes/bulk",
        data={"group": f"department:{holder.department.name}", "csrf_token": csrf_token(hr)},
    )
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    status = hr.get(f"/passes/jobs/{job_id}.json").get_json()
    assert status["state"] == "failed"
    assert status["error"].startswith("The storage directory is full")
    assert "download" not in status
    page = hr.get(f"/passes/jobs/{job_id}").get_data(as_text=True)
    assert "The storage directory is full: the result file could not be written." in page
    german = hr.get(f"/passes/jobs/{job_id}", headers={"Accept-Language": "de"})
    assert "Das Speicherverzeichnis ist voll" in german.get_data(as_text=True)
    # Nothing half-written: no file, not even a temporary one, and no row naming one.
    assert os.listdir(storage / "jobs") == []
    assert _free(storage) == free
    assert db.session.get(jobs.Job, job_id).result_file is None
    assert hr.get(f"/passes/jobs/{job_id}/download").status_code == 404


def _upload(client, lesson, name, data):
    import io

    return client.post(
        f"/courses/lessons/{lesson.id}/attachments",
        data={"file": (io.BytesIO(data), name), "csrf_token": csrf_token(client)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def test_an_upload_on_a_full_disk_is_refused_and_leaves_nothing(
    db,
    kmk,  # noqa: F811
    factory,
    client_as,
    storage,
):
    from tests.web.test_courses import code

    course = factory.course([(code(db, kmk, "2.4"), 1)], publish=False)
    lesson = course.modules[0].lessons[0]
    trainer = client_as("trainer")
    filler = _fill(storage, leave=8192)
    free = _free(storage)
    handout = b"%PDF-1.4 " + b"Merkblatt " * 4000  # 40 KB: more than is left
    page = _upload(trainer, lesson, "merkblatt.pdf", handout).get_data(as_text=True)
    assert "The file could not be stored: the storage is full. Nothing was saved." in page
    assert os.listdir(storage / "uploads") == []
    assert _free(storage) == free
    assert (
        db.session.scalars(select(Attachment).where(Attachment.lesson_id == lesson.id)).all() == []
    )

    filler.unlink()  # room again: the same upload is stored
    page = _upload(trainer, lesson, "merkblatt.pdf", handout).get_data(as_text=True)
    assert "merkblatt.pdf has been attached." in page
    stored = db.session.scalars(select(Attachment).where(Attachment.lesson_id == lesson.id)).one()
    assert (storage / "uploads" / stored.stored_name).read_bytes() == handout


def test_a_result_written_removes_what_a_killed_writer_left_behind(tmp_path):
    """A worker killed while writing a ZIP leaves its temporary file; the retry that writes
    the result removes it, but not the file of a writer still at work."""
    app = make_app("sqlite://", str(tmp_path / "instance"), STORAGE_DIR=str(tmp_path / "shared"))
    with app.app_context():
        folder = jobs.folder()
        long_ago = time.time() - 2 * jobs.PART_TIMEOUT
        abandoned = folder / ".medienpaesse-9.zip.4242.1.part"
        other_result = folder / ".medienpaesse-19.zip.4242.1.part"
        for path in (abandoned, other_result):
            path.write_bytes(b"PK half")
            os.utime(path, (long_ago, long_ago))
        in_progress = folder / ".medienpaesse-9.zip.4343.1.part"  # on another machine, now
        in_progress.write_bytes(b"PK")
        jobs.write_result("medienpaesse-9.zip", lambda path: path.write_bytes(b"PK whole"))
    assert sorted(os.listdir(folder)) == sorted(
        [in_progress.name, other_result.name, "medienpaesse-9.zip"]
    )
    assert (folder / "medienpaesse-9.zip").read_bytes() == b"PK whole"
