"""The one exception family for bad input, and the error pages."""

import logging

from flask import flash, g, render_template, request
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from app.extensions import db, login_manager

log = logging.getLogger(__name__)


class DomainError(Exception):
    """Input a use case refuses. `where` names the culprit (a field, a line, an element)."""

    def __init__(self, message, where=None, problems=None):
        super().__init__(message)
        self.message = message
        self.where = where
        # Several problems found at once, e.g. every bad row of an import: [(where, message)].
        self.problems = problems or []

    def __str__(self):
        return f"{self.where}: {self.message}" if self.where else self.message


def register_error_pages(app):
    def render(code):
        def handler(error):
            # An error after the view (loading the user for the response headers) reaches
            # Flask's 500 handling, not `unexpected` below.
            original = getattr(error, "original_exception", None)
            if code == 500 and original is not None and database_unreachable(original):
                return unavailable(original)
            if request.accept_mimetypes.best == "application/json":
                return {"error": code}, code
            return render_template(f"errors/{code}.html"), code

        return handler

    for code in (400, 403, 404, 405, 413, 500):
        app.register_error_handler(code, render(code))

    @app.errorhandler(429)
    def too_many(error):
        return render_template("errors/429.html"), 429

    @app.errorhandler(Exception)
    def unexpected(error):
        if isinstance(error, HTTPException):
            return error
        if database_unreachable(error):
            return unavailable(error)
        log.exception("Unhandled error on %s", request.path)
        # The page itself needs the database (the logged-in user): start from a clean session.
        db.session.rollback()
        try:
            return render_template("errors/500.html"), 500
        except Exception:
            log.exception("The error page failed too")
            return "500 Internal Server Error", 500, {"Content-Type": "text/plain"}


def database_unreachable(error):
    """Whether the error says the database cannot be reached (stopped, restarting, the
    connection cut), rather than that the code went wrong."""
    return isinstance(error, OperationalError | InterfaceError) or bool(
        getattr(error, "connection_invalidated", False)
    )


def unavailable(error):
    """503 while the database is unreachable: a page that needs neither the database nor the
    logged-in user, so that it shows at once; the app reconnects when the database is back."""
    log.error("Database unreachable on %s: %s", request.path, error)
    db.session.rollback()
    # The user (and with it the language) cannot be loaded now: the page and the response
    # headers treat the request as anonymous.
    g._login_user = login_manager.anonymous_user()
    if request.accept_mimetypes.best == "application/json":
        return {"error": 503}, 503, {"Retry-After": "30"}
    return render_template("errors/503.html"), 503, {"Retry-After": "30"}


class TooManyAttemptsError(DomainError):
    """A DomainError the page answers with 429."""


def apply_to_form(form, error):
    """Show a DomainError at the field it names, or above the form when it names none."""
    field = getattr(form, error.where, None) if error.where else None
    if field is not None and hasattr(field, "errors"):
        field.errors = list(field.errors) + [error.message]
    else:
        form.form_errors = list(getattr(form, "form_errors", [])) + [error.message]


def refuse(error, form=None):
    """A use case refused the input: nothing of it stays; the form, or a flash, says why."""
    db.session.rollback()
    if form is None:
        flash(error.message, "danger")
    else:
        apply_to_form(form, error)
