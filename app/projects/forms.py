"""Forms of training projects."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
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
from wtforms.validators import DataRequired, Length, Optional

from app.accounts.forms import MultiCheckboxField, optional_int

WEEKDAYS = (
    (0, _l("Monday")),
    (1, _l("Tuesday")),
    (2, _l("Wednesday")),
    (3, _l("Thursday")),
    (4, _l("Friday")),
    (5, _l("Saturday")),
    (6, _l("Sunday")),
)


class ProjectForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    goal = TextAreaField(_l("Goal"), validators=[Optional()])
    start_on = DateField(_l("Project start"), validators=[DataRequired()])
    deadline_on = DateField(_l("Deadline (optional)"), validators=[Optional()])
    weekdays = MultiCheckboxField(_l("Working days"), coerce=int, choices=WEEKDAYS)
    state = SelectField(_l("Public holidays of"))
    closures = TextAreaField(_l("Company closures"), validators=[Optional()])
    in_media_concept = BooleanField(_l("A planned measure of the media concept"))
    submit = SubmitField(_l("Save"))


class ActivityRowForm(Form):
    key = StringField(_l("No."), validators=[Optional()])
    name = StringField(_l("Activity"), validators=[Optional()])
    duration = StringField(_l("Duration"), validators=[Optional()])
    predecessors = StringField(_l("Predecessors"), validators=[Optional()])
    responsible = StringField(_l("Responsible"), validators=[Optional()])
    course_id = SelectField(_l("Course"), coerce=optional_int, validate_choice=False)
    notes = StringField(_l("Notes"), validators=[Optional()])
    remove = BooleanField(_l("Remove"))


class ActivityTableForm(FlaskForm):
    rows = FieldList(FormField(ActivityRowForm), min_entries=0, max_entries=2000)
    submit = SubmitField(_l("Save activities"))


class ImportUploadForm(FlaskForm):
    file = FileField(
        _l("Network JSON or Microsoft Project XML file"),
        validators=[
            FileRequired(),
            FileAllowed(["json", "xml"], _l("Please upload a .json or .xml file.")),
        ],
    )
    submit = SubmitField(_l("Check file"))


class ImportConfirmForm(FlaskForm):
    # The checked file travels back with the confirmation, so that no server keeps it.
    payload = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Create project"))


class GapProjectForm(FlaskForm):
    group = SelectField(_l("For"), validators=[DataRequired()])
    start_on = DateField(_l("Project start"), validators=[DataRequired()])
    submit = SubmitField(_l("Plan courses"))
