"""The record of processing activities (Verzeichnis von Verarbeitungstätigkeiten, Art. 30
GDPR) for the data protection officer, generated from the settings: what personal data the
app stores, for what, who sees it, and for how long."""

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from app.accounts import settings
from app.privacy import retention


@dataclass
class Activity:
    key: str
    title: str
    purpose: str
    data: str
    people: str
    recipients: str
    retention: str


def _months(n):
    return ngettext("%(num)d month", "%(num)d months", n)


def _days(n):
    return ngettext("%(num)d day", "%(num)d days", n)


def values():
    """Every setting the record depends on, in one dict (also shown on the page)."""
    stored = settings.current()
    return {
        **retention.current(),
        "report_min_group": settings.report_min_group(),
        "survey_min_group": current_app.config["SURVEY_MIN_GROUP"],
        # The works-council mode exists once that part is installed; None: not available.
        "works_council_mode": stored.get("works_council_mode"),
    }


def activities(values):
    """The processing activities, each with its retention from the values."""
    employees = _("Employees with an account (learners, trainers, HR, administrators)")
    if values.get("works_council_mode") is None:
        council = ""
    elif values["works_council_mode"]:
        council = " " + _(
            "Works-council mode is on: HR, trainers and administrators see one person's data "
            "only after a second person approved their request."
        )
    else:
        council = " " + _("Works-council mode is off.")
    return [
        Activity(
            "accounts",
            _("User accounts and organisation"),
            _("Logging in; assigning trainings by department and job role; roles and access."),
            _(
                "Name, e-mail address, department, job role, roles, language, password hash "
                "(argon2), time of the last login."
            ),
            employees,
            _("The person; administrators; HR sees name, department and job role."),
            _(
                "As long as the account exists. An administrator erases the person on request "
                "(Art. 17 GDPR) or when they leave: personal data is removed, a pseudonymous "
                "record remains."
            ),
        ),  # fmt: skip
        Activity(
            "learning",
            _("Learning progress and mandatory trainings"),
            _(
                "Showing the person their courses; proving mandatory trainings (data protection, "
                "IT security) and reminding of due and expiring ones."
            ),
            _(
                "Enrolments, assignments with due dates, completions with their expiry, "
                "lessons done, reminder messages."
            ),
            employees,
            _(
                "The person; HR and administrators see completions and due dates, never lessons "
                "or time spent per lesson."
            ),
            _(
                "Enrolments and completions as long as the account exists; lessons done in "
                "finished course rounds %(period)s after they were done.",
                period=_days(values["progress_days"]),
            ),
        ),  # fmt: skip
        Activity(
            "attempts",
            _("Quiz attempts"),
            _("Assessing competences; evidence for passed quizzes; grading free-text answers."),
            _("Answers given, points, result, start and submission time."),
            _("Employees who take quizzes"),
            _(
                "The person (as the quiz allows); trainers grade free-text answers and read "
                "question statistics."
            ),
            _(
                "Answers %(period)s after submission; the result (score, passed) as long as the "
                "account exists.",
                period=_months(values["attempts_months"]),
            ),
        ),  # fmt: skip
        Activity(
            "evidence",
            _("Competence evidence and Medienpässe"),
            _("Showing and proving which media competences a person holds."),
            _(
                "Evidence per competence (level, source, issuer, justification, dates); issued "
                "passes (signed snapshot of the levels with the holder's name)."
            ),
            employees,
            _(
                "The person; trainers, HR and administrators (every view of another person's "
                "profile is audited); anyone the holder gives a pass's serial number sees its "
                "name and levels."
            ),
            _(
                "As long as the account exists. When a person is erased, their passes are "
                "revoked and keep only serial number, hash and status, without the name."
            ),
        ),  # fmt: skip
        Activity(
            "reports",
            _("HR reports"),
            _("Competence matrix, gap report and compliance by department and job role."),
            _("Levels, completions and due dates of the people reported on."),
            employees,
            _(
                "HR and administrators. Aggregates over fewer than %(n)d people are withheld.",
                n=values["report_min_group"],
            )
            + council,
            _("Not stored: computed when opened; every person-level view and export is audited."),
        ),  # fmt: skip
        Activity(
            "feedback",
            _("Course feedback"),
            _("Improving courses."),
            _(
                "Answers without name and without time (the day only); separately, that a "
                "person has answered (to answer once)."
            ),
            _("Employees who give feedback"),
            _(
                "Trainers and administrators see results from %(n)d answers on.",
                n=values["survey_min_group"],
            ),
            _(
                "Answers %(period)s; that a person answered, as long as the account exists.",
                period=_months(values["feedback_months"]),
            ),
        ),  # fmt: skip
        Activity(
            "audit",
            _("Audit log"),
            _(
                "Accountability: who viewed or exported whose personal data, and every change "
                "of roles, frameworks, grades and passes."
            ),
            _("Acting person, action, the person or thing concerned, time, IP address."),
            employees,
            _("Administrators; each person reads the entries about their own data."),
            _(
                "%(period)s, then deleted by the nightly purge.",
                period=_months(values["audit_months"]),
            ),
        ),  # fmt: skip
        Activity(
            "projects",
            _("Training projects"),
            _("Planning training measures."),
            _("The person responsible for an activity."),
            _("Trainers and other people responsible for activities"),
            _("Trainers and administrators."),
            _("As long as the project exists; an erased person is removed from it."),
        ),  # fmt: skip
    ]
