"""The one exception family for bad input, and the error pages."""

import logging

from flask import flash, render_template, request
from werkzeug.exceptions import HTTPException

from app.extensions import db

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
        log.exception("Unhandled error on %s", request.path)
        # The page itself needs the database (the logged-in user): start from a clean session.
        db.session.rollback()
        try:
            return render_template("errors/500.html"), 500
        except Exception:
            log.exception("The error page failed too")
            return "500 Internal Server Error", 500, {"Content-Type": "text/plain"}


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
