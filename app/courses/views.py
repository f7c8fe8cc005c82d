"""Learner pages of courses: catalogue, course page, lessons, attachments, enrolment."""

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from app.accounts.access import roles_required
from app.assessments.attempts import final_quiz
from app.courses import attachments, learning, rules
from app.courses.forms import CatalogueForm
from app.errors import DomainError, refuse
from app.frameworks import profiles
from app.markup import render_markdown

bp = Blueprint("courses", __name__, url_prefix="/courses")

LEARNERS = ("learner",)


def _catalogue_form():
    form = CatalogueForm(request.args)
    framework = profiles.default_framework()
    rows = profiles.requirement_matrix(framework).competences if framework else []
    areas = {row.parent for row in rows if row.parent is not None}
    form.area.choices = [("", _("All areas"))] + [
        (area.code, f"{area.code} {area.title}") for area in sorted(areas, key=lambda a: a.position)
    ]
    form.competence.choices = [("", _("All competences"))] + [
        (row.code, f"{row.code} {row.title}"[:70]) for row in rows
    ]
    form.validate()
    return form


@bp.route("/")
@roles_required(*LEARNERS)
def catalogue():
    form = _catalogue_form()
    filters = learning.CatalogueFilter(
        text=form.q.data or "",
        area=form.area.data or "",
        competence=form.competence.data or "",
        mandatory={"1": True, "0": False}.get(form.mandatory.data),
        language=form.language.data or "",
    )
    return render_template(
        "courses/catalogue.html", form=form, rows=learning.catalogue(current_user, filters)
    )


def _course_or_404(course_id):
    course = learning.visible_course(course_id)
    if course is None:
        abort(404)
    return course


@bp.route("/<int:course_id>")
@roles_required(*LEARNERS)
def course(course_id):
    course = _course_or_404(course_id)
    enrolment = learning.enrolment_of(current_user, course)
    done = learning.done_lessons(enrolment)
    ids = learning.lesson_ids(course)
    return render_template(
        "courses/course.html",
        course=course,
        enrolment=enrolment,
        done=done,
        progress=rules.progress(ids, done),
        missing=[] if enrolment else learning.missing_prerequisites(current_user, course),
        next_lesson=next((i for i in ids if i not in done), ids[0] if ids else None),
        final_quiz=final_quiz(course.id),
        summary_html=Markup(render_markdown(course.summary)),  # noqa: S704 sanitised
    )


@bp.route("/<int:course_id>/enrol", methods=["POST"])
@roles_required(*LEARNERS)
def enrol(course_id):
    course = _course_or_404(course_id)
    try:
        learning.enrol(current_user, course)
    except DomainError as error:
        refuse(error)
    else:
        flash(_("You are enrolled in %(title)s.", title=course.title), "success")
    return redirect(url_for("courses.course", course_id=course.id))


@bp.route("/<int:course_id>/repeat", methods=["POST"])
@roles_required(*LEARNERS)
def repeat(course_id):
    course = _course_or_404(course_id)
    try:
        learning.repeat(current_user, course)
    except DomainError as error:
        refuse(error)
    else:
        flash(_("A new round has started: work through the lessons again."), "success")
    return redirect(url_for("courses.course", course_id=course.id))


@bp.route("/<int:course_id>/lessons/<int:lesson_id>")
@roles_required(*LEARNERS)
def lesson(course_id, lesson_id):
    course = _course_or_404(course_id)
    view = learning.open_lesson(current_user, course, lesson_id)
    if view is None:
        if learning.enrolment_of(current_user, course) is None:
            flash(_("Please enrol in the course first."), "info")
            return redirect(url_for("courses.course", course_id=course.id))
        abort(404)
    return render_template(
        "courses/lesson.html",
        view=view,
        body_html=Markup(render_markdown(view.lesson["body"])),  # noqa: S704 sanitised
    )


@bp.route("/<int:course_id>/lessons/<int:lesson_id>/done", methods=["POST"])
@roles_required(*LEARNERS)
def lesson_done(course_id, lesson_id):
    course = _course_or_404(course_id)
    try:
        completed = learning.mark_done(current_user, course, lesson_id)
    except DomainError as error:
        refuse(error)
        return redirect(url_for("courses.course", course_id=course.id))
    if completed:
        flash(
            _(
                "Course completed: %(title)s. It now counts in your competence profile.",
                title=course.title,
            ),
            "success",
        )
        return redirect(url_for("courses.course", course_id=course.id))
    following = request.form.get("next", type=int)
    if following:
        return redirect(url_for("courses.lesson", course_id=course.id, lesson_id=following))
    return redirect(url_for("courses.course", course_id=course.id))


def _in_outline(course, attachment_id):
    course = learning.visible_course(course.id)
    return any(
        item["id"] == attachment_id
        for module in (course.outline or {}).get("modules", [])
        for lesson in module["lessons"]
        for item in lesson["attachments"]
    )


@bp.route("/attachments/<int:attachment_id>")
@login_required
def attachment(attachment_id):
    item = attachments.attachment_for(current_user, attachment_id, _in_outline)
    if item is None:
        abort(404)
    return send_file(
        attachments.path_of(item),
        mimetype=item.content_type,
        as_attachment=True,
        download_name=item.filename,
        max_age=0,
    )
