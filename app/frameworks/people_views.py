"""Other people's competence profiles for trainers, HR and admins: find a person, open the
profile (audited), revoke evidence. Routes of the frameworks blueprint."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts import services as accounts
from app.accounts.access import roles_required
from app.errors import DomainError, refuse
from app.frameworks import evidence
from app.frameworks.forms import PeopleSearchForm, RevokeForm
from app.frameworks.profile_views import SOURCE_LABELS, chosen_framework, profile_chart
from app.frameworks.views import bp

READERS = ("trainer", "hr", "admin")


@bp.route("/people")
@roles_required(*READERS)
def people():
    form = PeopleSearchForm(request.args)
    form.department.choices = [("", _("All departments"))] + [
        (d.id, d.name) for d in accounts.departments()
    ]
    form.job_role.choices = [("", _("All job roles"))] + [
        (r.id, r.name) for r in accounts.job_roles()
    ]
    form.validate()
    pagination = accounts.search_users(
        request.args.get("page", 1, type=int),
        current_app.config["USERS_PER_PAGE"],
        text=form.q.data or "",
        department_id=form.department.data,
        job_role_id=form.job_role.data,
        status="active",
    )
    filter_args = {
        key: value
        for key, value in (
            ("q", form.q.data),
            ("department", form.department.data),
            ("job_role", form.job_role.data),
        )
        if value
    }
    return render_template(
        "frameworks/people.html", form=form, pagination=pagination, filter_args=filter_args
    )


@bp.route("/people/<int:person_id>")
@roles_required(*READERS)
def person_profile(person_id):
    """A person's competence profile as the person sees it, with the evidence to revoke."""
    person = accounts.get_user(person_id)
    if person is None:
        abort(404)
    framework, frameworks = chosen_framework()
    if framework is None:
        return render_template(
            "frameworks/profile.html", person=person, profile=None, frameworks=[]
        )
    profile = evidence.profile_of(current_user, person, framework)
    revocable = {
        item.id
        for row in profile.rows
        for item in row.evidence
        if evidence.may_revoke(current_user, item)
    }
    return render_template(
        "frameworks/profile.html",
        person=person,
        profile=profile,
        frameworks=frameworks,
        chart=profile_chart(profile),
        source_labels=SOURCE_LABELS,
        revocable=revocable,
        revoke_form=RevokeForm(),
    )


@bp.route("/evidence/<int:evidence_id>/revoke", methods=["POST"])
@roles_required(*READERS)
def revoke_evidence(evidence_id):
    item = evidence.evidence_to_revoke(current_user, evidence_id)
    if item is None:
        abort(404)
    form = RevokeForm()
    person_id = item.user_id
    if not form.validate_on_submit():
        flash(_("Please give a reason."), "danger")
    else:
        try:
            evidence.revoke_evidence(current_user, item, form.reason.data)
        except DomainError as error:
            refuse(error)
        else:
            flash(_("The evidence has been revoked."), "success")
    return redirect(url_for("frameworks.person_profile", person_id=person_id))
