"""Forms of works-council approvals."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Optional


class AccessRequestForm(FlaskForm):
    """Whose data: a department or job role ("department:3", "job_role:5") or one person by
    e-mail; the service checks the values (app/council/approvals.py)."""

    group = SelectField(
        _l("Department or job role"), validators=[Optional()], validate_choice=False
    )
    person = StringField(_l("or one person (e-mail address)"), validators=[Optional()])
    reason = TextAreaField(_l("Reason"), validators=[Optional()])
    submit = SubmitField(_l("Ask for approval"))
