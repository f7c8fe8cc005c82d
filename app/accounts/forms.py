"""Forms of the accounts package."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

ROLE_LABELS = {
    "learner": _l("Learner"),
    "trainer": _l("Trainer"),
    "hr": _l("HR"),
    "admin": _l("Administrator"),
}


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired()])
    confirm_password = PasswordField(_l("Repeat the new password"), validators=[DataRequired()])
    submit = SubmitField(_l("Change password"))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class UserForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    department_id = SelectField(_l("Department"), coerce=optional_int)
    job_role_id = SelectField(_l("Job role"), coerce=optional_int)
    roles = MultiCheckboxField(_l("Roles"), choices=list(ROLE_LABELS.items()))
    password = PasswordField(_l("Password"), validators=[Optional()])
    submit = SubmitField(_l("Save"))

    def fill_choices(self, departments, job_roles):
        self.department_id.choices = [("", _l("– choose –"))] + [
            (dep.id, dep.name) for dep in departments
        ]
        self.job_role_id.choices = [("", _l("– choose –"))] + [
            (job.id, job.name) for job in job_roles
        ]


class OrgUnitForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Save"))


class UserImportForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        validators=[FileRequired(), FileAllowed(["csv", "txt"], _l("Please upload a CSV file."))],
    )
    submit = SubmitField(_l("Import"))


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    # A text field, not a list of everyone: the log of a large company names thousands.
    actor = StringField(_l("Actor"), validators=[Optional(), Length(max=254)])
    action = SelectField(_l("Action"), validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    submit = SubmitField(_l("Filter"))


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional()])
    role = SelectField(
        _l("Role"),
        validators=[Optional()],
        choices=[("", _l("All roles"))] + list(ROLE_LABELS.items()),
    )
    department = SelectField(_l("Department"), coerce=optional_int, validators=[Optional()])
    status = SelectField(
        _l("Status"),
        validators=[Optional()],
        choices=[("", _l("All")), ("active", _l("Active")), ("inactive", _l("Deactivated"))],
    )
    submit = SubmitField(_l("Search"))


class SettingsForm(FlaskForm):
    """The admin's settings; the service checks the values (app/accounts/settings.py)."""

    company_name = StringField(_l("Company name"), validators=[Optional()])
    brand_colour = StringField(_l("Brand colour of the Medienpass"), validators=[Optional()])
    logo = FileField(_l("Logo on the Medienpass (PNG or JPEG, at most 300 KB)"))
    remove_logo = BooleanField(_l("Remove the uploaded logo"))
    report_min_group = IntegerField(_l("Minimum group size of reports"), validators=[Optional()])
    works_council_mode = BooleanField(
        _l("Works-council mode: person-level reports need a second approver")
    )
    submit = SubmitField(_l("Save"))
