"""Trainer pages that write and delete the questions of a bank, one form for every type.
Routes of the assessments blueprint."""

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from app.accounts.access import roles_required
from app.assessments import editing, services
from app.assessments.models import QUESTION_KINDS, Question
from app.assessments.views import EDITORS, bp
from app.errors import DomainError
from app.extensions import db
from app.frameworks import profiles

EMPTY_ROWS = 3  # empty answer rows under the filled ones, for adding answers
MIN_ROWS = 4
_ROW_KEY = re.compile(r"answers-(\d+)-")


def _question_or_404(question_id):
    question = db.session.get(Question, question_id)
    if question is None:
        abort(404)
    return question


def _shown(number):
    """A stored number as a person would type it: 5 rather than 5.0, blank for None."""
    if number is None:
        return ""
    return str(int(number)) if float(number).is_integer() else str(number)


def _data_of(question):
    """The form's values for a stored question (strings, as the form posts them)."""
    return {
        "kind": question.kind,
        "category": question.category.path,
        "title": question.title,
        "text": question.text,
        "general_feedback": question.general_feedback,
        "answers": [
            {
                "text": answer.get("text", ""),
                "match": answer.get("match", ""),
                "feedback": answer.get("feedback", ""),
                "weight": _shown(answer.get("weight")),
                "value": "*" if answer.get("text") == "*" else _shown(answer.get("value")),
                "tolerance": _shown(answer.get("tolerance"))
                if answer.get("value") is not None
                else "",
                "low": _shown(answer.get("low")),
                "high": _shown(answer.get("high")),
            }
            for answer in question.answers
        ],
        "correct": question.correct,
        "feedback_true": question.feedback_true,
        "feedback_false": question.feedback_false,
        "competence_ids": [row.competence_id for row in question.competences],
    }


def _data_from(form, kind):
    """The posted form as the data editing.save_question takes."""
    indexes = sorted({int(m.group(1)) for key in form if (m := _ROW_KEY.match(key))})
    return {
        "kind": kind,
        "category": form.get("category", ""),
        "title": form.get("title", ""),
        "text": form.get("text", ""),
        "general_feedback": form.get("general_feedback", ""),
        "answers": [
            {name: form.get(f"answers-{i}-{name}", "") for name in editing.ROW_FIELDS}
            for i in indexes[:100]
        ],
        "correct": {"true": True, "false": False}.get(form.get("correct")),
        "feedback_true": form.get("feedback_true", ""),
        "feedback_false": form.get("feedback_false", ""),
        "competence_ids": [int(v) for v in form.getlist("competences") if v.isdigit()],
    }


def _form(bank, question, data, problems=()):
    framework = profiles.default_framework()
    rows = list(data["answers"])
    rows += [{}] * max(EMPTY_ROWS, MIN_ROWS - len(rows))
    return render_template(
        "assessments/question_form.html",
        bank=bank,
        question=question,
        data=data,
        rows=rows,
        problems=problems,
        invalid={where for where, _message in problems},
        categories=sorted(c.path for c in bank.categories),
        competences=profiles.requirement_matrix(framework).competences if framework else [],
    )


def _save(bank, question, kind):
    data = _data_from(request.form, kind)
    try:
        question = editing.save_question(current_user, bank, question, data)
    except DomainError as error:
        db.session.rollback()
        return _form(bank, question, data, error.problems or [(error.where, error.message)])
    flash(_("The question has been saved."), "success")
    return redirect(url_for("assessments.bank", bank_id=bank.id))


@bp.route("/<int:bank_id>/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_question(bank_id):
    bank = services.get_bank(bank_id)
    kind = request.args.get("kind", "single_choice")
    if bank is None or kind not in QUESTION_KINDS:
        abort(404)
    if request.method == "POST":
        return _save(bank, None, kind)
    return _form(bank, None, _data_from(MultiDict(), kind))


@bp.route("/items/<int:question_id>", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_question(question_id):
    question = _question_or_404(question_id)
    bank = question.category.bank
    if request.method == "POST":
        return _save(bank, question, question.kind)
    return _form(bank, question, _data_of(question))


@bp.route("/items/<int:question_id>/delete", methods=["POST"])
@roles_required(*EDITORS)
def delete_question(question_id):
    question = _question_or_404(question_id)
    try:
        bank = editing.delete_question(current_user, question)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("assessments.edit_question", question_id=question_id))
    flash(_("The question has been deleted."), "success")
    return redirect(url_for("assessments.bank", bank_id=bank.id))
