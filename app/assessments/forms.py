"""Forms of the assessments package."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import DataRequired, Length


class GiftUploadForm(FlaskForm):
    bank = StringField(_l("Question bank"), validators=[DataRequired(), Length(max=200)])
    file = FileField(_l("GIFT file"), validators=[FileRequired()])
    submit = SubmitField(_l("Check file"))


class GiftConfirmForm(FlaskForm):
    # The checked file travels back with the confirmation, so that no server keeps it.
    bank = HiddenField(validators=[DataRequired()])
    payload = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Import questions"))
