"""Logging in and out, passwords, rate limits, deactivation, redirects, CSRF."""

from sqlalchemy import select

from app.accounts.models import AuditEntry, User
from tests.conftest import PASSWORD, csrf_token, login


def _actions(db, user=None):
    query = select(AuditEntry.action).order_by(AuditEntry.id)
    if user is not None:
        query = query.where(AuditEntry.subject_id == str(user.id))
    return db.session.scalars(query).all()


def test_each_role_lands_on_its_start_page(app, users):
    starts = {"learner": "/dashboard", "trainer": "/trainer/", "hr": "/hr/", "admin": "/admin/"}
    for role, path in starts.items():
        response = login(app.test_client(), users[role].email)
        assert response.headers["Location"] == path, role


def test_person_with_several_roles_lands_on_the_most_powerful_start(client, factory):
    user = factory.user(roles=("learner", "trainer", "hr"))
    assert login(client, user.email).headers["Location"] == "/hr/"


def test_email_is_case_insensitive(client, users):
    assert login(client, users["learner"].email.upper()).status_code == 302


def test_wrong_password_is_refused_and_audited(client, db, users):
    response = login(client, users["learner"].email, "falsch-falsch")
    assert response.status_code == 200
    assert "password is wrong" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302
    assert "auth.login_failed" in _actions(db, users["learner"])


def test_login_is_audited(client, db, users):
    login(client, users["learner"].email)
    assert _actions(db, users["learner"])[-1] == "auth.login"
    assert db.session.get(User, users["learner"].id).last_login_at is not None


def test_password_hashes_are_not_plain(db, users):
    stored = db.session.get(User, users["learner"].id).password_hash
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_login_without_csrf_token_is_rejected(client, users):
    client.get("/login")
    response = client.post("/login", data={"email": users["learner"].email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/dashboard").status_code == 302


def test_logout_without_csrf_token_is_rejected(client_as):
    client = client_as("learner")
    assert client.post("/logout").status_code == 400
    assert client.get("/dashboard").status_code == 200


def test_too_many_failures_lock_the_account_even_with_the_right_password(app, users):
    email = users["learner"].email
    for number in range(10):
        client = app.test_client()
        # Another address each time: the per-account limit is what must hold.
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{number}"
        assert login(client, email, "falsch-falsch").status_code == 200
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.1.1"
    response = login(client, email, PASSWORD)
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302


def test_too_many_failures_from_one_address_block_that_address(app, factory):
    assert app.config["LOGIN_ADDRESS_FAILURE_LIMIT"] == "50 per 15 minutes"
    person = factory.user()
    client = app.test_client()
    for number in range(50):
        login(client, f"guess{number}@firma.example", "falsch-falsch")
    blocked = login(client, person.email, PASSWORD)
    assert blocked.status_code == 429
    other_address = app.test_client()
    other_address.environ_base["REMOTE_ADDR"] = "10.9.9.9"
    assert login(other_address, person.email).status_code == 302


def test_an_office_behind_one_address_can_log_in(app, factory):
    people = [factory.user() for _ in range(30)]
    for person in people:
        assert login(app.test_client(), person.email).status_code == 302


def test_failed_login_of_an_unknown_address_keeps_no_typed_text(client, db):
    login(client, "Mein-Geheimes-Passwort@firma.example", "x")
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "auth.login_failed"
    assert "Geheimes" not in str(entry.details) + entry.subject_label + entry.actor_label


def test_nine_failures_do_not_block(app, users):
    client = app.test_client()
    for _ in range(9):
        login(client, users["learner"].email, "falsch-falsch")
    assert login(client, users["learner"].email).status_code == 302


def test_deactivated_user_cannot_log_in(client, db, factory):
    user = factory.user()
    user.active = False
    db.session.commit()
    response = login(client, user.email)
    assert response.status_code == 200
    assert "deactivated" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302


def test_deactivation_ends_a_running_session(app, db, client_as, users):
    learner_client = client_as("learner")
    admin_client = client_as("admin")
    response = admin_client.post(
        f"/admin/users/{users['learner'].id}/active",
        data={"active": "0", "csrf_token": csrf_token(admin_client)},
    )
    assert response.status_code == 302
    assert learner_client.get("/dashboard").status_code == 302


def test_open_redirects_land_on_the_start_page(app, users):
    for target in (
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
    ):
        client = app.test_client()
        client.get(f"/login?next={target}")
        response = client.post(
            "/login",
            data={
                "email": users["learner"].email,
                "password": PASSWORD,
                "next": target,
                "csrf_token": csrf_token(client),
            },
        )
        assert response.headers["Location"] == "/dashboard", target


def test_next_within_the_site_is_followed(client, users):
    client.get("/login")
    response = client.post(
        "/login",
        data={
            "email": users["learner"].email,
            "password": PASSWORD,
            "next": "/account",
            "csrf_token": csrf_token(client),
        },
    )
    assert response.headers["Location"] == "/account"


def test_protected_page_sends_anonymous_to_login_with_next(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_logout_ends_the_session(client_as, db, users):
    client = client_as("learner")
    response = client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert response.headers["Location"] == "/login"
    assert client.get("/dashboard").status_code == 302
    assert "auth.logout" in _actions(db, users["learner"])


def _change(client, current, new, confirm=None):
    return client.post(
        "/account",
        data={
            "current_password": current,
            "new_password": new,
            "confirm_password": confirm or new,
            "csrf_token": csrf_token(client),
        },
    )


def test_password_change_needs_the_current_password(client_as):
    client = client_as("learner")
    response = _change(client, "falsch-falsch", "Neues-Passwort-42")
    assert "current password is wrong" in response.get_data(as_text=True)


def test_password_change_refuses_short_and_mismatched_passwords(client_as):
    client = client_as("learner")
    assert "at least 10" in _change(client, PASSWORD, "kurz").get_data(as_text=True)
    mismatch = _change(client, PASSWORD, "Neues-Passwort-42", "Anderes-Passwort-42")
    assert "differ" in mismatch.get_data(as_text=True)


def test_password_change_works_and_ends_other_sessions(app, client_as, users):
    client = client_as("learner")
    other_device = client_as("learner")
    response = _change(client, PASSWORD, "Neues-Passwort-42")
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200
    assert other_device.get("/dashboard").status_code == 302
    assert login(app.test_client(), users["learner"].email, PASSWORD).status_code == 200
    assert login(app.test_client(), users["learner"].email, "Neues-Passwort-42").status_code == 302


def test_account_without_password_cannot_log_in(client, factory):
    user = factory.user(password=None)
    assert login(client, user.email, "").status_code == 200
    assert login(client, user.email, "irgendein-passwort").status_code == 200
    assert client.get("/dashboard").status_code == 302
