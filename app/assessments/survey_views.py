"""Pages of course feedback surveys: trainers create them and read results, learners answer."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.accounts.access import roles_required
from app.assessments import survey_results, surveys
from app.assessments.views import EDITORS, bp
from app.council import approvals
from app.errors import DomainError, refuse


class SurveyForm(FlaskForm):
    course = SelectField(_l("Course"), coerce=int, validators=[DataRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=surveys.MAX_TITLE)])
    items = TextAreaField(_l("Items"), validators=[DataRequired()])
    submit = SubmitField(_l("Create survey"))


def _min_group():
    """SURVEY_MIN_GROUP, in works-council mode at least the reports' minimum group size."""
    return approvals.minimum_group(current_app.config["SURVEY_MIN_GROUP"])


@bp.route("/surveys")
@roles_required(*EDITORS)
def surveys_index():
    return render_template(
        "assessments/survey_list.html",
        rows=surveys.list_surveys(),
        min_group=_min_group(),
    )


@bp.route("/surveys/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def survey_new():
    form = SurveyForm()
    form.course.choices = [(0, "")] + [tuple(row) for row in surveys.courses_for_surveys()]
    if request.method == "GET":
        form.course.data = request.args.get("course", 0, type=int)
    if form.validate_on_submit():
        try:
            survey = surveys.create_survey(
                current_user,
                surveys.get_course(form.course.data),
                form.title.data,
                surveys.parse_items(form.items.data),
            )
        except DomainError as error:
            refuse(error, form)
        else:
            flash(_("Survey created. Learners of the course can answer it now."), "success")
            return redirect(url_for("assessments.survey", survey_id=survey.id))
    return render_template("assessments/survey_new.html", form=form)


@bp.route("/surveys/<int:survey_id>")
@roles_required(*EDITORS)
def survey(survey_id):
    survey = surveys.get_survey(survey_id)
    if survey is None:
        abort(404)
    min_group = _min_group()
    results = survey_results.results(survey, min_group)
    return render_template(
        "assessments/survey_results.html",
        survey=survey,
        course=surveys.get_course(survey.course_id),
        results=results,
        missing=None if results else max(min_group - survey_results.response_count(survey), 1),
        min_group=min_group,
        periods=survey_results.averages_over_time(survey.course_id, min_group),
        one_decimal=lambda value: format_decimal(value, format="0.0"),
    )


@bp.route("/surveys/mine")
@roles_required("learner")
def my_surveys():
    return render_template("assessments/survey_mine.html", rows=surveys.open_surveys(current_user))


@bp.route("/surveys/<int:survey_id>/answer", methods=["GET", "POST"])
@roles_required("learner")
def survey_answer(survey_id):
    found = surveys.survey_to_answer(current_user, survey_id)
    if found is None:
        abort(404)
    survey, answered = found
    if answered:
        flash(_("You have already answered this survey. Thank you!"), "info")
        return redirect(url_for("courses.course", course_id=survey.course_id))
    problems, values = {}, {}
    if request.method == "POST":
        values = {item.id: request.form.get(f"item-{item.id}") for item in survey.items}
        try:
            surveys.answer(current_user, survey, values)
        except DomainError as error:
            if not error.where:  # answered meanwhile (another tab), or no longer open
                refuse(error)
                return redirect(url_for("courses.course", course_id=survey.course_id))
            refuse(DomainError(_("Nothing was saved: please check the marked answers.")))
            problems = dict(error.problems)
        else:
            flash(_("Thank you for your feedback! It was saved without your name."), "success")
            return redirect(url_for("courses.course", course_id=survey.course_id))
    return render_template(
        "assessments/survey_answer.html",
        survey=survey,
        course=surveys.get_course(survey.course_id),
        problems=problems,
        values=values,
        min_group=_min_group(),
    )
