"""Every endpoint × every role: the status each may get. A new endpoint without a row fails."""

from datetime import date

import pytest

from app import jobs
from app.assessments import attempts, quizzes
from app.assessments import services as question_services
from app.assessments.models import Question, QuestionBank, QuestionCategory, Survey, SurveyItem
from app.courses import attachments
from app.courses import services as course_services
from app.frameworks import evidence
from app.frameworks import services as framework_services
from app.mediapass import bulk, issuing
from tests.conftest import csrf_token, login
from tests.unit.test_framework_formats import ITEMS, LINKS, case_package

ROLES = ("anonymous", "learner", "trainer", "hr", "admin")

# endpoint: (method, {role: status}); "*" is the default for roles not named.
LOGIN = 302  # anonymous people are sent to the login page
TRAINERS = {"anonymous": LOGIN, "trainer": 200, "admin": 200, "*": 403}
TRAINER_POSTS = {"anonymous": LOGIN, "trainer": 302, "admin": 302, "*": 403}
LEARNER_ONLY = {"anonymous": LOGIN, "learner": 200, "*": 403}
NOT_YOURS = {"anonymous": LOGIN, "learner": 404, "*": 403}
TABLE = {
    "static": ("GET", {"*": 200}),
    "main.index": ("GET", {"*": 302}),
    "main.healthz": ("GET", {"*": 200}),
    "main.set_language": ("POST", {"*": 302}),
    "main.learner_start": ("GET", {"anonymous": LOGIN, "learner": 200, "*": 403}),
    "main.trainer_start": ("GET", {"anonymous": LOGIN, "trainer": 200, "*": 403}),
    "main.hr_start": ("GET", {"anonymous": LOGIN, "hr": 200, "*": 403}),
    "main.admin_start": ("GET", {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "accounts.login": ("GET", {"anonymous": 200, "*": 302}),
    "accounts.logout": ("POST", {"*": 302}),
    "accounts.account": ("GET", {"anonymous": LOGIN, "*": 200}),
    "admin.users": ("GET", {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "admin.user_new": ("GET", {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "admin.user_edit": ("GET", {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "admin.user_set_active": ("POST", {"anonymous": LOGIN, "admin": 302, "*": 403}),
    "admin.departments": ("GET", {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "admin.department_edit": ("GET", {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "admin.department_delete": ("POST", {"anonymous": LOGIN, "admin": 302, "*": 403}),
    "admin.job_roles": ("GET", {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "admin.job_role_edit": ("GET", {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "admin.job_role_delete": ("POST", {"anonymous": LOGIN, "admin": 302, "*": 403}),
    "admin.audit_log": ("GET", {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "admin.audit_export": ("GET", {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "admin.settings_page": ("GET", {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "privacy.my_export": ("POST", {"anonymous": LOGIN, "*": 200}),  # one's own data, any role
    "privacy.export_request": ("GET", {"anonymous": LOGIN, "hr": 200, "admin": 200, "*": 403}),
    "privacy.erase": ("GET", {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "privacy.retention_page": ("GET", {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "privacy.processing_record": ("GET", {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "hr.import_users": ("GET", {"anonymous": LOGIN, "hr": 200, "admin": 200, "*": 403}),
    "frameworks.index": ("GET", TRAINERS),
    "frameworks.show": ("GET", TRAINERS),
    "frameworks.import_file": ("GET", TRAINERS),
    "frameworks.export": ("GET", TRAINERS),
    "frameworks.my_profile": ("GET", {"anonymous": LOGIN, "learner": 200, "*": 403}),
    "frameworks.requirements": ("GET", TRAINERS),
    "frameworks.new_evidence": ("GET", {"anonymous": LOGIN, "learner": 403, "*": 200}),
    "frameworks.publish": ("POST", {"anonymous": LOGIN, "trainer": 302, "admin": 302, "*": 403}),
    "frameworks.new_version": (
        "POST",
        {"anonymous": LOGIN, "trainer": 302, "admin": 302, "*": 403},
    ),
    "frameworks.compare": ("GET", TRAINERS),
    "frameworks.retire": ("POST", {"anonymous": LOGIN, "trainer": 302, "admin": 302, "*": 403}),
    "frameworks.media_concept": ("GET", {"anonymous": LOGIN, "learner": 403, "*": 200}),
    "frameworks.edit_competence": ("GET", TRAINERS),
    "frameworks.add_competence": (
        "POST",
        {"anonymous": LOGIN, "trainer": 302, "admin": 302, "*": 403},
    ),
    "frameworks.move_competence": (
        "POST",
        {"anonymous": LOGIN, "trainer": 302, "admin": 302, "*": 403},
    ),
    "frameworks.remove_competence": (
        "POST",
        {"anonymous": LOGIN, "trainer": 302, "admin": 302, "*": 403},
    ),
    "frameworks.copy_requirements": (
        "POST",
        {"anonymous": LOGIN, "trainer": 302, "admin": 302, "*": 403},
    ),
    "frameworks.edit_scale": ("GET", TRAINERS),
    "frameworks.people": ("GET", {"anonymous": LOGIN, "learner": 403, "*": 200}),
    "frameworks.person_profile": ("GET", {"anonymous": LOGIN, "learner": 403, "*": 200}),
    # The target is a course completion: trainers and admins may revoke it, HR may not see it.
    "frameworks.revoke_evidence": (
        "POST",
        {"anonymous": LOGIN, "learner": 403, "hr": 404, "*": 302},
    ),
    # Learning: learners only. The target course is published; the learner is not enrolled,
    # so lessons send it to the course page and marking one done is refused (302 both).
    "courses.catalogue": ("GET", LEARNER_ONLY),
    "courses.course": ("GET", LEARNER_ONLY),
    "courses.enrol": ("POST", {"anonymous": LOGIN, "learner": 302, "*": 403}),
    "courses.repeat": ("POST", {"anonymous": LOGIN, "learner": 302, "*": 403}),
    "courses.lesson": ("GET", {"anonymous": LOGIN, "learner": 302, "*": 403}),
    "courses.lesson_done": ("POST", {"anonymous": LOGIN, "learner": 302, "*": 403}),
    # An attachment of a published course: everyone who is logged in may see the course.
    "courses.attachment": ("GET", {"anonymous": LOGIN, "*": 200}),
    # Building courses: trainers and admins.
    "courses.manage": ("GET", TRAINERS),
    "courses.new_course": ("GET", TRAINERS),
    "courses.edit_course": ("GET", TRAINERS),
    "courses.build": ("GET", TRAINERS),
    "courses.preview": ("GET", TRAINERS),
    "courses.edit_lesson": ("GET", TRAINERS),
    "courses.competences": ("GET", TRAINERS),
    "courses.prerequisites": ("GET", TRAINERS),
    "courses.add_module": ("POST", TRAINER_POSTS),
    "courses.module_action": ("POST", TRAINER_POSTS),
    "courses.lesson_action": ("POST", TRAINER_POSTS),
    "courses.remove_attachment": ("POST", TRAINER_POSTS),
    "courses.publish": ("POST", TRAINER_POSTS),
    "courses.archive": ("POST", TRAINER_POSTS),
    "courses.assign": ("GET", {"anonymous": LOGIN, "learner": 403, "*": 200}),
    "courses.assignable": ("GET", {"anonymous": LOGIN, "learner": 403, "*": 200}),
    # Question banks: trainers and admins.
    "assessments.banks": ("GET", TRAINERS),
    "assessments.bank": ("GET", TRAINERS),
    "assessments.export": ("GET", TRAINERS),
    "assessments.import_gift": ("GET", TRAINERS),
    "assessments.new_question": ("GET", TRAINERS),
    "assessments.edit_question": ("GET", TRAINERS),
    "assessments.delete_question": ("POST", TRAINER_POSTS),  # the target is in no quiz
    # Quizzes: learners take published quizzes; the target attempt is another person's (404).
    "assessments.quiz": ("GET", LEARNER_ONLY),
    "assessments.start": ("POST", {"anonymous": LOGIN, "learner": 302, "*": 403}),
    "assessments.attempt": ("GET", NOT_YOURS),
    "assessments.summary": ("GET", NOT_YOURS),
    "assessments.submit": ("POST", NOT_YOURS),
    "assessments.review": ("GET", NOT_YOURS),
    "assessments.quizzes_list": ("GET", TRAINERS),
    "assessments.new_quiz": ("GET", TRAINERS),
    "assessments.publish_quiz": ("POST", TRAINER_POSTS),
    "assessments.edit_quiz": ("GET", TRAINERS),
    "assessments.quiz_competences": ("GET", TRAINERS),
    # No bank named: nothing to add from.
    "assessments.add_quiz_questions": (
        "POST",
        {"anonymous": LOGIN, "trainer": 404, "admin": 404, "*": 403},
    ),
    "assessments.add_random_questions": ("POST", TRAINERS),  # the form says what is missing
    # The target quiz has an attempt, so the refusal comes back as a message.
    "assessments.remove_quiz_slot": ("POST", TRAINER_POSTS),
    "assessments.move_quiz_slot": ("POST", TRAINER_POSTS),
    "assessments.grading": ("GET", TRAINERS),
    "assessments.statistics": ("GET", TRAINERS),
    "assessments.statistics_csv": ("GET", TRAINERS),
    # Course feedback: trainers and admins create surveys and read results; learners answer
    # surveys of their courses only (the target learner is not enrolled in the target course).
    "assessments.surveys_index": ("GET", TRAINERS),
    "assessments.survey_new": ("GET", TRAINERS),
    "assessments.survey": ("GET", TRAINERS),
    "assessments.my_surveys": ("GET", LEARNER_ONLY),
    "assessments.survey_answer": ("GET", {"anonymous": LOGIN, "learner": 404, "*": 403}),
    # Everyone reads and marks their own notifications only.
    "courses.notifications": ("GET", {"anonymous": LOGIN, "*": 200}),
    "courses.notifications_read": ("POST", {"anonymous": LOGIN, "*": 302}),
    "courses.compliance": ("GET", {"anonymous": LOGIN, "hr": 200, "admin": 200, "*": 403}),
    "courses.compliance_people": (
        "GET",
        {"anonymous": LOGIN, "hr": 200, "admin": 200, "*": 403},
    ),
    "courses.compliance_csv": ("GET", {"anonymous": LOGIN, "hr": 200, "admin": 200, "*": 403}),
    "courses.coverage": ("GET", TRAINERS),
    # The Medienpass: verification and keys are public; the target pass is another
    # learner's, which HR and admins may fetch and revoke.
    "passes.key_set": ("GET", {"*": 200}),
    "passes.verify": ("GET", {"*": 200}),
    "passes.verify_form": ("GET", {"*": 200}),
    "passes.download": ("GET", {"anonymous": LOGIN, "hr": 200, "admin": 200, "*": 404}),
    "passes.mine": ("GET", LEARNER_ONLY),
    "passes.issue_mine": ("POST", {"anonymous": LOGIN, "learner": 302, "*": 403}),
    "passes.manage": ("GET", {"anonymous": LOGIN, "hr": 200, "admin": 200, "*": 403}),
    "passes.revoke": ("POST", {"anonymous": LOGIN, "hr": 302, "admin": 302, "*": 403}),
    # HR's reports: person-level and aggregates, for HR and admins only. No framework is
    # published here: the pages say so, the exports have nothing to export.
    "reports.matrix": ("GET", {"anonymous": LOGIN, "hr": 200, "admin": 200, "*": 403}),
    "reports.matrix_csv": ("GET", {"anonymous": LOGIN, "hr": 404, "admin": 404, "*": 403}),
    "reports.matrix_xlsx": ("GET", {"anonymous": LOGIN, "hr": 404, "admin": 404, "*": 403}),
    "reports.gaps": ("GET", {"anonymous": LOGIN, "hr": 200, "admin": 200, "*": 403}),
    "reports.gaps_csv": ("GET", {"anonymous": LOGIN, "hr": 404, "admin": 404, "*": 403}),
    "reports.gaps_xlsx": ("GET", {"anonymous": LOGIN, "hr": 404, "admin": 404, "*": 403}),
    "passes.bulk": ("GET", {"anonymous": LOGIN, "hr": 200, "admin": 200, "*": 403}),
    "passes.job": ("GET", {"anonymous": LOGIN, "hr": 200, "admin": 200, "*": 403}),
    "passes.job_status": ("GET", {"anonymous": LOGIN, "hr": 200, "admin": 200, "*": 403}),
    # The target job has finished: its ZIP is there.
    "passes.job_download": ("GET", {"anonymous": LOGIN, "hr": 200, "admin": 200, "*": 403}),
    # Training projects: trainers and admins plan them; the target has two linked activities.
    "projects.index": ("GET", TRAINERS),
    "projects.new": ("GET", TRAINERS),
    "projects.import_file": ("GET", TRAINERS),
    "projects.show": ("GET", TRAINERS),
    "projects.settings": ("GET", TRAINERS),
    "projects.activities": ("GET", TRAINERS),
    "projects.pdf": ("GET", TRAINERS),
    "projects.export": ("GET", TRAINERS),
    "projects.delete": ("POST", TRAINER_POSTS),
    # No group chosen: the list page says so.
    "projects.from_gaps": ("POST", TRAINER_POSTS),
    # Works-council approvals: trainers, HR and admins ask; HR and admins decide (the target
    # is a trainer's pending request); everybody reads who looked at their own data.
    "council.requests_page": ("GET", {"anonymous": LOGIN, "learner": 403, "*": 200}),
    "council.decide": ("POST", {"anonymous": LOGIN, "hr": 302, "admin": 302, "*": 403}),
    "council.my_data_access": ("GET", {"anonymous": LOGIN, "*": 200}),
}


# Endpoints that show a form by GET and take it by POST: the POST per role. An empty form
# comes back with its errors (200) for those who may use it; an edit form keeps the stored
# values for fields not sent, and so saves (302).
FORM_POSTS = {
    "accounts.login": {"anonymous": 200, "*": 302},
    "accounts.account": {"anonymous": LOGIN, "*": 200},
    "admin.user_new": {"anonymous": LOGIN, "admin": 200, "*": 403},
    "admin.user_edit": {"anonymous": LOGIN, "admin": 200, "*": 403},
    "admin.departments": {"anonymous": LOGIN, "admin": 200, "*": 403},
    "admin.department_edit": {"anonymous": LOGIN, "admin": 302, "*": 403},
    "admin.job_roles": {"anonymous": LOGIN, "admin": 200, "*": 403},
    "admin.settings_page": {"anonymous": LOGIN, "admin": 200, "*": 403},
    # An empty form says what is missing: nothing is exported, erased or saved.
    "privacy.export_request": {"anonymous": LOGIN, "hr": 200, "admin": 200, "*": 403},
    "privacy.erase": {"anonymous": LOGIN, "admin": 200, "*": 403},
    "privacy.retention_page": {"anonymous": LOGIN, "admin": 200, "*": 403},
    "admin.job_role_edit": {"anonymous": LOGIN, "admin": 302, "*": 403},
    "hr.import_users": {"anonymous": LOGIN, "hr": 200, "admin": 200, "*": 403},
    "frameworks.import_file": TRAINERS,
    "frameworks.requirements": {"anonymous": LOGIN, "trainer": 302, "admin": 302, "*": 403},
    "frameworks.new_evidence": {"anonymous": LOGIN, "learner": 403, "*": 200},
    "frameworks.media_concept": {"anonymous": LOGIN, "trainer": 302, "admin": 302, "*": 403},
    "frameworks.edit_competence": {"anonymous": LOGIN, "trainer": 302, "admin": 302, "*": 403},
    "frameworks.edit_scale": TRAINERS,
    "courses.new_course": TRAINERS,
    "assessments.import_gift": TRAINERS,
    "assessments.new_question": TRAINERS,  # an empty question: the form says what is missing
    "assessments.edit_question": TRAINERS,
    "assessments.survey_new": TRAINERS,
    "assessments.attempt": NOT_YOURS,
    "assessments.new_quiz": TRAINERS,
    "assessments.edit_quiz": TRAINERS,  # an empty form says what is missing
    "assessments.quiz_competences": TRAINERS,  # no published framework here: the page says so
    # A post without an answer to grade finds none.
    "assessments.grading": {"anonymous": LOGIN, "trainer": 404, "admin": 404, "*": 403},
    "assessments.survey_answer": {"anonymous": LOGIN, "learner": 404, "*": 403},
    "courses.edit_course": TRAINER_POSTS,
    "courses.edit_lesson": TRAINER_POSTS,
    "courses.competences": TRAINERS,  # no published framework here: the page says so
    "courses.prerequisites": TRAINER_POSTS,
    "courses.assign": {"anonymous": LOGIN, "learner": 403, "*": 200},
    "passes.verify_form": {"*": 200},  # no file: the page asks for one
    # No group chosen: the page says so.
    "passes.bulk": {"anonymous": LOGIN, "hr": 200, "admin": 200, "*": 403},
    "projects.new": TRAINERS,  # an empty form says what is missing
    "projects.settings": TRAINERS,
    "projects.import_file": TRAINERS,  # no file: the page asks for one
    # No rows sent: every activity is gone from the table (the form always sends them all).
    "projects.activities": TRAINER_POSTS,
    # Nothing chosen: the form says what is missing.
    "council.requests_page": {"anonymous": LOGIN, "learner": 403, "*": 200},
}


def expected(endpoint, role):
    statuses = TABLE[endpoint][1]
    return statuses.get(role, statuses["*"])


def test_every_endpoint_has_a_row(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(TABLE) == set(), "endpoints without a row in the access table"
    assert set(TABLE) - endpoints == set(), "rows for endpoints that do not exist"
    form_endpoints = {
        rule.endpoint for rule in app.url_map.iter_rules() if {"GET", "POST"} <= set(rule.methods)
    }
    assert form_endpoints == set(FORM_POSTS), "GET+POST endpoints and FORM_POSTS differ"


# URL argument -> how to get it from the targets (built only when an endpoint needs them).
ARGUMENTS = {
    "user_id": lambda t, endpoint: t["user"].id,
    "record_id": lambda t, endpoint: (
        t["department"] if "department" in endpoint else t["job_role"]
    ).id,
    "filename": lambda t, endpoint: "css/app.css",
    "framework_id": lambda t, endpoint: t["framework"].id,
    "fmt": lambda t, endpoint: "json",
    "competence_id": lambda t, endpoint: t["framework"].competences[-1].id,
    "person_id": lambda t, endpoint: t["user"].id,
    "evidence_id": lambda t, endpoint: t["evidence"].id,
    "course_id": lambda t, endpoint: t["course"].id,
    "department_id": lambda t, endpoint: t["department"].id,
    "module_id": lambda t, endpoint: t["course"].modules[0].id,
    "lesson_id": lambda t, endpoint: t["course"].modules[0].lessons[0].id,
    "attachment_id": lambda t, endpoint: t["attachment"].id,
    "action": lambda t, endpoint: "up",
    "bank_id": lambda t, endpoint: t["bank"].id,
    "question_id": lambda t, endpoint: t["question"].id,
    "survey_id": lambda t, endpoint: t["survey"].id,
    "quiz_id": lambda t, endpoint: t["quiz"].id,
    "attempt_id": lambda t, endpoint: t["attempt"].id,
    "slot_id": lambda t, endpoint: t["quiz"].slots[0].id,
    "serial": lambda t, endpoint: t["pass"].serial,
    "job_id": lambda t, endpoint: t["job"].id,
    "project_id": lambda t, endpoint: t["project"].id,
    "request_id": lambda t, endpoint: t["access_request"].id,
}


def _url(app, endpoint, target):
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    values = {argument: ARGUMENTS[argument](target, endpoint) for argument in rule.arguments}
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **values)


class Targets(dict):
    """The objects the URLs point at, each made the first time a URL needs it."""

    def __init__(self, factory):
        super().__init__()
        self.factory = factory

    def __missing__(self, key):
        value = getattr(self, f"_make_{key}")()
        self[key] = value
        return value

    def _make_framework(self):
        framework, _count, _warnings = framework_services.import_framework(
            None, case_package(ITEMS, LINKS)
        )
        return framework

    def _make_user(self):
        return self.factory.user(roles=("learner",))

    def _make_department(self):
        return self.factory.department()

    def _make_job_role(self):
        return self.factory.job_role()

    def _make_evidence(self):
        competence = self["framework"].competences[-1]
        return evidence.record_evidence(None, self["user"], competence, 1, "course", date.today())

    def _make_course(self):
        course = self.factory.course(
            [(next(c for c in self["framework"].competences if c.depth == 1), 1)],
            title="Datenschutz",
            mandatory=True,
            validity_months=12,
            publish=False,
        )
        self["attachment"] = attachments.add_attachment(
            None, course.modules[0].lessons[0], "merkblatt.pdf", b"%PDF-1.4 Merkblatt"
        )
        course_services.publish(None, course)
        return course

    def _make_attachment(self):
        self["course"]  # noqa: B018  (making the course attaches the file)
        return self["attachment"]

    def _make_bank(self):
        return _bank(self.factory.db)

    def _make_question(self):
        return _question(self.factory.db, self["bank"])

    def _make_quiz(self):
        quiz, self["attempt"] = _quiz_and_attempt(self.factory.db, self["framework"], self["user"])
        return quiz

    def _make_attempt(self):
        self["quiz"]  # noqa: B018  (making the quiz starts the attempt)
        return self["attempt"]

    def _make_pass(self):
        framework_services.publish(None, self["framework"])
        return issuing.issue(None, self["user"], self["framework"])

    def _make_job(self):
        self["pass"]  # noqa: B018  (a published framework and a person to issue to)
        params = bulk.prepare(bulk.choose(everyone=True))
        job = jobs.create(bulk.KIND, params)
        return jobs.run(job.id)

    def _make_project(self):
        from app.projects import services as project_services

        project = project_services.create_project(
            None, project_services.ProjectData(name="Einführung", start_on=date(2026, 3, 2))
        )
        rows = [
            project_services.TableRow("A", "Bedarf klären", "2"),
            project_services.TableRow("B", "Schulung", "3", "A AF+1"),
        ]
        project_services.save_table(None, project, rows)
        return project

    def _make_access_request(self):
        from app.council.models import AccessRequest

        trainer = self.factory.user(roles=("trainer",))
        request = AccessRequest(
            requester_id=trainer.id,
            scope="person",
            person_id=self["user"].id,
            reason="Gespräch über die Weiterbildung",
        )
        self.factory.db.session.add(request)
        self.factory.db.session.flush()
        return request

    def _make_survey(self):
        return _survey(self.factory.db, self["course"])


def _targets(factory):
    return Targets(factory)


def _quiz_and_attempt(db, framework, person):
    bank, _counts, _skipped = question_services.import_gift(
        None, "Netiquette", b"::A::Anrede in E-Mails? {=Sie ~Du}\n"
    )
    quiz = quizzes.save_quiz(None, None, "Netiquette-Quiz")
    quizzes.add_questions(None, quiz, question_services.bank_questions(bank))
    quizzes.set_competences(None, quiz, {next(c for c in framework.competences if c.depth == 1): 1})
    quizzes.publish(None, quiz)
    return quiz, attempts.start(person, quiz)


def _bank(db):
    bank = QuestionBank(name="Datenschutz")
    db.session.add(bank)
    db.session.flush()
    return bank


def _question(db, bank):
    question = Question(
        category=QuestionCategory(bank=bank, name="Grundlagen", path="Grundlagen"),
        kind="single_choice",
        text="Wer darf Kundendaten sehen?",
        answers=[{"text": "Wer sie braucht", "weight": 100.0}, {"text": "Alle", "weight": 0.0}],
    )
    db.session.add(question)
    db.session.flush()
    return question


def _survey(db, course):
    survey = Survey(
        course_id=course.id,
        title="Feedback",
        items=[SurveyItem(position=1, kind="likert", text="Gut")],
    )
    db.session.add(survey)
    db.session.flush()
    return survey


def _client(app, users, role):
    client = app.test_client()
    if role != "anonymous":
        assert login(client, users[role].email).status_code == 302
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(FORM_POSTS))
def test_form_post_per_role(app, factory, users, endpoint, role):
    client = _client(app, users, role)
    url = _url(app, endpoint, _targets(factory))
    client.get("/login")
    response = client.post(url, data={"csrf_token": csrf_token(client)})
    statuses = FORM_POSTS[endpoint]
    assert response.status_code == statuses.get(role, statuses["*"]), (endpoint, role)


@pytest.mark.parametrize(
    "endpoint",
    sorted(e for e, (method, _s) in TABLE.items() if method == "POST") + sorted(FORM_POSTS),
)
def test_every_post_without_csrf_token_is_refused(app, factory, users, endpoint):
    """Posted by someone who may use the endpoint, but without the token: 400, nothing done."""
    statuses = FORM_POSTS.get(endpoint) or TABLE[endpoint][1]
    # Someone who may use it; else someone who gets past the role check (the target is not
    # theirs: 404), since the token is checked before the route loads anything.
    role = next(
        r
        for wanted in ((200, 302), (404,))
        for r in ROLES
        if statuses.get(r, statuses["*"]) in wanted
    )
    client = _client(app, users, role)
    response = client.post(_url(app, endpoint, _targets(factory)), data={"active": "0"})
    assert response.status_code == 400, (endpoint, role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(TABLE))
def test_status_per_role(app, factory, users, endpoint, role):
    client = _client(app, users, role)
    method, _statuses = TABLE[endpoint]
    url = _url(app, endpoint, _targets(factory))
    if method == "GET":
        response = client.get(url)
    else:
        client.get("/login")  # any page puts a CSRF token into the session
        response = client.post(url, data={"csrf_token": csrf_token(client)})
    assert response.status_code == expected(endpoint, role), (endpoint, role, url)
    if (
        response.status_code == LOGIN
        and role == "anonymous"
        and endpoint
        not in (
            "main.index",
            "main.set_language",
            "accounts.logout",
        )
    ):
        assert response.headers["Location"].startswith("/login")
