"""Forms of the assessments package."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
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


class QuizSettingsForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description for learners (optional)"), render_kw={"rows": 2})
    course_id = SelectField(
        _l("Final quiz of the course"), coerce=optional_int, validators=[Optional()]
    )
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
    evidence_per_competence = BooleanField(
        _l("Evidence per competence from the score on its own questions")
    )
    submit = SubmitField(_l("Save settings"))


class QuizForm(QuizSettingsForm):
    """A new quiz: its settings, and to begin with the questions of a bank and one
    competence (both optional; the quiz's page adds more)."""

    bank_id = SelectField(
        _l("Questions from the bank"), coerce=optional_int, validators=[Optional()]
    )
    competence_id = SelectField(
        _l("Competence a pass proves"), coerce=optional_int, validators=[Optional()]
    )
    level = SelectField(_l("at level"), coerce=int)
    submit = SubmitField(_l("Create quiz"))


class CommaDecimalField(DecimalField):
    """A decimal that also takes a German comma (1,5)."""

    def process_formdata(self, valuelist):
        super().process_formdata([value.replace(",", ".") for value in valuelist])


class RandomDrawForm(FlaskForm):
    category_id = SelectField(_l("Category"), coerce=int)
    draw = IntegerField(_l("Number of questions"), default=1, validators=[NumberRange(1, 200)])
    mark = CommaDecimalField(
        _l("Points per question"), default=1, places=None, validators=[NumberRange(0.01, 100)]
    )
    submit = SubmitField(_l("Add random questions"))
