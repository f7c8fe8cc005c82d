"""The main menu: which pages each role may use. Packages add their entries here."""

from flask import current_app, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from app.accounts import settings
from app.accounts.forms import ROLE_LABELS
from app.extensions import db

# (section title, role, [(endpoint, label)]); a section shows when the user holds the role.
MENU = (
    (
        _l("Learning"),
        "learner",
        [
            ("main.learner_start", _l("My dashboard")),
            ("courses.catalogue", _l("Course catalogue")),
            ("assessments.my_surveys", _l("Course feedback")),
            ("frameworks.my_profile", _l("My competence profile")),
            ("passes.mine", _l("My Medienpass")),
        ],
    ),
    (
        _l("Training"),
        "trainer",
        [
            ("main.trainer_start", _l("Trainer overview")),
            ("frameworks.index", _l("Competence frameworks")),
            ("courses.manage", _l("Courses")),
            ("assessments.banks", _l("Question banks")),
            ("assessments.quizzes_list", _l("Quizzes")),
            ("assessments.surveys_index", _l("Course feedback")),
            ("frameworks.media_concept", _l("Media concept")),
            ("projects.index", _l("Training projects")),
            ("frameworks.people", _l("Competence profiles")),
            ("frameworks.new_evidence", _l("Rate a person")),
            ("council.requests_page", _l("Access requests")),
        ],
    ),
    (
        _l("HR"),
        "hr",
        [
            ("main.hr_start", _l("HR overview")),
            ("hr.import_users", _l("Import users")),
            ("courses.compliance", _l("Compliance")),
            ("courses.assignable", _l("Assign courses")),
            ("frameworks.people", _l("Competence profiles")),
            ("frameworks.new_evidence", _l("Record prior learning")),
            ("reports.matrix", _l("Competence matrix")),
            ("reports.gaps", _l("Gap report")),
            ("passes.manage", _l("Medienpässe")),
            ("privacy.export_request", _l("Data export on request")),
            ("council.requests_page", _l("Access requests")),
        ],
    ),
    (
        _l("Administration"),
        "admin",
        [
            ("main.admin_start", _l("Overview")),
            ("admin.users", _l("Users")),
            ("admin.departments", _l("Departments")),
            ("admin.job_roles", _l("Job roles")),
            ("hr.import_users", _l("Import users")),
            ("admin.audit_log", _l("Audit log")),
            ("admin.settings_page", _l("Settings")),
            ("privacy.processing_record", _l("Privacy (GDPR)")),
            ("council.requests_page", _l("Access requests")),
        ],
    ),
)


def menu_for(user):
    if not user.is_authenticated:
        return []
    return [(title, entries) for title, role, entries in MENU if user.has_role(role)]


def _company_name():
    """The company's name from the settings; the configured one when the database cannot
    answer (the page that says so must still render)."""
    try:
        return settings.company_name()
    except SQLAlchemyError:
        db.session.rollback()
        return current_app.config["COMPANY_NAME"]


def inject_navigation():
    """What base.html needs on every page."""
    return {
        "nav_sections": menu_for(current_user),
        "current_endpoint": request.endpoint,
        "current_locale": str(get_locale()),
        "company_name": _company_name(),
        "role_labels": ROLE_LABELS,
    }
