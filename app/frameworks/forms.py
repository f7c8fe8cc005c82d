"""Forms of the frameworks package."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import DataRequired, Optional


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
