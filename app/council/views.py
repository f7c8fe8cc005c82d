"""Pages of works-council mode (asking for and deciding access to person-level data) and
“who looked at my data” for every logged-in person."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts import services as accounts
from app.accounts.access import roles_required
from app.accounts.admin_views import ACTION_LABELS
from app.accounts.models import utcnow
from app.council import approvals, transparency
from app.council.forms import AccessRequestForm
from app.errors import DomainError, refuse
from app.extensions import db

bp = Blueprint("council", __name__)


def _group_choices():
    department, job_role = _("Department"), _("Job role")
    return (
        [("", _("– one person –"))]
        + [(f"department:{d.id}", f"{department}: {d.name}") for d in accounts.departments()]
        + [(f"job_role:{r.id}", f"{job_role}: {r.name}") for r in accounts.job_roles()]
    )


def _scope_and_target(form):
    group, person = form.group.data or "", (form.person.data or "").strip()
    if group and person:
        raise DomainError(_("Please choose either a group or one person."), where="person")
    if person:
        return "person", approvals.person_by_email(person).id
    scope, _sep, number = group.partition(":")
    if not group or not number.isdigit():
        raise DomainError(_("Please choose a department, a job role or a person."), where="group")
    return scope, int(number)


@bp.route("/access-requests", methods=["GET", "POST"])
@roles_required(*approvals.REQUESTERS)
def requests_page():
    """Ask for access (with a reason), follow one's own requests, decide others'."""
    # A drill-down that needs approval links here with the person filled in.
    form = AccessRequestForm(request.args) if request.method == "GET" else AccessRequestForm()
    form.group.choices = _group_choices()
    if request.method == "POST" and form.validate_on_submit():
        try:
            scope, target_id = _scope_and_target(form)
            approvals.request_access(current_user, scope, target_id, form.reason.data)
        except DomainError as error:
            refuse(error, form)
        else:
            flash(_("Your request waits for a second person to approve it."), "success")
            return redirect(url_for("council.requests_page"))
    return render_template(
        "council/requests.html",
        form=form,
        active=approvals.active(),
        mine=approvals.requests_of(current_user),
        waiting=approvals.waiting_for(current_user),
        grant_days=approvals.GRANT_DAYS,
        scope_labels={
            "department": _("Department"),
            "job_role": _("Job role"),
            "person": _("Person"),
        },
        now=utcnow(),
    )


@bp.route("/access-requests/<int:request_id>/decide", methods=["POST"])
@roles_required(*approvals.DECIDERS)
def decide(request_id):
    approve = request.form.get("decision") == "approve"
    try:
        approvals.decide(current_user, request_id, approve, request.form.get("note", ""))
    except LookupError:
        abort(404)
    except DomainError as error:
        refuse(error)
    else:
        if approve:
            flash(_("Approved for %(days)d days.", days=approvals.GRANT_DAYS), "success")
        else:
            flash(_("The request has been rejected."), "success")
    return redirect(url_for("council.requests_page"))


@bp.route("/account/data-access")
@login_required
def my_data_access():
    """Who viewed, exported or changed my data, when and what: read from the audit log."""
    page = max(request.args.get("page", 1, type=int), 1)
    pagination = transparency.page_about(current_user, page)
    return render_template(
        "council/data_access.html", pagination=pagination, action_labels=ACTION_LABELS
    )


@bp.app_errorhandler(approvals.ApprovalNeeded)
def needs_approval(error):
    """The page a gated drill-down answers with (403) while no approval covers it."""
    db.session.rollback()
    return (
        render_template(
            "council/needs_approval.html", person=error.person, grant_days=approvals.GRANT_DAYS
        ),
        403,
    )
