"""HR onboarding by CSV: on the page, through `flask accounts import-users`, and as a process."""

import io
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.accounts.models import AuditEntry, Department, JobRole, User
from tests.conftest import csrf_token
from tests.processes import flask_commands

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"


def _organisation(db):
    for name in ("Vertrieb", "Personal", "IT-Support"):
        db.session.add(Department(name=name))
    for name in ("Sachbearbeitung", "Führungskraft", "IT-Support"):
        db.session.add(JobRole(name=name, description=""))
    db.session.commit()


def _upload(client, path):
    data = {
        "file": (io.BytesIO(path.read_bytes()), path.name),
        "csrf_token": csrf_token(client),
    }
    return client.post("/hr/users/import", data=data, content_type="multipart/form-data")


def _user_count(db):
    return db.session.scalar(select(func.count()).select_from(User))


def test_hr_imports_a_good_file_and_a_second_upload_changes_nothing(db, client_as):
    _organisation(db)
    hr = client_as("hr")
    before = _user_count(db)
    page = _upload(hr, DATA / "users_good.csv").get_data(as_text=True)
    assert "3 created, 0 updated, 0 unchanged" in page
    assert _user_count(db) == before + 3
    tim = db.session.scalar(select(User).where(User.email == "tim.wolf@firma.example"))
    assert tim.roles == {"learner", "hr"}
    assert (tim.department.name, tim.job_role.name) == ("Personal", "Führungskraft")
    assert tim.password_hash is None

    again = _upload(hr, DATA / "users_good.csv").get_data(as_text=True)
    assert "0 created, 0 updated, 3 unchanged" in again
    assert _user_count(db) == before + 3


def test_file_with_three_bad_rows_reports_all_and_writes_nothing(db, client_as):
    _organisation(db)
    hr = client_as("hr")
    before_users = _user_count(db)
    before_audit = db.session.scalar(select(func.count()).select_from(AuditEntry))
    response = _upload(hr, DATA / "users_three_bad_rows.csv")
    page = response.get_data(as_text=True)
    assert "The file has 3 problems; nothing was imported." in page
    for line, text in ((3, "kein-at-zeichen"), (5, "Vertreib"), (8, "chef")):
        assert f"<td>{line}</td><td>" in page and text in page
    assert _user_count(db) == before_users
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == before_audit


def test_reimport_updates_what_changed(db, client_as, tmp_path):
    _organisation(db)
    hr = client_as("hr")
    _upload(hr, DATA / "users_good.csv")
    changed = tmp_path / "changed.csv"
    changed.write_text(
        (DATA / "users_good.csv").read_text().replace("Tim Wolf,Personal", "Tim Wolf,Vertrieb")
    )
    page = _upload(hr, changed).get_data(as_text=True)
    assert "0 created, 1 updated, 2 unchanged" in page
    tim = db.session.scalar(select(User).where(User.email == "tim.wolf@firma.example"))
    assert tim.department.name == "Vertrieb"


def test_hr_may_not_make_administrators_but_an_admin_may(db, client_as, tmp_path):
    _organisation(db)
    path = tmp_path / "admins.csv"
    path.write_text(
        "email,name,department,job_role,roles\n"
        "neu.admin@firma.example,Neu Admin,Personal,Führungskraft,admin\n"
    )
    refused = _upload(client_as("hr"), path).get_data(as_text=True)
    assert "You may not grant the role &#39;admin&#39;." in refused
    assert "1 created" in _upload(client_as("admin"), path).get_data(as_text=True)


def test_upload_of_a_non_csv_file_is_refused(db, client_as, tmp_path):
    path = tmp_path / "users.xlsx"
    path.write_bytes(b"PK\x03\x04 not a csv")
    page = _upload(client_as("hr"), path).get_data(as_text=True)
    assert "Please upload a CSV file." in page


def test_cli_import_reports_counts_and_problems(app, db, tmp_path):
    _organisation(db)
    runner = app.test_cli_runner()
    good = runner.invoke(args=["accounts", "import-users", str(DATA / "users_good.csv")])
    assert good.exit_code == 0, good.output
    assert json.loads(good.stdout) == {"created": 3, "updated": 0, "unchanged": 0}
    bad = runner.invoke(args=["accounts", "import-users", str(DATA / "users_three_bad_rows.csv")])
    assert bad.exit_code == 1
    assert "users_three_bad_rows.csv:3:" in bad.stderr
    assert "users_three_bad_rows.csv:8:" in bad.stderr


def test_import_users_command_as_a_process(tmp_path):
    with flask_commands("cli", tmp_path) as flask:
        assert flask("db", "upgrade").returncode == 0
        seeded = flask("seed", "demo")
        assert seeded.returncode == 0 and "admin@muster-gmbh.example" in seeded.stdout
        first = flask("accounts", "import-users", str(DATA / "users_good.csv"))
        assert first.returncode == 0, first.stderr
        assert json.loads(first.stdout) == {"created": 3, "updated": 0, "unchanged": 0}
        second = flask("accounts", "import-users", str(DATA / "users_good.csv"))
        assert json.loads(second.stdout) == {"created": 0, "updated": 0, "unchanged": 3}
        bad = flask("accounts", "import-users", str(DATA / "users_three_bad_rows.csv"))
        assert bad.returncode == 1 and bad.stdout == ""
        assert [line for line in bad.stderr.splitlines() if ".csv:" in line][1:] == [
            f"{DATA / 'users_three_bad_rows.csv'}:3: 'kein-at-zeichen' is not a valid e-mail "
            "address.",
            f"{DATA / 'users_three_bad_rows.csv'}:5: Unknown department 'Vertreib'.",
            f"{DATA / 'users_three_bad_rows.csv'}:8: Unknown role 'chef'; known roles: learner, "
            "trainer, hr, admin.",
        ]
        again = flask("seed", "demo")
        assert "already holds users" in again.stdout


def _csv(tmp_path, *lines):
    path = tmp_path / "people.csv"
    path.write_text("email,name,department,job_role,roles\n" + "\n".join(lines) + "\n")
    return path


def test_hr_cannot_take_the_admin_role_away(db, client_as, factory, tmp_path):
    _organisation(db)
    boss = factory.user(roles=("admin", "learner"), email="boss@firma.example")
    factory.user(roles=("admin",))  # not the last admin: the rule must hold anyway
    hr = client_as("hr")
    _upload(hr, _csv(tmp_path, "boss@firma.example,Boss,Vertrieb,Sachbearbeitung,learner"))
    assert db.session.get(User, boss.id).roles == {"admin", "learner"}


def test_hr_may_list_an_existing_admin_with_the_role_held(db, client_as, factory, tmp_path):
    _organisation(db)
    factory.user(roles=("admin", "learner"), email="boss@firma.example")
    path = _csv(tmp_path, "boss@firma.example,Boss Neu,Vertrieb,Sachbearbeitung,admin learner")
    page = _upload(client_as("hr"), path).get_data(as_text=True)
    assert "0 created, 1 updated" in page


def test_removing_the_last_admin_is_reported_with_its_line_before_anything_is_written(
    db, client_as, users, tmp_path
):
    _organisation(db)
    admin = users["admin"]
    path = _csv(
        tmp_path,
        "neu@firma.example,Neu,Vertrieb,Sachbearbeitung,learner",
        f"{admin.email},{admin.name},Vertrieb,Sachbearbeitung,learner",
    )
    before = _user_count(db)
    page = _upload(client_as("admin"), path).get_data(as_text=True)
    assert "<td>3</td><td>" in page and "last active administrator" in page
    assert _user_count(db) == before
    assert db.session.get(User, admin.id).roles == {"admin"}


def test_a_constraint_hit_by_a_parallel_change_becomes_a_clear_message(db, factory):
    from app.accounts import services
    from app.errors import DomainError

    person = factory.user()
    db.session.add(User(email=person.email, name="Doppelt"))
    with pytest.raises(DomainError, match="same moment"):
        services.commit()
    assert db.session.get(User, person.id) is not None
