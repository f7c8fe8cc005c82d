"""Which language a request speaks, and dates in the German way (22.11.2026)."""

from flask import current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

from app.messages import translated


def select_locale():
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        # Command-line tools and background jobs speak the operators' language.
        return current_app.config["CLI_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def date_filter(value):
    """22.11.2026 in German, 22 Nov 2026 in English; empty for None."""
    if value is None:
        return ""
    return format_date(value, "dd.MM.yyyy" if _german() else "d MMM yyyy")


def datetime_filter(value):
    """Naive datetimes are UTC in the database; shown in the configured time zone."""
    if value is None:
        return ""
    return format_datetime(value, "dd.MM.yyyy HH:mm" if _german() else "d MMM yyyy, HH:mm")


def _german():
    return str(get_locale()).startswith("de")


def register(app):
    app.jinja_env.filters["date"] = date_filter
    app.jinja_env.filters["datetime"] = datetime_filter
    # Messages of the pure modules (file parsers) are English until shown: `where|translated`.
    app.jinja_env.filters["translated"] = translated
