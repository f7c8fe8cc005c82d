"""Privacy pages: a person's own data export, HR's export on request, an admin's erasure of a
person, the retention periods and the record of processing activities."""

import io
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.accounts.access import roles_required
from app.errors import DomainError, refuse
from app.extensions import db
from app.privacy import erasure, export, processing, retention, rules
from app.privacy.forms import RETENTION_LABELS, ErasureForm, ExportRequestForm, RetentionForm

bp = Blueprint("privacy", __name__)

# How the erasure page names what it deletes; a table not named here shows its name.
STORED_LABELS = {
    "enrolments": _l("Enrolments (with lessons done and completions)"),
    "attempts": _l("Quiz attempts (with answers)"),
    "evidence": _l("Evidence"),
    "outbox": _l("Notifications"),
    "survey_participations": _l("Course feedback given (the record, not the answers)"),
    "assignments": _l("Courses assigned to the person"),
    "passes": _l("Medienpässe (revoked, not deleted)"),
}


def _zip_response(data, person_id):
    return send_file(
        io.BytesIO(data),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"medienpass-data-{person_id}-{date.today().isoformat()}.zip",
    )


@bp.route("/account/my-data.zip", methods=["POST"])
@login_required
def my_export():
    """Everything stored about me (Art. 15 and 20 GDPR), from my account page."""
    return _zip_response(export.export_own(current_user), current_user.id)


@bp.route("/privacy/export", methods=["GET", "POST"])
@roles_required("hr", "admin")
def export_request():
    form = ExportRequestForm()
    if form.validate_on_submit():
        try:
            person, data = export.export_on_request(current_user, form.email.data, form.reason.data)
        except DomainError as error:
            refuse(error, form)
        else:
            return _zip_response(data, person.id)
    return render_template("privacy/export_request.html", form=form)


@bp.route("/privacy/people/<int:user_id>/erase", methods=["GET", "POST"])
@roles_required("admin")
def erase(user_id):
    person = erasure.erasable(user_id)
    if person is None:
        abort(404)
    form = ErasureForm()
    if form.validate_on_submit():
        shown = person.name
        try:
            erasure.erase(current_user, person, form.confirmation.data, form.reason.data)
        except DomainError as error:
            refuse(error, form)
            person = erasure.erasable(user_id)
        else:
            flash(_("%(name)s has been erased.", name=shown), "success")
            return redirect(url_for("admin.users"))
    counts = [
        (STORED_LABELS.get(table, table), rows)
        for table, rows in sorted(erasure.summary(person).items())
        if rows
    ]
    return render_template("privacy/erase.html", form=form, person=person, counts=counts)


def retention_form():
    """The retention form with the stored periods, for the settings page."""
    return RetentionForm(data={key: str(value) for key, value in retention.current().items()})


@bp.route("/privacy/retention", methods=["GET", "POST"])
@roles_required("admin")
def retention_page():
    """The retention periods: shown on the settings page, posted here; a bad value comes back
    on a page of its own, named at its field, with nothing saved."""
    form = retention_form() if request.method == "GET" else RetentionForm()
    if form.validate_on_submit():
        try:
            retention.save(current_user, {key: form[key].data for key in RETENTION_LABELS})
        except DomainError as error:
            db.session.rollback()
            for where, message in error.problems:
                form[where].errors = list(form[where].errors) + [message]
        else:
            flash(_("The retention periods have been saved."), "success")
            return redirect(url_for("admin.settings_page", _anchor="retention"))
    return render_template("privacy/retention.html", retention_form=form, kinds=rules.BY_KEY)


@bp.route("/privacy/record")
@roles_required("admin")
def processing_record():
    """Verzeichnis von Verarbeitungstätigkeiten, from the current settings."""
    values = processing.values()
    return render_template(
        "privacy/record.html", activities=processing.activities(values), values=values
    )
