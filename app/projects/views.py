"""Trainer pages for training projects: list, settings, the activity editor, the plan
(schedule table, Gantt chart, network diagram), its PDF, import and export, and a project
made from a group's competence gaps."""

import json
import re
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from app import payloads
from app.accounts.access import roles_required
from app.accounts.models import User
from app.courses.models import Course
from app.errors import DomainError, refuse
from app.extensions import db
from app.projects import charts, gap_projects, planning, services
from app.projects import closures as closure_text
from app.projects.calendar import STATES
from app.projects.forms import (
    WEEKDAYS,
    ActivityTableForm,
    GapProjectForm,
    ImportConfirmForm,
    ImportUploadForm,
    ProjectForm,
)

bp = Blueprint("projects", __name__, url_prefix="/projects")

EDITORS = services.EDITORS
BLANK_ROWS = 5  # empty rows at the end of the editor for new activities
FIRST_ROWS = 10  # a new project starts with this many


def _language():
    return "de" if str(get_locale()).startswith("de") else "en"


def chart_labels():
    return charts.GERMAN if _language() == "de" else charts.ENGLISH


def project_or_404(project_id):
    project = services.get_project(current_user, project_id)
    if project is None:
        abort(404)
    return project


@bp.route("/")
@roles_required(*EDITORS)
def index():
    form = GapProjectForm(start_on=date.today())
    form.group.choices = gap_projects.group_choices()
    return render_template("projects/index.html", rows=services.project_list(), gap_form=form)


@bp.route("/from-gaps", methods=["POST"])
@roles_required(*EDITORS)
def from_gaps():
    form = GapProjectForm()
    form.group.choices = gap_projects.group_choices()
    if form.validate_on_submit():
        try:
            project = gap_projects.create_from_gaps(
                current_user, form.group.data, form.start_on.data
            )
        except DomainError as error:
            refuse(error)
        else:
            flash(_("The project has been created from the gaps."), "success")
            return redirect(url_for("projects.show", project_id=project.id))
    else:
        flash(_("Choose a group and a start date."), "danger")
    return redirect(url_for("projects.index"))


def _settings_form(project=None):
    form = ProjectForm()
    if request.method == "GET":
        if project is not None:
            data = services.project_data(project)
            form = ProjectForm(
                name=data.name,
                goal=data.goal,
                start_on=data.start_on,
                deadline_on=data.deadline_on,
                weekdays=list(data.weekdays),
                state=data.state,
                closures=closure_text.format(data.closures, _language()),
                in_media_concept=data.in_media_concept,
            )
        else:
            form = ProjectForm(start_on=date.today(), weekdays=[0, 1, 2, 3, 4], state="NW")
    form.state.choices = sorted(STATES.items(), key=lambda item: item[1])
    return form


def _form_data(form):
    """ProjectData from the form, or None with the error shown at its field."""
    try:
        closures = closure_text.parse(form.closures.data)
    except closure_text.ClosureError as error:
        form.closures.errors = list(form.closures.errors) + [error.message]
        return None
    return services.ProjectData(
        name=form.name.data,
        start_on=form.start_on.data,
        goal=form.goal.data,
        deadline_on=form.deadline_on.data,
        weekdays=tuple(form.weekdays.data or ()),
        state=form.state.data,
        closures=closures,
        in_media_concept=form.in_media_concept.data,
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new():
    form = _settings_form()
    if form.validate_on_submit():
        data = _form_data(form)
        if data is not None:
            try:
                project = services.create_project(current_user, data)
            except DomainError as error:
                refuse(error, form)
            else:
                flash(_("The project has been created. Now add its activities."), "success")
                return redirect(url_for("projects.activities", project_id=project.id))
    return render_template("projects/settings.html", form=form, project=None)


@bp.route("/<int:project_id>/settings", methods=["GET", "POST"])
@roles_required(*EDITORS)
def settings(project_id):
    project = project_or_404(project_id)
    form = _settings_form(project)
    if form.validate_on_submit():
        data = _form_data(form)
        if data is not None:
            try:
                services.update_project(current_user, project, data)
            except DomainError as error:
                refuse(error, form)
            else:
                flash(_("The project has been saved."), "success")
                return redirect(url_for("projects.show", project_id=project.id))
    return render_template("projects/settings.html", form=form, project=project)


@bp.route("/<int:project_id>/delete", methods=["POST"])
@roles_required(*EDITORS)
def delete(project_id):
    project = project_or_404(project_id)
    name = project.name
    services.delete_project(current_user, project)
    flash(_("%(name)s has been deleted.", name=name), "success")
    return redirect(url_for("projects.index"))


def _editor_choices():
    people = db.session.execute(
        select(User.name, User.email).where(User.active.is_(True)).order_by(User.name)
    ).all()
    courses = db.session.execute(
        select(Course.id, Course.title)
        .where(Course.status != "archived")
        .order_by(Course.title, Course.id)
    ).all()
    return people, [(None, "–")] + [(course_id, title) for course_id, title in courses]


def _table_rows(form):
    return [
        services.TableRow(
            key=entry.key.data or "",
            name=entry.form.name.data or "",
            duration=entry.duration.data or "",
            predecessors=entry.predecessors.data or "",
            responsible=entry.responsible.data or "",
            course_id=entry.course_id.data,
            notes=entry.notes.data or "",
            remove=bool(entry.remove.data),
        )
        for entry in form.rows
    ]


def _number(value):
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if _language() == "de" else text


@bp.route("/<int:project_id>/activities", methods=["GET", "POST"])
@roles_required(*EDITORS)
def activities(project_id):
    """The activity table: every row editable, empty rows to add; saved all or nothing."""
    project = project_or_404(project_id)
    people, course_choices = _editor_choices()
    row_errors = {}
    if request.method == "POST":
        form = ActivityTableForm()
        if form.validate_on_submit():
            try:
                services.save_table(current_user, project, _table_rows(form))
            except DomainError as error:
                db.session.rollback()
                row_errors = dict(error.problems)
                flash(error.message, "danger")
            else:
                flash(_("The activities have been saved."), "success")
                return redirect(url_for("projects.show", project_id=project.id))
    else:
        texts = services.predecessor_texts(project, _language())
        rows = [
            {
                "key": a.key,
                "name": a.name,
                "duration": _number(a.duration),
                "predecessors": texts.get(a.id, ""),
                "responsible": a.responsible.email if a.responsible else "",
                "course_id": a.course_id,
                "notes": a.notes,
            }
            for a in project.activities
        ]
        blank = max(BLANK_ROWS, FIRST_ROWS - len(rows))
        form = ActivityTableForm(data={"rows": rows + [{}] * blank})
    for entry in form.rows:
        entry.course_id.choices = course_choices
    return render_template(
        "projects/activities.html",
        project=project,
        form=form,
        people=people,
        row_errors=row_errors,
        stored_keys={activity.key for activity in project.activities},
    )


@bp.route("/<int:project_id>")
@roles_required(*EDITORS)
def show(project_id):
    """The plan: schedule table with dates, Gantt chart and network diagram."""
    project = project_or_404(project_id)
    plan = planning.plan(project, _language())
    labels = chart_labels()
    gantt = network_diagram = None
    if plan.rows:
        gantt = Markup(  # noqa: S704  the chart escapes every text
            charts.gantt_svg(plan.chart_rows, plan.arrows, plan.calendar, date.today(), labels)
        )
        network_diagram = Markup(  # noqa: S704  the chart escapes every text
            charts.network_svg(plan.chart_rows, plan.arrows, labels, fit=False)
        )
    return render_template(
        "projects/show.html",
        project=project,
        plan=plan,
        labels=labels,
        number=lambda value: charts.number(value, labels["decimal"]),
        gantt=gantt,
        network_diagram=network_diagram,
        state_name=STATES.get(project.state, project.state),
        closures=closure_text.from_json(project.closures),
        weekday_names=_weekday_names(project.weekdays),
    )


def _weekday_names(weekdays):
    """ "Mo–Fr" for a working week, else the short names of the days worked."""
    names = dict(WEEKDAYS)
    days = [int(day) for day in weekdays]
    if days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
        return f"{str(names[days[0]])[:2]}–{str(names[days[-1]])[:2]}"
    return ", ".join(str(names[day])[:2] for day in days)


def _filename(project, suffix):
    slug = re.sub(r"[^A-Za-z0-9]+", "-", project.name).strip("-").lower()[:60] or "projekt"
    return f"{slug}-{project.id}.{suffix}"


def _download(body, mimetype, filename):
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/<int:project_id>/plan.pdf")
@roles_required(*EDITORS)
def pdf(project_id):
    from app.projects.pdf import render_plan

    project = project_or_404(project_id)
    body = render_plan(project, planning.plan(project, _language()), _language(), chart_labels())
    return _download(body, "application/pdf", _filename(project, "pdf"))


@bp.route("/<int:project_id>/export.<fmt>")
@roles_required(*EDITORS)
def export(project_id, fmt):
    project = project_or_404(project_id)
    if fmt == "json":
        body = json.dumps(services.export_json(project), ensure_ascii=False, indent=2)
        return _download(body, "application/json", _filename(project, "json"))
    if fmt == "xml":
        return _download(
            services.export_mspdi(project), "application/xml", _filename(project, "xml")
        )
    abort(404)


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*EDITORS)
def import_file():
    """Upload, preview (activities and their schedule), confirm; nothing is written before."""
    upload, confirm = ImportUploadForm(), ImportConfirmForm()
    preview, problems = None, []
    if "payload" in request.form:
        if confirm.validate_on_submit():
            try:
                project = services.import_network(
                    current_user, *services.read_file(payloads.decode(confirm.payload.data))
                )
            except DomainError as error:
                db.session.rollback()
                problems = error.problems or [("", error.message)]
            else:
                flash(_("%(name)s has been imported.", name=project.name), "success")
                return redirect(url_for("projects.show", project_id=project.id))
    elif upload.validate_on_submit():
        data = upload.file.data.read()
        try:
            found, extra = services.read_file(data)
        except DomainError as error:
            problems = error.problems or [("", error.message)]
        else:
            preview = services.preview(found, extra, _language())
            confirm.payload.data = payloads.encode(data)
    return render_template(
        "projects/import.html",
        upload=upload,
        confirm=confirm,
        preview=preview,
        problems=problems,
        labels=chart_labels(),
        number=lambda value: charts.number(value, chart_labels()["decimal"]),
    )
