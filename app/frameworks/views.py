"""Trainer pages for frameworks: list, tree, import and export, versions, the draft editor."""

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import payloads
from app.accounts.access import roles_required
from app.errors import DomainError, refuse
from app.extensions import db
from app.frameworks import case, moodlecsv, services
from app.frameworks.forms import (
    CompetenceForm,
    FrameworkConfirmForm,
    FrameworkUploadForm,
    TreeSearchForm,
)
from app.frameworks.tree import ordered

bp = Blueprint("frameworks", __name__, url_prefix="/frameworks")


@bp.app_context_processor
def framework_labels():
    return {
        "status_labels": {
            "draft": _("Draft"),
            "published": _("Published"),
            "retired": _("Retired"),
        }
    }


EDITORS = ("trainer", "admin")
NBSP = "\u00a0"  # indents the tree in a select list, where spaces collapse


@bp.route("/")
@roles_required(*EDITORS)
def index():
    return render_template("frameworks/index.html", rows=services.framework_list())


def framework_or_404(framework_id):
    framework = services.get_framework(framework_id)
    if framework is None:
        abort(404)
    return framework


@bp.route("/<int:framework_id>")
@roles_required(*EDITORS)
def show(framework_id):
    framework = framework_or_404(framework_id)
    form = TreeSearchForm(request.args)
    rows = services.tree_rows(framework, form.q.data or "")
    add_form = None
    if framework.status == "draft":
        add_form = CompetenceForm()
        add_form.parent_id.choices = [(0, _("– top level –"))] + [
            (row.id, f"{row.code} {row.title}"[:80]) for row, _hit in rows
        ]
    return render_template(
        "frameworks/show.html", framework=framework, rows=rows, form=form, add_form=add_form
    )


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*EDITORS)
def import_file():
    upload, confirm = FrameworkUploadForm(), FrameworkConfirmForm()
    preview, problems = None, []
    if "payload" in request.form:
        if confirm.validate_on_submit():
            try:
                framework, count, _warnings = services.import_framework(
                    current_user, payloads.decode(confirm.payload.data)
                )
            except DomainError as error:
                db.session.rollback()
                problems = error.problems or [(error.where or "", error.message)]
            else:
                flash(
                    _(
                        "%(title)s has been imported with %(n)d competences.",
                        title=framework.title,
                        n=count,
                    ),
                    "success",
                )
                return redirect(url_for("frameworks.show", framework_id=framework.id))
    elif upload.validate_on_submit():
        data = upload.file.data.read()
        try:
            parsed = services.parse_framework_file(data)
        except DomainError as error:
            problems = error.problems or [(error.where or "", error.message)]
        else:
            preview = {
                "framework": parsed,
                "rows": ordered(parsed.nodes),
                "depths": services.depth_counts(parsed),
            }
            confirm.payload.data = payloads.encode(data)
    return render_template(
        "frameworks/import.html",
        upload=upload,
        confirm=confirm,
        preview=preview,
        problems=problems,
    )


@bp.route("/<int:framework_id>/export.<fmt>")
@roles_required(*EDITORS)
def export(framework_id, fmt):
    framework = framework_or_404(framework_id)
    data = services.as_data(framework)
    name = f"framework-{framework.id}-v{framework.version_number}"
    if fmt == "json":
        body = json.dumps(case.write_case(data), ensure_ascii=False, indent=2)
        mimetype = "application/json"
    elif fmt == "csv":
        body = moodlecsv.write_moodle_csv(data)
        mimetype = "text/csv"
    else:
        abort(404)
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


def _change_status(framework_id, use_case, done):
    """Publish or retire: run the use case, say how it went, back to the framework."""
    framework = framework_or_404(framework_id)
    try:
        use_case(current_user, framework)
    except DomainError as error:
        refuse(error)
    else:
        flash(done % {"title": framework.title}, "success")
    return redirect(url_for("frameworks.show", framework_id=framework.id))


@bp.route("/<int:framework_id>/publish", methods=["POST"])
@roles_required(*EDITORS)
def publish(framework_id):
    return _change_status(framework_id, services.publish, _("%(title)s is published."))


@bp.route("/<int:framework_id>/retire", methods=["POST"])
@roles_required(*EDITORS)
def retire(framework_id):
    return _change_status(framework_id, services.retire, _("%(title)s is retired."))


@bp.route("/<int:framework_id>/new-version", methods=["POST"])
@roles_required(*EDITORS)
def new_version(framework_id):
    framework = framework_or_404(framework_id)
    try:
        draft = services.new_version(current_user, framework)
    except DomainError as error:
        refuse(error)
        return redirect(url_for("frameworks.show", framework_id=framework.id))
    flash(_("Version %(n)d has been created as a draft.", n=draft.version_number), "success")
    return redirect(url_for("frameworks.show", framework_id=draft.id))


@bp.route("/<int:framework_id>/compare")
@roles_required(*EDITORS)
def compare(framework_id):
    """What changed between this version and another one of the same framework."""
    framework = framework_or_404(framework_id)
    others = [f for f in services.versions_of(framework) if f.id != framework.id]
    chosen = request.args.get("with", type=int)
    other = next((f for f in others if f.id == chosen), others[-1] if others else None)
    difference = None
    if other is not None:
        older, newer = sorted((framework, other), key=lambda f: f.version_number)
        difference = services.compare_versions(older, newer)
    else:
        older = newer = None
    return render_template(
        "frameworks/compare.html",
        framework=framework,
        others=others,
        other=other,
        older=older,
        newer=newer,
        difference=difference,
    )
