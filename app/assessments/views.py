"""Trainer pages of question banks: list, a bank's questions, GIFT upload and download."""

from collections import Counter

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import payloads
from app.accounts.access import roles_required
from app.assessments import services
from app.assessments.forms import GiftConfirmForm, GiftUploadForm
from app.errors import DomainError
from app.extensions import db

bp = Blueprint("assessments", __name__, url_prefix="/questions")

EDITORS = ("trainer", "admin")


@bp.route("/")
@roles_required(*EDITORS)
def banks():
    rows = services.banks_with_counts()
    return render_template("assessments/banks.html", rows=rows)


def _bank_or_404(bank_id):
    bank = services.get_bank(bank_id)
    if bank is None:
        abort(404)
    return bank


@bp.route("/<int:bank_id>")
@roles_required(*EDITORS)
def bank(bank_id):
    bank = _bank_or_404(bank_id)
    questions = services.bank_questions(bank)
    return render_template(
        "assessments/bank.html",
        bank=bank,
        questions=questions,
        counts=Counter(question.kind for question in questions),
    )


@bp.route("/<int:bank_id>/export.gift")
@roles_required(*EDITORS)
def export(bank_id):
    bank = _bank_or_404(bank_id)
    return Response(
        services.export_gift(bank),
        mimetype="text/plain; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="bank-{bank.id}.gift"'},
    )


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*EDITORS)
def import_gift():
    """Upload, a preview with counts by type and every problem, then confirm."""
    upload, confirm = GiftUploadForm(), GiftConfirmForm()
    preview, problems = None, []
    if "payload" in request.form:
        if confirm.validate_on_submit():
            try:
                bank, by_type, _skipped = services.import_gift(
                    current_user, confirm.bank.data, payloads.decode(confirm.payload.data)
                )
            except DomainError as error:
                db.session.rollback()
                problems = error.problems or [("", error.message)]
            else:
                flash(
                    _(
                        "%(n)d questions imported into %(bank)s.",
                        n=sum(by_type.values()),
                        bank=bank.name,
                    ),
                    "success",
                )
                return redirect(url_for("assessments.bank", bank_id=bank.id))
    elif upload.validate_on_submit():
        data = upload.file.data.read()
        try:
            parsed = services.parse_gift(data)
        except DomainError as error:
            problems = error.problems
        else:
            preview = {
                "questions": parsed.questions,
                "skipped": parsed.skipped,
                "counts": Counter(question.kind for question in parsed.questions),
            }
            confirm.bank.data = upload.bank.data
            confirm.payload.data = payloads.encode(data)
    return render_template(
        "assessments/import.html",
        upload=upload,
        confirm=confirm,
        preview=preview,
        problems=problems,
    )


def kind_labels():
    return {
        "single_choice": _("Single choice"),
        "multiple_choice": _("Multiple choice"),
        "true_false": _("True/false"),
        "numeric": _("Numeric"),
        "short_text": _("Short text"),
        "matching": _("Matching"),
        "essay": _("Essay"),
    }


@bp.app_context_processor
def inject_kind_labels():
    return {"question_kind_labels": kind_labels()} if request.blueprint == "assessments" else {}
