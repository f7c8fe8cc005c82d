"""Forms of the privacy pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import Optional

# The values are checked by app/privacy/rules.py, which names every bad one.
RETENTION_LABELS = {
    "attempts_months": _l("Answers of quiz attempts (months after submission)"),
    "progress_days": _l("Lessons done in finished course rounds (days)"),
    "audit_months": _l("Audit log entries (months)"),
    "feedback_months": _l("Course feedback answers (months)"),
}


class RetentionForm(FlaskForm):
    attempts_months = StringField(RETENTION_LABELS["attempts_months"], validators=[Optional()])
    progress_days = StringField(RETENTION_LABELS["progress_days"], validators=[Optional()])
    audit_months = StringField(RETENTION_LABELS["audit_months"], validators=[Optional()])
    feedback_months = StringField(RETENTION_LABELS["feedback_months"], validators=[Optional()])
    submit = SubmitField(_l("Save retention periods"))


class ExportRequestForm(FlaskForm):
    email = StringField(_l("E-mail address of the person"))
    reason = TextAreaField(_l("Reason (the person's request: when and how it came)"))
    submit = SubmitField(_l("Download the person's data (ZIP)"))


class ErasureForm(FlaskForm):
    confirmation = StringField(_l("Type the person's e-mail address to confirm"))
    reason = TextAreaField(_l("Reason (e.g. the person's request and its date, or leaving)"))
    submit = SubmitField(_l("Erase this person for good"))
