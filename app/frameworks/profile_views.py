"""Pages about people and requirements: my competence profile, the requirement matrix,
evidence recorded by hand, the Medienkonzept. Routes of the frameworks blueprint."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from app.accounts.access import roles_required
from app.errors import DomainError, refuse
from app.extensions import db
from app.frameworks import charts, evidence, profiles
from app.frameworks.forms import EvidenceForm, GoalsForm
from app.frameworks.views import EDITORS, bp, framework_or_404
from app.markup import render_markdown

SOURCE_LABELS = {
    "course": _l("Course completed"),
    "quiz": _l("Quiz passed"),
    "rating": _l("Rating by a trainer"),
    "prior_learning": _l("Recognised prior learning"),
}


def chosen_framework():
    """The published framework named by ?framework=, else the default; and all published."""
    frameworks = profiles.published_frameworks()
    chosen = request.args.get("framework", type=int)
    framework = next((f for f in frameworks if f.id == chosen), None)
    return framework or profiles.default_framework(), frameworks


def profile_chart(profile):
    shown = [row for row in profile.rows if row.target or row.held]
    chart = charts.profile_chart(
        [charts.Bar(r.competence.code, r.competence.title, r.held, r.target) for r in shown],
        len(profile.level_names),
        profile.level_names,
        title=_("Competence profile"),
        legend=(_("held"), _("required")),
    )
    # profile_chart escapes every text it writes into the SVG.
    return Markup(chart)  # noqa: S704


@bp.route("/profile")
@roles_required("learner")
def my_profile():
    """Mein Kompetenzprofil: required against held levels, with the evidence behind them."""
    framework, frameworks = chosen_framework()
    if framework is None:
        return render_template(
            "frameworks/profile.html", person=current_user, profile=None, frameworks=[]
        )
    profile = profiles.competence_profile(current_user, framework)
    return render_template(
        "frameworks/profile.html",
        person=current_user,
        profile=profile,
        frameworks=frameworks,
        chart=profile_chart(profile),
        source_labels=SOURCE_LABELS,
        revocable=set(),
    )


@bp.route("/<int:framework_id>/requirements", methods=["GET", "POST"])
@roles_required(*EDITORS)
def requirements(framework_id):
    """The Medienkonzept's requirement profiles: competences × job roles, target levels."""
    framework = framework_or_404(framework_id)
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
    framework = framework_or_404(framework_id)
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
        form.email.data = request.args.get("email", "")
    if form.validate_on_submit():
        try:
            person = evidence.person_for_evidence(form.email.data)
            competence = evidence.competence_of(framework, form.competence_id.data)
            evidence.record_evidence(
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
            refuse(error, form)
        else:
            flash(_("The evidence for %(name)s has been recorded.", name=person.name), "success")
            return redirect(url_for("frameworks.new_evidence"))
    return render_template("frameworks/evidence_form.html", form=form, framework=framework)


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
            refuse(error, form)
        else:
            flash(_("The goals have been saved."), "success")
            return redirect(url_for("frameworks.media_concept"))
    elif request.method == "POST":
        abort(403)
    from app.courses.services import planned_measures
    from app.projects.services import media_concept_projects

    framework = profiles.default_framework()
    return render_template(
        "frameworks/media_concept.html",
        measures=planned_measures(),
        projects=media_concept_projects(),
        concept=concept,
        goals_html=Markup(render_markdown(concept.goals)),  # noqa: S704 sanitised by nh3
        form=form,
        framework=framework,
        summary=profiles.profile_summary(framework) if framework else [],
    )
