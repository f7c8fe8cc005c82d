"""The app as a whole: configuration, health, security headers, cookies, languages, errors."""

import pytest

from app import create_app
from app.accounts.models import User
from tests.conftest import csrf_token, login, make_app


def test_production_refuses_to_start_without_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(
            {"MEDIENPASS_ENV": "production", "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": None}
        )


def test_development_generates_a_secret_key_once(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": None})
    second = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": None})
    assert len(first.secret_key) == 64
    assert first.secret_key == second.secret_key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_environment_overrides_instance_config(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text(
        'COMPANY_NAME = "Aus Datei"\nBASE_URL = "https://x.example"\n'
    )
    monkeypatch.setenv("COMPANY_NAME", "Aus Umgebung")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k"})
    assert app.config["COMPANY_NAME"] == "Aus Umgebung"
    assert app.config["BASE_URL"] == "https://x.example"
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_plain_postgresql_urls_use_psycopg(tmp_path):
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "k",
            "DATABASE_URL": "postgresql://postgres@127.0.0.1/x",
        }
    )
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")


def test_healthz_answers_200_with_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_without_the_database(tmp_path):
    app = make_app("postgresql://postgres@127.0.0.1:1/none", str(tmp_path))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


def test_security_headers_on_every_page(client):
    for path in ("/login", "/healthz", "/no-such-page"):
        headers = client.get(path).headers
        policy = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_pages_carry_no_inline_script_or_style(client_as):
    client = client_as("admin")
    for path in ("/admin/", "/admin/users", "/admin/audit", "/account"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>" not in page and "style=" not in page and "onclick" not in page, path


def test_session_cookie_is_httponly_and_lax(client, users):
    response = login(client, users["learner"].email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_behind_https(tmp_path, database_url, factory):
    app = make_app(database_url, str(tmp_path), BASE_URL="https://medienpass.firma.example")
    person = factory.user()
    response = login(app.test_client(), person.email)
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_logged_in_pages_are_not_cached(client_as):
    assert client_as("learner").get("/dashboard").headers["Cache-Control"] == "no-store"


def test_login_starts_a_new_session(app, users):
    client = app.test_client()
    client.get("/login")
    with client.session_transaction() as sess:
        sess["left_over"] = "from before"
    login(client, users["learner"].email)
    with client.session_transaction() as sess:
        assert "left_over" not in sess


def test_behind_a_trusted_proxy_the_client_address_is_used(tmp_path, database_url, factory):
    app = make_app(database_url, str(tmp_path), PROXY_FIX=1)
    person = factory.user()
    client = app.test_client()
    client.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.7"
    login(client, person.email)
    from app.accounts.models import AuditEntry
    from app.extensions import db

    entry = db.session.query(AuditEntry).filter_by(action="auth.login").one()
    assert entry.ip_address == "203.0.113.7"


def test_german_is_the_default_language(app, db):
    client = app.test_client()
    client.environ_base.pop("HTTP_ACCEPT_LANGUAGE")
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="de">' in page and "Anmelden" in page


def test_anonymous_visitors_get_their_accept_language(app, db):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-US,en;q=0.9"
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de-DE,de;q=0.9,en;q=0.5"
    assert '<html lang="de">' in client.get("/login").get_data(as_text=True)


def test_language_choice_is_stored_on_the_user(app, db, client_as, users):
    client = client_as("learner")
    response = client.post(
        "/language", data={"locale": "de", "next": "/account", "csrf_token": csrf_token(client)}
    )
    assert response.headers["Location"] == "/account"
    assert db.session.get(User, users["learner"].id).locale == "de"
    # Another device with an English browser still gets German after logging in.
    other = app.test_client()
    login(other, users["learner"].email)
    assert '<html lang="de">' in other.get("/dashboard").get_data(as_text=True)


def test_language_switch_ignores_unknown_languages_and_foreign_targets(client_as, db, users):
    client = client_as("learner")
    response = client.post(
        "/language",
        data={"locale": "xx", "next": "https://evil.example", "csrf_token": csrf_token(client)},
    )
    assert response.headers["Location"] == "/"
    assert db.session.get(User, users["learner"].id).locale is None


def test_error_pages_are_localised(app, db, client_as):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
    german = client.get("/no-such-page")
    assert german.status_code == 404 and "Seite nicht gefunden" in german.get_data(as_text=True)
    english = client_as("learner").get("/admin/users")
    assert english.status_code == 403 and "Access denied" in english.get_data(as_text=True)


def test_unexpected_errors_show_the_500_page(database_url, tmp_path):
    app = make_app(database_url, str(tmp_path))

    @app.route("/boom")
    def boom():
        raise ValueError("internal-detail-42")

    response = app.test_client().get("/boom", headers={"Accept-Language": "en"})
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    assert "internal-detail-42" not in response.get_data(as_text=True)


def test_dates_are_german_in_german(app, db, factory):
    from datetime import date, datetime

    from app.i18n import date_filter, datetime_filter

    with app.app_context(), app.test_request_context(headers={"Accept-Language": "de"}):
        assert date_filter(date(2026, 11, 22)) == "22.11.2026"
        assert datetime_filter(datetime(2026, 11, 22, 13, 5)) == "22.11.2026 14:05"
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "en"}):
        assert date_filter(date(2026, 11, 22)) == "22 Nov 2026"


def test_navigation_shows_only_what_the_roles_may_use(client_as):
    learner = client_as("learner").get("/dashboard").get_data(as_text=True)
    assert "/admin/users" not in learner and "/hr/users/import" not in learner
    admin = client_as("admin").get("/admin/").get_data(as_text=True)
    assert "/admin/users" in admin and "/admin/audit" in admin and "/dashboard" not in admin
    hr = client_as("hr").get("/hr/").get_data(as_text=True)
    assert "/hr/users/import" in hr and "/admin/users" not in hr


def test_a_form_without_csrf_token_gets_a_localised_explanation(app, db):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
    response = client.post("/login", data={"email": "a@b.example", "password": "x"})
    assert response.status_code == 400
    assert "Formular" in response.get_data(as_text=True)


def test_healthz_reports_redis_when_configured(tmp_path, database_url):
    up = make_app(database_url, str(tmp_path / "a"), REDIS_URL="redis://127.0.0.1:6379/0")
    assert up.test_client().get("/healthz").get_json()["redis"] == "ok"
    down = make_app(database_url, str(tmp_path / "b"), REDIS_URL="redis://127.0.0.1:1/0")
    response = down.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["redis"] == "unreachable"
