"""Forms of the frameworks package."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional

from app.accounts.forms import optional_int


class FrameworkUploadForm(FlaskForm):
    file = FileField(
        _l("CASE JSON or Moodle CSV file"),
        validators=[
            FileRequired(),
            FileAllowed(["json", "csv", "txt"], _l("Please upload a .json or .csv file.")),
        ],
    )
    submit = SubmitField(_l("Check file"))


class FrameworkConfirmForm(FlaskForm):
    # The checked file travels back with the confirmation, so that no server keeps it.
    payload = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Import framework"))


class TreeSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional()])


class EvidenceForm(FlaskForm):
    """A trainer's rating or recognised prior learning, recorded by hand."""

    email = StringField(_l("Person (e-mail address)"), validators=[DataRequired()])
    competence_id = SelectField(_l("Competence"), coerce=int)
    level = SelectField(_l("Level"), coerce=int)
    source = SelectField(_l("Kind of evidence"))
    issued_on = DateField(_l("Date"), validators=[DataRequired()])
    expires_on = DateField(_l("Valid until (optional)"), validators=[Optional()])
    justification = TextAreaField(_l("Justification"), validators=[Optional()])
    submit = SubmitField(_l("Record evidence"))


class CompetenceForm(FlaskForm):
    code = StringField(_l("Code"), validators=[Optional()])
    title = StringField(_l("Title"), validators=[DataRequired()])
    description = TextAreaField(_l("Description"), validators=[Optional()])
    parent_id = SelectField(_l("Below"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Save"))


class GoalsForm(FlaskForm):
    goals = TextAreaField(_l("Goals (Markdown)"), validators=[Optional()])
    submit = SubmitField(_l("Save goals"))


class LevelForm(Form):
    old = HiddenField()  # the level's position before the edit; empty for a new level
    title = StringField(_l("Name"), validators=[Optional()])
    title_en = StringField(_l("English name"), validators=[Optional()])


class ScaleForm(FlaskForm):
    name = StringField(_l("Name of the scale"), validators=[DataRequired()])
    levels = FieldList(FormField(LevelForm), min_entries=0, max_entries=12)
    submit = SubmitField(_l("Save scale"))


class RevokeForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired()])
    submit = SubmitField(_l("Revoke"))


class PeopleSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional()])
    department = SelectField(_l("Department"), coerce=optional_int, validators=[Optional()])
    job_role = SelectField(_l("Job role"), coerce=optional_int, validators=[Optional()])
    submit = SubmitField(_l("Filter"))
