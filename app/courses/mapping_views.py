"""Trainer and HR pages around a course: competence mapping, prerequisites, assigning.
Routes of the courses blueprint."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.access import roles_required
from app.courses import assignments, mapping
from app.courses.builder_views import BUILDERS, course_or_404
from app.courses.forms import AssignForm
from app.courses.services import courses_for_trainers
from app.courses.views import bp
from app.errors import DomainError, refuse
from app.extensions import db
from app.frameworks import profiles


def published_framework():
    """The published framework chosen by ?framework=, else the default; and all of them."""
    frameworks = profiles.published_frameworks()
    chosen = request.values.get("framework", type=int)
    framework = next((f for f in frameworks if f.id == chosen), None)
    return framework or profiles.default_framework(), frameworks


def levels_from_form(prefix):
    levels = {}
    for key, value in request.form.items():
        if key.startswith(prefix):
            try:
                levels[int(key[len(prefix) :])] = int(value or 0)
            except ValueError:
                levels[-1] = -1
    return levels


@bp.route("/<int:course_id>/competences", methods=["GET", "POST"])
@roles_required(*BUILDERS)
def competences(course_id):
    """Which competences the course develops, to which level (evidence on completion)."""
    course = course_or_404(course_id)
    framework, frameworks = published_framework()
    problems = []
    if request.method == "POST" and framework is not None:
        try:
            changed = mapping.set_competences(
                current_user, course, levels_from_form("c-"), framework
            )
        except DomainError as error:
            refuse(error)
            problems = error.problems
        else:
            flash(_("%(n)d competences changed.", n=changed), "success")
            return redirect(url_for("courses.build", course_id=course.id))
    current = {row.competence_id: row.level for row in course.competences}
    return render_template(
        "courses/competences.html",
        course=course,
        framework=framework,
        frameworks=frameworks,
        rows=mapping.competence_choices(framework) if framework else [],
        current=current,
        problems=problems,
    )


@bp.route("/<int:course_id>/prerequisites", methods=["GET", "POST"])
@roles_required(*BUILDERS)
def prerequisites(course_id):
    course = course_or_404(course_id)
    framework, _frameworks = published_framework()
    if request.method == "POST":
        required = {cid: level for cid, level in levels_from_form("c-").items() if level or cid < 0}
        try:
            mapping.set_prerequisites(
                current_user,
                course,
                [int(v) for v in request.form.getlist("courses") if v.isdigit()],
                required,
            )
        except DomainError as error:
            refuse(error)
        else:
            flash(_("The prerequisites have been saved."), "success")
            return redirect(url_for("courses.build", course_id=course.id))
    return render_template(
        "courses/prerequisites.html",
        course=course,
        framework=framework,
        courses=[row for row, _n in courses_for_trainers() if row.id != course.id],
        chosen={p.required_course_id for p in course.required_courses},
        rows=mapping.competence_choices(framework) if framework else [],
        current={p.competence_id: p.level for p in course.required_competences},
    )


@bp.route("/assign")
@roles_required("hr", "trainer", "admin")
def assignable():
    """Published courses to choose from for assigning."""
    rows = [(c, n) for c, n in courses_for_trainers() if c.status == "published"]
    return render_template("courses/assignable.html", rows=rows)


@bp.route("/<int:course_id>/assign", methods=["GET", "POST"])
@roles_required("hr", "trainer", "admin")
def assign(course_id):
    """Assign a published course to persons, a department or a job role, with a due date."""
    course = course_or_404(course_id)
    departments, job_roles = assignments.targets()
    form = AssignForm()
    form.department_id.choices = [("", "–")] + [(d.id, d.name) for d in departments]
    form.job_role_id.choices = [("", "–")] + [(r.id, r.name) for r in job_roles]
    if form.validate_on_submit():
        try:
            users = (
                assignments.people_by_email(form.emails.data or "")
                if form.target.data == "person"
                else []
            )
            new, known = assignments.assign(
                current_user,
                course,
                form.target.data,
                form.due_on.data,
                users=users,
                department=next((d for d in departments if d.id == form.department_id.data), None),
                job_role=next((r for r in job_roles if r.id == form.job_role_id.data), None),
            )
        except DomainError as error:
            refuse(error, form)
        else:
            flash(
                _(
                    "%(title)s assigned: %(new)d newly enrolled, %(known)d were enrolled already.",
                    title=course.title,
                    new=new,
                    known=known,
                ),
                "success",
            )
            return redirect(url_for("courses.assign", course_id=course.id))
    elif request.method == "POST":
        db.session.rollback()
    return render_template("courses/assign.html", form=form, course=course)
