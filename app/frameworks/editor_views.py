"""The draft editor: change, add, move and delete competences, edit the scale.
Routes of the frameworks blueprint."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.access import roles_required
from app.errors import DomainError, refuse
from app.extensions import db
from app.frameworks import editing, scales, services
from app.frameworks.forms import CompetenceForm, ScaleForm
from app.frameworks.models import Competence
from app.frameworks.views import EDITORS, NBSP, bp, framework_or_404


def _competence_or_404(competence_id):
    competence = db.session.get(Competence, competence_id)
    if competence is None:
        abort(404)
    return competence


@bp.route("/competences/<int:competence_id>", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_competence(competence_id):
    competence = _competence_or_404(competence_id)
    form = CompetenceForm(obj=competence)
    rows = services.competences_in_order(competence.framework)
    below = editing.descendants(competence, rows) | {competence.id}
    form.parent_id.choices = [(0, _("– top level –"))] + [
        (row.id, f"{NBSP * 3 * row.depth}{row.code} {row.title}"[:90])
        for row in rows
        if row.id not in below
    ]
    if request.method == "GET":
        form.parent_id.data = competence.parent_id or 0
    if form.validate_on_submit():
        parent = editing.KEEP  # a post without a parent leaves the competence where it is
        if form.parent_id.raw_data:
            parent = next((row for row in rows if row.id == form.parent_id.data), None)
        try:
            editing.edit_competence(
                current_user,
                competence,
                form.code.data,
                form.title.data,
                form.description.data,
                parent=parent,
            )
        except DomainError as error:
            refuse(error, form)
        else:
            flash(_("%(title)s has been saved.", title=competence.title), "success")
            return redirect(url_for("frameworks.show", framework_id=competence.framework_id))
    return render_template(
        "frameworks/competence_form.html",
        form=form,
        competence=competence,
        framework=competence.framework,
    )


@bp.route("/<int:framework_id>/competences/new", methods=["POST"])
@roles_required(*EDITORS)
def add_competence(framework_id):
    framework = framework_or_404(framework_id)
    form = CompetenceForm()
    form.parent_id.choices = [(0, "")] + [
        (row.id, row.code) for row, _hit in services.tree_rows(framework)
    ]
    if form.validate_on_submit():
        parent = db.session.get(Competence, form.parent_id.data) if form.parent_id.data else None
        try:
            editing.add_competence(
                current_user,
                framework,
                parent,
                form.code.data,
                form.title.data,
                form.description.data,
            )
        except DomainError as error:
            refuse(error)
        else:
            flash(_("%(title)s has been added.", title=form.title.data.strip()), "success")
    else:
        flash(_("The title is missing."), "danger")
    return redirect(url_for("frameworks.show", framework_id=framework.id))


@bp.route("/competences/<int:competence_id>/move", methods=["POST"])
@roles_required(*EDITORS)
def move_competence(competence_id):
    competence = _competence_or_404(competence_id)
    direction = -1 if request.form.get("direction") == "up" else 1
    try:
        editing.move_competence(current_user, competence, direction)
    except DomainError as error:
        refuse(error)
    return redirect(url_for("frameworks.show", framework_id=competence.framework_id))


@bp.route("/competences/<int:competence_id>/delete", methods=["POST"])
@roles_required(*EDITORS)
def remove_competence(competence_id):
    competence = _competence_or_404(competence_id)
    framework_id, title = competence.framework_id, competence.title
    try:
        outcome = editing.remove_competence(current_user, competence)
    except DomainError as error:
        refuse(error)
    else:
        message = (
            _("%(title)s has been deleted.", title=title)
            if outcome == "deleted"
            else _(
                "%(title)s is referenced by evidence or requirements and has been retired.",
                title=title,
            )
        )
        flash(message, "success")
    return redirect(url_for("frameworks.show", framework_id=framework_id))


@bp.route("/<int:framework_id>/scale", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_scale(framework_id):
    """The scale editor: rename levels, add one at the top, clear a name to remove a level."""
    framework = framework_or_404(framework_id)
    form = ScaleForm()
    if request.method == "GET":
        form.name.data = framework.scale.name
        for level in framework.scale.levels:
            form.levels.append_entry(
                {"old": level.position, "title": level.name, "title_en": level.name_en}
            )
        form.levels.append_entry({"old": "", "title": "", "title_en": ""})
    problems = []
    if form.validate_on_submit():
        levels = [
            (
                int(entry.form.old.data) if (entry.form.old.data or "").isdigit() else None,
                entry.form.title.data,
                entry.form.title_en.data,
            )
            for entry in form.levels
        ]
        try:
            scales.update_scale(current_user, framework, form.name.data, levels)
        except DomainError as error:
            refuse(error, form)
            problems = error.problems
        else:
            flash(_("The scale has been saved."), "success")
            return redirect(url_for("frameworks.show", framework_id=framework.id))
    return render_template(
        "frameworks/scale_form.html", form=form, framework=framework, problems=problems
    )
