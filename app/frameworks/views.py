"""Trainer pages for frameworks: list, tree with search, import with preview, downloads."""

import base64
import binascii
import json
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from app.accounts.access import roles_required
from app.errors import DomainError, apply_to_form
from app.extensions import db
from app.frameworks import case, charts, editing, moodlecsv, profiles, services
from app.frameworks.forms import (
    CompetenceForm,
    EvidenceForm,
    FrameworkConfirmForm,
    FrameworkUploadForm,
    GoalsForm,
    TreeSearchForm,
)
from app.frameworks.models import Competence
from app.frameworks.tree import ordered
from app.markup import render_markdown

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
SOURCE_LABELS = {
    "course": _l("Course completed"),
    "quiz": _l("Quiz passed"),
    "rating": _l("Rating by a trainer"),
    "prior_learning": _l("Recognised prior learning"),
}


@bp.route("/")
@roles_required(*EDITORS)
def index():
    return render_template("frameworks/index.html", rows=services.framework_list())


def _framework_or_404(framework_id):
    framework = services.get_framework(framework_id)
    if framework is None:
        abort(404)
    return framework


@bp.route("/<int:framework_id>")
@roles_required(*EDITORS)
def show(framework_id):
    framework = _framework_or_404(framework_id)
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


def _encode(data):
    return base64.b64encode(data).decode("ascii")


def _decode(payload):
    try:
        return base64.b64decode(payload.encode("ascii"), validate=True)
    except (binascii.Error, ValueError):
        abort(400)


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*EDITORS)
def import_file():
    upload, confirm = FrameworkUploadForm(), FrameworkConfirmForm()
    preview, problems = None, []
    if "payload" in request.form:
        if confirm.validate_on_submit():
            try:
                framework, count, _warnings = services.import_framework(
                    current_user, _decode(confirm.payload.data)
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
            confirm.payload.data = _encode(data)
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
    framework = _framework_or_404(framework_id)
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


@bp.route("/profile")
@roles_required("learner")
def my_profile():
    """Mein Kompetenzprofil: required against held levels, with the evidence behind them."""
    frameworks = profiles.published_frameworks()
    chosen = request.args.get("framework", type=int)
    framework = next((f for f in frameworks if f.id == chosen), None)
    framework = framework or profiles.default_framework()
    if framework is None:
        return render_template("frameworks/profile.html", profile=None, frameworks=[])
    profile = profiles.competence_profile(current_user, framework)
    shown = [row for row in profile.rows if row.target or row.held]
    chart = charts.profile_chart(
        [charts.Bar(r.competence.code, r.competence.title, r.held, r.target) for r in shown],
        len(profile.level_names),
        profile.level_names,
        title=_("Competence profile"),
        legend=(_("held"), _("required")),
    )
    return render_template(
        "frameworks/profile.html",
        profile=profile,
        frameworks=frameworks,
        # profile_chart escapes every text it writes into the SVG.
        chart=Markup(chart),  # noqa: S704
        source_labels=SOURCE_LABELS,
    )


@bp.route("/<int:framework_id>/requirements", methods=["GET", "POST"])
@roles_required(*EDITORS)
def requirements(framework_id):
    """The Medienkonzept's requirement profiles: competences × job roles, target levels."""
    framework = _framework_or_404(framework_id)
    matrix = profiles.requirement_matrix(framework)
    problems = []
    if request.method == "POST":
        cells = {}
        for role in matrix.job_roles:
            for competence in matrix.competences:
                raw = request.form.get(f"t-{role.id}-{competence.id}")
                if raw is None:
                    continue
                try:
                    cells[(role.id, competence.id)] = int(raw)
                except ValueError:
                    cells[(role.id, competence.id)] = -1
        try:
            changed = profiles.save_matrix(current_user, framework, cells)
        except DomainError as error:
            db.session.rollback()
            problems = error.problems
        else:
            flash(_("%(n)d requirements changed.", n=changed), "success")
            return redirect(url_for("frameworks.requirements", framework_id=framework.id))
    return render_template("frameworks/requirements.html", matrix=matrix, problems=problems)


@bp.route("/<int:framework_id>/requirements/copy", methods=["POST"])
@roles_required(*EDITORS)
def copy_requirements(framework_id):
    framework = _framework_or_404(framework_id)
    roles = {role.id: role for role in profiles.requirement_matrix(framework).job_roles}
    source = roles.get(request.form.get("from", type=int))
    target = roles.get(request.form.get("to", type=int))
    if source is None or target is None or source is target:
        flash(_("Please choose two different job roles."), "danger")
    else:
        changed = profiles.copy_profile(current_user, framework, source, target)
        flash(
            _(
                "The profile of %(source)s has been copied to %(target)s (%(n)d changes).",
                source=source.name,
                target=target.name,
                n=changed,
            ),
            "success",
        )
    return redirect(url_for("frameworks.requirements", framework_id=framework.id))


# Who may record which kind of evidence by hand.
MANUAL_SOURCES = {"trainer": ("rating",), "hr": ("prior_learning",), "admin": ("prior_learning",)}


@bp.route("/evidence/new", methods=["GET", "POST"])
@roles_required("trainer", "hr", "admin")
def new_evidence():
    """A trainer rates a person by hand; HR records recognised prior learning."""
    framework = profiles.default_framework()
    if framework is None:
        return render_template("frameworks/evidence_form.html", form=None, framework=None)
    allowed = sorted(
        {s for role, kinds in MANUAL_SOURCES.items() if current_user.has_role(role) for s in kinds}
    )
    form = EvidenceForm()
    form.source.choices = [(source, SOURCE_LABELS[source]) for source in allowed]
    form.competence_id.choices = [
        (c.id, f"{c.code} {c.title}") for c in profiles.requirement_matrix(framework).competences
    ]
    form.level.choices = [(level.position, level.name) for level in framework.scale.levels]
    if request.method == "GET":
        form.issued_on.data = date.today()
    if form.validate_on_submit():
        try:
            person = profiles.person_for_evidence(form.email.data)
            competence = profiles.competence_of(framework, form.competence_id.data)
            profiles.record_evidence(
                current_user,
                person,
                competence,
                form.level.data,
                form.source.data,
                form.issued_on.data,
                form.expires_on.data,
                form.justification.data,
            )
        except DomainError as error:
            db.session.rollback()
            apply_to_form(form, error)
        else:
            flash(_("The evidence for %(name)s has been recorded.", name=person.name), "success")
            return redirect(url_for("frameworks.new_evidence"))
    return render_template("frameworks/evidence_form.html", form=form, framework=framework)


@bp.route("/<int:framework_id>/publish", methods=["POST"])
@roles_required(*EDITORS)
def publish(framework_id):
    framework = _framework_or_404(framework_id)
    try:
        services.publish(current_user, framework)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        flash(_("%(title)s is published.", title=framework.title), "success")
    return redirect(url_for("frameworks.show", framework_id=framework.id))


@bp.route("/<int:framework_id>/new-version", methods=["POST"])
@roles_required(*EDITORS)
def new_version(framework_id):
    framework = _framework_or_404(framework_id)
    try:
        draft = services.new_version(current_user, framework)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("frameworks.show", framework_id=framework.id))
    flash(_("Version %(n)d has been created as a draft.", n=draft.version_number), "success")
    return redirect(url_for("frameworks.show", framework_id=draft.id))


@bp.route("/<int:framework_id>/compare")
@roles_required(*EDITORS)
def compare(framework_id):
    """What changed between this version and another one of the same framework."""
    framework = _framework_or_404(framework_id)
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
    del form.parent_id
    if form.validate_on_submit():
        try:
            editing.edit_competence(
                current_user, competence, form.code.data, form.title.data, form.description.data
            )
        except DomainError as error:
            db.session.rollback()
            apply_to_form(form, error)
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
    framework = _framework_or_404(framework_id)
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
            db.session.rollback()
            flash(error.message, "danger")
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
        db.session.rollback()
        flash(error.message, "danger")
    return redirect(url_for("frameworks.show", framework_id=competence.framework_id))


@bp.route("/competences/<int:competence_id>/delete", methods=["POST"])
@roles_required(*EDITORS)
def remove_competence(competence_id):
    competence = _competence_or_404(competence_id)
    framework_id, title = competence.framework_id, competence.title
    try:
        outcome = editing.remove_competence(current_user, competence)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
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


@bp.route("/medienkonzept", methods=["GET", "POST"])
@roles_required("trainer", "hr", "admin")
def media_concept():
    """The company's Medienkonzept: goals, requirement profiles, planned measures."""
    concept = profiles.media_concept()
    may_edit = current_user.has_role("trainer", "admin")
    form = GoalsForm(obj=concept) if may_edit else None
    if form is not None and form.validate_on_submit():
        try:
            profiles.update_goals(current_user, form.goals.data)
        except DomainError as error:
            db.session.rollback()
            apply_to_form(form, error)
        else:
            flash(_("The goals have been saved."), "success")
            return redirect(url_for("frameworks.media_concept"))
    elif request.method == "POST":
        abort(403)
    framework = profiles.default_framework()
    return render_template(
        "frameworks/media_concept.html",
        concept=concept,
        goals_html=Markup(render_markdown(concept.goals)),  # noqa: S704 sanitised by nh3
        form=form,
        framework=framework,
        summary=profiles.profile_summary(framework) if framework else [],
    )


@bp.route("/<int:framework_id>/retire", methods=["POST"])
@roles_required(*EDITORS)
def retire(framework_id):
    framework = _framework_or_404(framework_id)
    try:
        services.retire(current_user, framework)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        flash(_("%(title)s is retired.", title=framework.title), "success")
    return redirect(url_for("frameworks.show", framework_id=framework.id))
