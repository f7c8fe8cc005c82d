"""Forms of the courses package."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, NumberRange, Optional

from app.accounts.forms import optional_int


class CatalogueForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional()])
    area = SelectField(_l("Area"), validators=[Optional()])
    competence = SelectField(_l("Competence"), validators=[Optional()])
    mandatory = SelectField(
        _l("Kind"),
        validators=[Optional()],
        choices=[("", _l("All courses")), ("1", _l("Mandatory")), ("0", _l("Optional"))],
    )
    language = SelectField(
        _l("Language"),
        validators=[Optional()],
        choices=[("", _l("All languages")), ("de", _l("German")), ("en", _l("English"))],
    )
    submit = SubmitField(_l("Filter"))


class CourseForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired()])
    summary = TextAreaField(_l("Summary for the catalogue"), validators=[Optional()])
    language = SelectField(
        _l("Language"), choices=[("de", _l("German")), ("en", _l("English"))], default="de"
    )
    hours = DecimalField(
        _l("Estimated hours"),
        places=1,
        validators=[DataRequired(), NumberRange(min=0.1, max=1000)],
        default=1,
    )
    mandatory = BooleanField(_l("Mandatory training"))
    validity_months = IntegerField(
        _l("Validity in months (completion expires after it)"),
        validators=[Optional(), NumberRange(min=1, max=120)],
    )
    submit = SubmitField(_l("Save"))


class ModuleForm(FlaskForm):
    title = StringField(_l("Module title"), validators=[DataRequired()])
    submit = SubmitField(_l("Add module"))


class LessonForm(FlaskForm):
    title = StringField(_l("Lesson title"), validators=[DataRequired()])
    module_id = SelectField(_l("Module"), coerce=optional_int, validators=[Optional()])
    body = TextAreaField(_l("Text (Markdown)"), validators=[Optional()])
    links = TextAreaField(
        _l("Links, one per line: title | https://address"), validators=[Optional()]
    )
    submit = SubmitField(_l("Save lesson"))


class AttachmentForm(FlaskForm):
    file = FileField(_l("Attachment"), validators=[FileRequired()])
    submit = SubmitField(_l("Upload"))


class AssignForm(FlaskForm):
    target = SelectField(
        _l("Assign to"),
        choices=[
            ("department", _l("a department")),
            ("job_role", _l("a job role")),
            ("person", _l("persons")),
        ],
    )
    department_id = SelectField(_l("Department"), coerce=optional_int, validators=[Optional()])
    job_role_id = SelectField(_l("Job role"), coerce=optional_int, validators=[Optional()])
    emails = TextAreaField(_l("E-mail addresses, one per line"), validators=[Optional()])
    due_on = DateField(_l("Due date"), validators=[DataRequired()])
    submit = SubmitField(_l("Assign"))
