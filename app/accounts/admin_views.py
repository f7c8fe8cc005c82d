"""Admin pages for users, departments, job roles and the audit log; HR's CSV onboarding."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts import audit, onboarding, services
from app.accounts.access import roles_required
from app.accounts.forms import (
    AuditFilterForm,
    OrgUnitForm,
    UserForm,
    UserImportForm,
    UserSearchForm,
)
from app.errors import DomainError, refuse
from app.extensions import db
from app.tabular import csv_response

bp = Blueprint("admin", __name__, url_prefix="/admin")
hr = Blueprint("hr", __name__, url_prefix="/hr")


def _page():
    return max(request.args.get("page", 1, type=int), 1)


def filter_args(form):
    """The filter values of a GET form, for links to other pages of the same list."""
    return {
        name: field.data
        for name, field in form._fields.items()
        if name != "submit" and field.data not in (None, "")
    }


@bp.route("/users")
@roles_required("admin")
def users():
    form = UserSearchForm(request.args)
    form.department.choices = [("", _("All departments"))] + [
        (dep.id, dep.name) for dep in services.departments()
    ]
    form.validate()
    pagination = services.search_users(
        _page(),
        current_app.config["USERS_PER_PAGE"],
        text=form.q.data or "",
        role=form.role.data or "",
        department_id=form.department.data,
        status=form.status.data or "",
    )
    return render_template(
        "admin/users.html", form=form, pagination=pagination, filter_args=filter_args(form)
    )


def _user_form(user=None):
    form = UserForm(obj=user) if user else UserForm()
    if user is not None and request.method == "GET":
        form.roles.data = sorted(user.roles)
    form.fill_choices(services.departments(), services.job_roles())
    return form


def _user_data(form):
    return services.UserData(
        email=form.email.data,
        name=form.name.data,
        department_id=form.department_id.data,
        job_role_id=form.job_role_id.data,
        roles=set(form.roles.data or []),
        password=form.password.data or "",
    )


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required("admin")
def user_new():
    form = _user_form()
    if request.method == "GET":
        form.roles.data = ["learner"]
    if form.validate_on_submit():
        try:
            user = services.create_user(current_user, _user_data(form))
        except DomainError as error:
            refuse(error, form)
        else:
            flash(_("%(name)s has been created.", name=user.name), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


def _user_or_404(user_id):
    user = services.get_user(user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required("admin")
def user_edit(user_id):
    user = _user_or_404(user_id)
    form = _user_form(user)
    if request.method == "GET":
        services.record_view(current_user, user)
    if form.validate_on_submit():
        try:
            services.update_user(current_user, user, _user_data(form))
        except DomainError as error:
            refuse(error, form)
        else:
            flash(_("The changes to %(name)s have been saved.", name=user.name), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@roles_required("admin")
def user_set_active(user_id):
    user = _user_or_404(user_id)
    active = request.form.get("active") == "1"
    try:
        services.set_active(current_user, user, active)
    except DomainError as error:
        refuse(error)
    else:
        message = _("%(name)s is active again.") if active else _("%(name)s has been deactivated.")
        flash(message % {"name": user.name}, "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


# ---- departments and job roles share one page template

ORG_PAGES = {
    "department": {"title": lambda: _("Departments"), "endpoint": "admin.departments"},
    "job_role": {"title": lambda: _("Job roles"), "endpoint": "admin.job_roles"},
}


def _org_page(kind):
    form = OrgUnitForm()
    if form.validate_on_submit():
        try:
            services.create_org_unit(current_user, kind, form.name.data, form.description.data)
        except DomainError as error:
            refuse(error, form)
        else:
            flash(_("'%(name)s' has been created.", name=form.name.data.strip()), "success")
            return redirect(url_for(ORG_PAGES[kind]["endpoint"]))
    rows = (
        services.departments_with_counts()
        if kind == "department"
        else services.job_roles_with_counts()
    )
    return render_template(
        "admin/org_units.html",
        kind=kind,
        title=ORG_PAGES[kind]["title"](),
        rows=rows,
        form=form,
    )


def _org_edit(kind, record_id):
    record = services.get_org_unit(kind, record_id)
    if record is None:
        abort(404)
    form = OrgUnitForm(obj=record)
    if form.validate_on_submit():
        try:
            services.update_org_unit(
                current_user, kind, record, form.name.data, form.description.data
            )
        except DomainError as error:
            refuse(error, form)
        else:
            flash(_("'%(name)s' has been saved.", name=record.name), "success")
            return redirect(url_for(ORG_PAGES[kind]["endpoint"]))
    return render_template(
        "admin/org_unit_form.html",
        kind=kind,
        title=ORG_PAGES[kind]["title"](),
        record=record,
        form=form,
    )


def _org_delete(kind, record_id):
    record = services.get_org_unit(kind, record_id)
    if record is None:
        abort(404)
    name = record.name
    try:
        services.delete_org_unit(current_user, kind, record)
    except DomainError as error:
        refuse(error)
    else:
        flash(_("'%(name)s' has been deleted.", name=name), "success")
    return redirect(url_for(ORG_PAGES[kind]["endpoint"]))


@bp.route("/departments", methods=["GET", "POST"])
@roles_required("admin")
def departments():
    return _org_page("department")


@bp.route("/departments/<int:record_id>", methods=["GET", "POST"])
@roles_required("admin")
def department_edit(record_id):
    return _org_edit("department", record_id)


@bp.route("/departments/<int:record_id>/delete", methods=["POST"])
@roles_required("admin")
def department_delete(record_id):
    return _org_delete("department", record_id)


@bp.route("/job-roles", methods=["GET", "POST"])
@roles_required("admin")
def job_roles():
    return _org_page("job_role")


@bp.route("/job-roles/<int:record_id>", methods=["GET", "POST"])
@roles_required("admin")
def job_role_edit(record_id):
    return _org_edit("job_role", record_id)


@bp.route("/job-roles/<int:record_id>/delete", methods=["POST"])
@roles_required("admin")
def job_role_delete(record_id):
    return _org_delete("job_role", record_id)


# ---- audit log

# How the log names what happened; unknown actions show their code.
ACTION_LABELS = {
    "auth.login": _l("Logged in"),
    "auth.logout": _l("Logged out"),
    "auth.login_failed": _l("Failed login"),
    "auth.login_refused_inactive": _l("Login of a deactivated account refused"),
    "auth.password_changed": _l("Changed own password"),
    "user.create": _l("User created"),
    "user.update": _l("User changed"),
    "user.view": _l("User record viewed"),
    "user.roles_changed": _l("Roles changed"),
    "user.password_set": _l("Password set by an administrator"),
    "user.activate": _l("User activated"),
    "user.deactivate": _l("User deactivated"),
    "user.import": _l("Users imported from CSV"),
    "department.create": _l("Department created"),
    "department.update": _l("Department changed"),
    "department.delete": _l("Department deleted"),
    "job_role.create": _l("Job role created"),
    "job_role.update": _l("Job role changed"),
    "job_role.delete": _l("Job role deleted"),
    "audit.export": _l("Audit log exported"),
    "framework.import": _l("Framework imported"),
    "framework.publish": _l("Framework published"),
    "framework.new_version": _l("New framework version"),
    "framework.retire": _l("Framework retired"),
    "competence.create": _l("Competence added"),
    "competence.update": _l("Competence changed"),
    "competence.move": _l("Competence moved"),
    "competence.delete": _l("Competence deleted"),
    "competence.retire": _l("Competence retired"),
    "scale.update": _l("Scale changed"),
    "requirements.update": _l("Requirement profile changed"),
    "medienkonzept.update": _l("Media concept goals changed"),
    "evidence.create": _l("Evidence recorded"),
    "evidence.revoke": _l("Evidence revoked"),
    "profile.view": _l("Competence profile viewed"),
    "course.create": _l("Course created"),
    "course.update": _l("Course changed"),
    "course.module_add": _l("Module added"),
    "course.module_delete": _l("Module deleted"),
    "course.lesson_add": _l("Lesson added"),
    "course.lesson_update": _l("Lesson changed"),
    "course.lesson_remove": _l("Lesson removed"),
    "course.attachment_add": _l("Attachment added"),
    "course.attachment_remove": _l("Attachment removed"),
    "course.competences": _l("Course competences changed"),
    "course.prerequisites": _l("Course prerequisites changed"),
    "course.publish": _l("Course published"),
    "course.archive": _l("Course archived"),
    "course.assign": _l("Course assigned"),
    "course.enrol": _l("Enrolled in a course"),
    "course.complete": _l("Course completed"),
    "course.repeat": _l("Course repeated"),
    "compliance.view": _l("Compliance list of a department viewed"),
    "compliance.export": _l("Compliance exported"),
    "questions.import": _l("Questions imported"),
    "question.create": _l("Question created"),
    "question.update": _l("Question changed"),
    "question.delete": _l("Question deleted"),
    "pass.issue": _l("Medienpass issued"),
    "report.matrix": _l("Competence matrix viewed"),
    "report.export": _l("Report exported"),
    "pass.revoke": _l("Medienpass revoked"),
    "settings.change": _l("Settings changed"),
    "settings.retention": _l("Retention periods changed"),
    "privacy.export_own": _l("Own data exported"),
    "privacy.export": _l("Personal data exported on request"),
    "privacy.erase": _l("Person erased"),
    "privacy.purge": _l("Data past its retention period deleted"),
    "quiz.create": _l("Quiz created"),
    "quiz.update": _l("Quiz changed"),
    "quiz.questions": _l("Quiz questions changed"),
    "quiz.competences": _l("Quiz competences changed"),
    "quiz.publish": _l("Quiz published"),
    "quiz.start": _l("Quiz attempt started"),
    "quiz.submit": _l("Quiz attempt submitted"),
    "quiz.grade_essay": _l("Essay graded"),
    "survey.create": _l("Survey created"),
    "access.request": _l("Access to person-level data requested"),
    "access.approve": _l("Access to person-level data approved"),
    "access.reject": _l("Access to person-level data rejected"),
    "pass.download": _l("Medienpass downloaded"),
}
SUBJECT_LABELS = {
    "user": _l("User"),
    "department": _l("Department"),
    "job_role": _l("Job role"),
    "framework": _l("Framework"),
    "course": _l("Course"),
    "question_bank": _l("Question bank"),
    "question": _l("Question"),
    "quiz": _l("Quiz"),
}


def _audit_filters():
    form = AuditFilterForm(request.args)
    form.action.choices = [("", _("All actions"))] + [
        (action, ACTION_LABELS.get(action, action)) for action in audit.known_actions()
    ]
    form.validate()
    filters = {
        "actor": (form.actor.data or "").strip(),
        "action": form.action.data or None,
        "date_from": form.date_from.data,
        "date_to": form.date_to.data,
    }
    return form, filters


@bp.route("/audit")
@roles_required("admin")
def audit_log():
    form, filters = _audit_filters()
    pagination = audit.search(_page(), current_app.config["AUDIT_PER_PAGE"], **filters)
    return render_template(
        "admin/audit.html",
        form=form,
        pagination=pagination,
        filter_args=filter_args(form),
        action_labels=ACTION_LABELS,
        subject_labels=SUBJECT_LABELS,
    )


@bp.route("/audit.csv")
@roles_required("admin")
def audit_export():
    _form, filters = _audit_filters()
    header, rows = audit.export(current_user, **filters)
    return csv_response("audit-log.csv", header, rows)


# ---- HR onboarding


@hr.route("/users/import", methods=["GET", "POST"])
@roles_required("hr", "admin")
def import_users():
    form = UserImportForm()
    problems, summary = [], None
    if form.validate_on_submit():
        try:
            summary = onboarding.import_users(current_user, form.file.data.read())
        except DomainError as error:
            db.session.rollback()
            form.form_errors = [error.message]
            problems = error.problems
    return render_template(
        "admin/import_users.html",
        form=form,
        problems=problems,
        summary=summary,
    )
