"""Forms of the assessments package."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.accounts.forms import optional_int


class GiftUploadForm(FlaskForm):
    bank = StringField(_l("Question bank"), validators=[DataRequired(), Length(max=200)])
    file = FileField(_l("GIFT file"), validators=[FileRequired()])
    submit = SubmitField(_l("Check file"))


class GiftConfirmForm(FlaskForm):
    # The checked file travels back with the confirmation, so that no server keeps it.
    bank = HiddenField(validators=[DataRequired()])
    payload = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Import questions"))


class QuizForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    bank_id = SelectField(_l("Questions from the bank"), coerce=int)
    course_id = SelectField(
        _l("Final quiz of the course"), coerce=optional_int, validators=[Optional()]
    )
    competence_id = SelectField(_l("Competence a pass proves"), coerce=int)
    level = SelectField(_l("at level"), coerce=int)
    pass_mark = IntegerField(_l("Pass mark in %"), default=60, validators=[NumberRange(0, 100)])
    attempts_allowed = IntegerField(
        _l("Attempts allowed (0: no limit)"), default=0, validators=[NumberRange(0, 100)]
    )
    time_limit = IntegerField(_l("Time limit in minutes (optional)"), validators=[Optional()])
    review = SelectField(
        _l("Afterwards learners see"),
        choices=[
            ("never", _l("nothing but that it was submitted")),
            ("score", _l("the score")),
            ("feedback", _l("the score and the feedback")),
            ("answers", _l("the score, the feedback and the right answers")),
        ],
        default="feedback",
    )
    shuffle_questions = BooleanField(_l("Shuffle the questions"))
    shuffle_answers = BooleanField(_l("Shuffle the answers"), default=True)
    submit = SubmitField(_l("Create quiz"))
