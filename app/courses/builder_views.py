"""Trainer pages of courses: list, course data, the outline builder, lessons with links and
attachments, preview, publish. Routes of the courses blueprint."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app.accounts.access import roles_required
from app.courses import attachments, building, services
from app.courses.forms import AttachmentForm, CourseForm, LessonForm, ModuleForm
from app.courses.models import Attachment, CourseModule, Lesson
from app.courses.views import bp
from app.errors import DomainError, refuse
from app.extensions import db
from app.markup import render_markdown

BUILDERS = ("trainer", "admin")


def course_or_404(course_id):
    course = services.get_course(course_id)
    if course is None:
        abort(404)
    return course


def _get_or_404(model, record_id):
    record = db.session.get(model, record_id)
    if record is None or getattr(record, "removed", False):
        abort(404)
    return record


def _to_builder(course_id):
    return redirect(url_for("courses.build", course_id=course_id))


@bp.route("/manage")
@roles_required(*BUILDERS)
def manage():
    return render_template("courses/manage.html", rows=services.courses_for_trainers())


def _course_data(form):
    return services.CourseData(
        title=form.title.data,
        summary=form.summary.data,
        language=form.language.data,
        hours=float(form.hours.data) if form.hours.data is not None else None,
        mandatory=form.mandatory.data,
        validity_months=form.validity_months.data,
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*BUILDERS)
def new_course():
    form = CourseForm()
    if form.validate_on_submit():
        try:
            course = services.create_course(current_user, _course_data(form))
        except DomainError as error:
            refuse(error, form)
        else:
            flash(_("%(title)s has been created as a draft.", title=course.title), "success")
            return _to_builder(course.id)
    return render_template("courses/course_form.html", form=form, course=None)


@bp.route("/<int:course_id>/edit", methods=["GET", "POST"])
@roles_required(*BUILDERS)
def edit_course(course_id):
    course = course_or_404(course_id)
    form = CourseForm(obj=course)
    if form.validate_on_submit():
        try:
            services.update_course(current_user, course, _course_data(form))
        except DomainError as error:
            refuse(error, form)
        else:
            flash(_("%(title)s has been saved.", title=course.title), "success")
            return _to_builder(course.id)
    return render_template("courses/course_form.html", form=form, course=course)


@bp.route("/<int:course_id>/build")
@roles_required(*BUILDERS)
def build(course_id):
    course = course_or_404(course_id)
    return render_template(
        "courses/build.html",
        course=course,
        module_form=ModuleForm(),
        unpublished=services.has_unpublished_changes(course),
    )


@bp.route("/<int:course_id>/modules", methods=["POST"])
@roles_required(*BUILDERS)
def add_module(course_id):
    course = course_or_404(course_id)
    try:
        building.add_module(current_user, course, request.form.get("title"))
    except DomainError as error:
        refuse(error)
    return _to_builder(course.id)


@bp.route("/modules/<int:module_id>/<action>", methods=["POST"])
@roles_required(*BUILDERS)
def module_action(module_id, action):
    module = _get_or_404(CourseModule, module_id)
    course_id = module.course_id
    try:
        if action == "rename":
            building.rename_module(current_user, module, request.form.get("title"))
        elif action in ("up", "down"):
            building.move_module(current_user, module, -1 if action == "up" else 1)
        elif action == "delete":
            building.delete_module(current_user, module)
        elif action == "lessons":
            lesson = building.add_lesson(current_user, module, request.form.get("title"))
            return redirect(url_for("courses.edit_lesson", lesson_id=lesson.id))
        else:
            abort(404)
    except DomainError as error:
        refuse(error)
    return _to_builder(course_id)


def _links_text(lesson):
    return "\n".join(f"{link.title} | {link.url}" for link in lesson.links)


def _parse_links(text):
    links = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        title, _sep, url = line.rpartition("|") if "|" in line else ("", "", line)
        links.append((title.strip(), url.strip()))
    return links


@bp.route("/lessons/<int:lesson_id>", methods=["GET", "POST"])
@roles_required(*BUILDERS)
def edit_lesson(lesson_id):
    lesson = _get_or_404(Lesson, lesson_id)
    course = course_or_404(lesson.course_id)
    form = LessonForm(obj=lesson)
    form.module_id.choices = [(module.id, module.title) for module in course.modules]
    if request.method == "GET":
        form.links.data = _links_text(lesson)
    if form.validate_on_submit():
        module = next((m for m in course.modules if m.id == form.module_id.data), None)
        try:
            building.update_lesson(
                current_user,
                lesson,
                form.title.data,
                form.body.data,
                _parse_links(form.links.data),
                module,
            )
        except DomainError as error:
            refuse(error, form)
        else:
            flash(_("%(title)s has been saved.", title=lesson.title), "success")
            return _to_builder(course.id)
    return render_template(
        "courses/lesson_form.html",
        form=form,
        lesson=lesson,
        course=course,
        upload=AttachmentForm(),
        preview=Markup(render_markdown(lesson.body)),  # noqa: S704 sanitised
    )


@bp.route("/lessons/<int:lesson_id>/<action>", methods=["POST"])
@roles_required(*BUILDERS)
def lesson_action(lesson_id, action):
    lesson = _get_or_404(Lesson, lesson_id)
    course_id = lesson.course_id
    try:
        if action in ("up", "down"):
            building.move_lesson(current_user, lesson, -1 if action == "up" else 1)
        elif action == "remove":
            building.remove_lesson(current_user, lesson)
            flash(_("%(title)s has been removed.", title=lesson.title), "success")
        elif action == "attachments":
            form = AttachmentForm()
            if not form.validate_on_submit():
                raise DomainError(_("Please choose a file."))
            upload = form.file.data
            attachments.add_attachment(current_user, lesson, upload.filename, upload.read())
            flash(_("%(name)s has been attached.", name=upload.filename), "success")
            return redirect(url_for("courses.edit_lesson", lesson_id=lesson.id))
        else:
            abort(404)
    except DomainError as error:
        refuse(error)
        if action == "attachments":
            return redirect(url_for("courses.edit_lesson", lesson_id=lesson.id))
    return _to_builder(course_id)


@bp.route("/attachments/<int:attachment_id>/remove", methods=["POST"])
@roles_required(*BUILDERS)
def remove_attachment(attachment_id):
    item = _get_or_404(Attachment, attachment_id)
    attachments.remove_attachment(current_user, item)
    flash(_("%(name)s has been removed.", name=item.filename), "success")
    return redirect(url_for("courses.edit_lesson", lesson_id=item.lesson_id))


@bp.route("/<int:course_id>/preview")
@roles_required(*BUILDERS)
def preview(course_id):
    """The course as learners will see it once published: the current state, all lessons."""
    course = course_or_404(course_id)
    outline = services.outline_of(course)
    return render_template(
        "courses/preview.html",
        course=course,
        outline=outline,
        bodies={
            lesson["id"]: Markup(render_markdown(lesson["body"]))  # noqa: S704 sanitised
            for module in outline["modules"]
            for lesson in module["lessons"]
        },
    )


@bp.route("/<int:course_id>/publish", methods=["POST"])
@roles_required(*BUILDERS)
def publish(course_id):
    course = course_or_404(course_id)
    try:
        services.publish(current_user, course)
    except DomainError as error:
        refuse(error)
    else:
        flash(_("%(title)s is published; learners see this state.", title=course.title), "success")
    return _to_builder(course.id)


@bp.route("/<int:course_id>/archive", methods=["POST"])
@roles_required(*BUILDERS)
def archive(course_id):
    course = course_or_404(course_id)
    services.archive(current_user, course)
    flash(_("%(title)s has been archived.", title=course.title), "success")
    return _to_builder(course.id)
