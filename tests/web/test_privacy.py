"""Privacy (DSGVO): a person's export holds exactly their data; erasure leaves nothing of
the person in any table while their passes stay verifiable as revoked; the purge keeps each
kind for its retention period; the record of processing activities follows the settings."""

import io
import json
import zipfile
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from app.accounts import services as account_services
from app.accounts.models import AuditEntry, Setting, User, utcnow
from app.assessments import attempts, quizzes, surveys
from app.assessments import services as question_services
from app.assessments.models import (
    Attempt,
    AttemptAnswer,
    Survey,
    SurveyAnswer,
    SurveyItem,
    SurveyParticipation,
    SurveyResponse,
)
from app.courses import learning
from app.courses.models import Completion, Enrolment, LessonProgress, OutboxMessage
from app.frameworks import evidence as evidence_service
from app.frameworks import services as framework_services
from app.frameworks.models import Evidence
from app.mediapass import issuing
from app.mediapass.models import MedienPass
from tests.conftest import csrf_token, login
from tests.unit.test_framework_formats import ITEMS, LINKS, case_package


@pytest.fixture()
def world(db, factory, users):
    """A published framework, a course of two lessons with a feedback survey, a published
    quiz with a free-text question; trainer, HR and admin from `users`."""
    framework, _count, _warnings = framework_services.import_framework(
        None, case_package(ITEMS, LINKS)
    )
    framework_services.publish(None, framework)
    competence = next(c for c in framework.competences if c.depth == 1)
    course = factory.course([(competence, 1)], title="Datenschutz", lessons=2)
    survey = Survey(
        course_id=course.id,
        title="Feedback",
        items=[
            SurveyItem(position=1, kind="likert", text="Verständlich"),
            SurveyItem(position=2, kind="text", text="Was fehlt?"),
        ],
    )
    db.session.add(survey)
    db.session.commit()
    bank, _counts, _skipped = question_services.import_gift(
        None, "Vorstellung", b"::A::Wer sind Sie? {=Niemand}\n"
    )
    quiz = quizzes.save_quiz(None, None, "Vorstellungsrunde")
    quizzes.add_questions(None, quiz, question_services.bank_questions(bank))
    quizzes.set_competences(None, quiz, {competence: 1})
    quizzes.publish(None, quiz)
    return SimpleNamespace(
        framework=framework, competence=competence, course=course, survey=survey, quiz=quiz,
        trainer=users["trainer"], hr=users["hr"], admin=users["admin"],
    )  # fmt: skip


def person_with_data(db, factory, world, name, email):
    """A learner with a row in every kind of personal data, their name in the free texts."""
    person = factory.user(name=name, email=email)
    learning.enrol(person, world.course)
    for lesson_id in learning.lesson_ids(world.course):  # the course completes
        learning.mark_done(person, world.course, lesson_id)
    attempt = attempts.start(person, world.quiz)
    attempts.save_answer(attempt, 0, f"Ich bin {name}")
    attempts.submit(attempt)
    evidence_service.record_evidence(
        world.trainer, person, world.competence, 2, "rating", date.today(),
        justification=f"{name} erklärt die DSGVO verständlich",
    )  # fmt: skip
    issuing.issue(world.hr, person, world.framework)
    likert, text = world.survey.items
    surveys.answer(person, world.survey, {likert.id: 4, text.id: f"Mehr Beispiele, {name}"})
    db.session.add(
        OutboxMessage(key=f"test-{email}", user_id=person.id, kind="reminder",
                      subject=f"Hallo {name}", body=f"Hallo {name}, bitte Kurs abschließen.")
    )  # fmt: skip
    db.session.commit()
    account_services.record_view(world.admin, person)
    return person


def rows_of(db, person):
    """{kind: ids of the person's rows}, as the export's files name them."""
    ids = lambda query: set(db.session.scalars(query))  # noqa: E731
    enrolments = select(Enrolment.id).where(Enrolment.user_id == person.id)
    person_attempts = select(Attempt.id).where(Attempt.user_id == person.id)
    return {
        "enrolments": ids(enrolments),
        "lesson_progress": ids(
            select(LessonProgress.id).where(LessonProgress.enrolment_id.in_(enrolments))
        ),
        "completions": ids(select(Completion.id).where(Completion.enrolment_id.in_(enrolments))),
        "attempts": ids(person_attempts),
        "answers": ids(
            select(AttemptAnswer.id).where(AttemptAnswer.attempt_id.in_(person_attempts))
        ),
        "evidence": ids(select(Evidence.id).where(Evidence.user_id == person.id)),
        "passes": ids(select(MedienPass.id).where(MedienPass.user_id == person.id)),
        "participations": ids(
            select(SurveyParticipation.id).where(SurveyParticipation.user_id == person.id)
        ),
        "notifications": ids(select(OutboxMessage.id).where(OutboxMessage.user_id == person.id)),
        "audit_about": ids(
            select(AuditEntry.id).where(
                AuditEntry.subject_type == "user", AuditEntry.subject_id == str(person.id)
            )
        ),
    }  # fmt: skip


def ids_in(files):
    """{kind: ids} found in an export's JSON files."""
    data = {name: json.loads(body) for name, body in files.items() if name.endswith(".json")}
    enrolments = data["enrolments.json"]
    attempts_ = data["attempts.json"]
    return {
        "enrolments": {e["id"] for e in enrolments},
        "lesson_progress": {p["id"] for e in enrolments for p in e["lesson_progress"]},
        "completions": {c["id"] for e in enrolments for c in e["completions"]},
        "attempts": {a["id"] for a in attempts_},
        "answers": {answer["id"] for a in attempts_ for answer in a["answers"]},
        "evidence": {e["id"] for e in data["evidence.json"]["evidence"]},
        "passes": {p["id"] for p in data["passes.json"]},
        "participations": {p["id"] for p in data["surveys.json"]["participations"]},
        "notifications": {n["id"] for n in data["notifications.json"]},
        "audit_about": {e["id"] for e in data["audit.json"]["about_you"]},
    }


def unzip(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def post(client, url, **data):
    client.get("/login")
    return client.post(url, data={"csrf_token": csrf_token(client), **data})


def test_own_export_holds_every_row_of_the_person_and_nothing_of_another(app, db, factory, world):
    anna = person_with_data(db, factory, world, "Anna Größer", "anna@firma.example")
    bert = person_with_data(db, factory, world, "Bert Weiß", "bert@firma.example")
    anna_rows, bert_rows = rows_of(db, anna), rows_of(db, bert)
    assert all(anna_rows.values()) and all(bert_rows.values())  # every kind has rows
    bert_serial = issuing.passes_of(bert)[0].serial
    anna_pass = issuing.passes_of(anna)[0]

    client = app.test_client()
    assert login(client, anna.email).status_code == 302
    files = unzip(post(client, "/account/my-data.zip"))

    assert ids_in(files) == rows_of(db, anna)  # with the entry of this export itself
    for kind, ids in ids_in(files).items():
        assert not ids & bert_rows[kind], kind
    for name, body in files.items():
        if name.endswith(".json"):
            text = body.decode("utf-8")
            for foreign in ("Bert", "Weiß", bert.email, bert_serial):
                assert foreign not in text, (name, foreign)
    profile = json.loads(files["profile.json"])
    assert (profile["name"], profile["email"], profile["id"]) == (
        "Anna Größer",
        anna.email,
        anna.id,
    )
    attempt = json.loads(files["attempts.json"])[0]
    assert attempt["answers"][0]["response"] == "Ich bin Anna Größer"
    assert json.loads(files["evidence.json"])["levels"] == {
        world.framework.title: {world.competence.code: 2}
    }
    assert [n for n in files if n.startswith("passes/")] == [f"passes/{anna_pass.serial}.pdf"]
    assert files[f"passes/{anna_pass.serial}.pdf"] == anna_pass.pdf
    assert json.loads(files["passes.json"])[0]["content"]["holder"]["name"] == "Anna Größer"
    assert db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "privacy.export_own", AuditEntry.actor_id == anna.id
        )
    ) == 1  # fmt: skip


def test_hr_exports_on_request_with_a_reason_and_it_is_audited(app, db, factory, world, client_as):
    anna = person_with_data(db, factory, world, "Anna Größer", "anna@firma.example")
    hr = client_as("hr")
    exports = (
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "privacy.export")
    )

    response = post(hr, "/privacy/export", email="niemand@firma.example", reason="Antrag")
    assert response.status_code == 200 and "niemand@firma.example" in response.get_data(
        as_text=True
    )
    response = post(hr, "/privacy/export", email=anna.email, reason="  ")
    assert response.status_code == 200 and "Please give the reason" in response.get_data(
        as_text=True
    )
    assert db.session.scalar(exports) == 0

    files = unzip(post(hr, "/privacy/export", email=anna.email.upper(), reason="E-Mail vom 20.11."))
    assert json.loads(files["profile.json"])["id"] == anna.id
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "privacy.export"))
    assert (entry.actor_id, entry.subject_id) == (world.hr.id, str(anna.id))
    assert entry.details == {"reason": "E-Mail vom 20.11."}


def scan(db, needles):
    """(table, column, needle) for every string, text or JSON value of every table that
    contains a needle, read back through reflection of the database itself."""
    connection = db.session.connection()
    metadata = sa.MetaData()
    metadata.reflect(bind=connection)
    hits = []
    for table in metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, sa.String | sa.Text | sa.JSON)]
        if not columns:
            continue
        for row in connection.execute(select(*columns)):
            for column, value in zip(columns, row, strict=True):
                if value is None:
                    continue
                texts = [value] if isinstance(value, str) else []
                if isinstance(value, str) and value[:1] in "[{":
                    try:
                        value = json.loads(value)
                    except ValueError:
                        pass
                if not isinstance(value, str):
                    texts.append(json.dumps(value, ensure_ascii=False))
                hits += [
                    (table.name, column.name, needle)
                    for needle in needles
                    if any(needle in text for text in texts)
                ]
    return hits


def test_erasure_leaves_nothing_of_the_person_in_any_table(app, db, factory, world, client_as):
    anna = person_with_data(db, factory, world, "Anna Altname", "anna.alt@firma.example")
    # A former name and address live on in the audit log of the change: they go too.
    account_services.update_user(
        world.admin, anna,
        account_services.UserData("anna.groesser@firma.example", "Anna Größer",
                                  anna.department_id, anna.job_role_id, {"learner"}),
    )  # fmt: skip
    bert = person_with_data(db, factory, world, "Bert Weiß", "bert@firma.example")
    needles = ("Anna Altname", "anna.alt@firma.example", "Anna Größer", "anna.groesser@firma")
    assert {hit[0] for hit in scan(db, needles)} >= {
        "users", "passes", "attempt_answers", "evidence", "outbox", "audit_entries",
        "survey_answers",
    }  # fmt: skip
    anna_pass = issuing.passes_of(anna)[0]
    anna_pdf = anna_pass.pdf
    bert_rows = rows_of(db, bert)
    admin = client_as("admin")
    url = f"/privacy/people/{anna.id}/erase"

    assert "anna.groesser@firma.example" in admin.get(url).get_data(as_text=True)
    response = post(admin, url, confirmation="bert@firma.example", reason="Antrag vom 20.11.")
    assert response.status_code == 200
    assert "to confirm" in response.get_data(as_text=True)
    assert db.session.get(User, anna.id).erased_at is None  # nothing happened

    response = post(admin, url, confirmation="anna.groesser@firma.example",
                    reason="Antrag von Anna Größer vom 20.11.")  # fmt: skip
    assert response.status_code == 302

    assert scan(db, needles) == []
    erased = db.session.get(User, anna.id)
    assert (erased.name, erased.active, erased.password_hash, erased.roles) == (
        f"erased-{anna.id}",
        False,
        None,
        set(),
    )
    assert rows_of(db, erased) == {
        **{kind: set() for kind in bert_rows},
        "passes": {anna_pass.id},  # revoked, without name, content and PDF
        "audit_about": rows_of(db, erased)["audit_about"],  # labelled with the pseudonym
    }
    assert rows_of(db, erased)["audit_about"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "privacy.erase"))
    assert entry.details["reason"] == f"Antrag von erased-{anna.id} vom 20.11."
    # Another person's data is untouched.
    assert rows_of(db, bert) == bert_rows
    assert db.session.get(User, bert.id).name == "Bert Weiß"
    bert_pass = issuing.passes_of(bert)[0]
    assert bert_pass.status == "valid" and "Bert Weiß" in bert_pass.content
    assert "Mehr Beispiele, Bert Weiß" in db.session.scalars(select(SurveyAnswer.text)).all()
    # The account is closed.
    assert login(app.test_client(), "anna.groesser@firma.example").status_code == 200

    # The pass: revoked, holder erased, no name, on the page and by the command line.
    page = app.test_client().get(f"/verify/{anna_pass.serial}").get_data(as_text=True)
    assert "Revoked — holder erased" in page and "Anna" not in page
    pdf_path = app.instance_path + f"/{anna_pass.serial}.pdf"
    with open(pdf_path, "wb") as file:
        file.write(anna_pdf)
    result = app.test_cli_runner().invoke(args=["passes", "verify", pdf_path])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "valid": False, "serial": anna_pass.serial, "status": "revoked", "holder_erased": True
    }  # fmt: skip
    visitor = app.test_client()
    upload = post(visitor, "/verify", file=(io.BytesIO(anna_pdf), "pass.pdf"))
    assert "Revoked — holder erased" in upload.get_data(as_text=True)
    assert "Anna" not in upload.get_data(as_text=True)
    # HR's list of passes names nobody, and the PDF is gone.
    hr = client_as("hr")
    listing = hr.get("/passes/").get_data(as_text=True)
    assert anna_pass.serial in listing and "(erased)" in listing and "Anna" not in listing
    assert hr.get(f"/passes/{anna_pass.serial}.pdf").status_code == 404
    # The tombstone is no account: it cannot be erased again, edited or activated.
    assert admin.get(url).status_code == 404
    post(admin, f"/admin/users/{anna.id}/active", active="1")
    assert db.session.get(User, anna.id).active is False


# ---- retention periods and the purge

PERIODS = {"attempts_months": 6, "progress_days": 30, "audit_months": 12, "feedback_months": 3}


def test_purge_keeps_each_kind_for_its_own_period(app, db, factory, world):
    from app.privacy import purge, retention, rules

    retention.save(world.admin, {key: str(value) for key, value in PERIODS.items()})
    now = utcnow().replace(microsecond=0)
    cut = {kind.key: rules.cutoff(kind, PERIODS[kind.key], now) for kind in rules.KINDS}
    minute = timedelta(minutes=1)
    person = factory.user(name="Clara Purge")

    # Attempts: answers of a finished attempt just outside go; just inside, they stay.
    made = []
    for moment in (cut["attempts_months"] - minute, cut["attempts_months"] + minute):
        attempt = attempts.start(person, world.quiz)
        attempts.save_answer(attempt, 0, "Antwort")
        attempts.submit(attempt)
        attempt.submitted_at = moment
        made.append(attempt)
    outside_attempt, inside_attempt = made
    # Progress: a finished round loses lessons done before the cut-off; a round in progress
    # keeps even older ones, which the person needs to finish it.
    learning.enrol(person, world.course)
    first, second = learning.lesson_ids(world.course)
    learning.mark_done(person, world.course, first)
    learning.mark_done(person, world.course, second)
    progress = {row.lesson_id: row for row in db.session.scalars(select(LessonProgress))}
    progress[first].done_at = cut["progress_days"] - minute
    progress[second].done_at = cut["progress_days"] + minute
    gone, kept = progress[first].id, progress[second].id
    other = factory.user()
    learning.enrol(other, world.course)
    learning.mark_done(other, world.course, first)
    unfinished = db.session.scalar(
        select(LessonProgress).join(Enrolment).where(Enrolment.user_id == other.id)
    )
    unfinished.done_at = cut["progress_days"] - timedelta(days=100)
    unfinished_round = db.session.scalar(select(Enrolment).where(Enrolment.user_id == other.id))
    unfinished_round.round_started_at = unfinished.done_at - timedelta(days=1)
    # Audit entries and feedback, each around its own cut-off; an audit entry as old as the
    # purged attempt stays: audit entries have a longer period.
    db.session.execute(sa.delete(AuditEntry))
    for moment in (cut["audit_months"] - minute, cut["audit_months"] + minute,
                   cut["attempts_months"] - minute):  # fmt: skip
        db.session.add(AuditEntry(action="user.view", created_at=moment))
    likert = world.survey.items[0]
    for day in (cut["feedback_months"].date() - timedelta(days=1), cut["feedback_months"].date()):
        db.session.add(
            SurveyResponse(survey_id=world.survey.id, day=day,
                           answers=[SurveyAnswer(item_id=likert.id, value=3)])
        )  # fmt: skip
    db.session.commit()
    before = {
        model: db.session.scalar(select(func.count()).select_from(model))
        for model in (AttemptAnswer, LessonProgress, AuditEntry, SurveyResponse, SurveyAnswer)
    }

    expected = {
        "attempt_answers": 1, "lesson_progress": 1, "audit_entries": 1, "feedback_responses": 1
    }  # fmt: skip
    assert purge.purge(now=now, dry_run=True) == expected
    assert db.session.scalar(select(func.count()).select_from(AttemptAnswer)) == 2  # dry: kept
    assert purge.purge(now=now) == expected

    after = {model: db.session.scalar(select(func.count()).select_from(model)) for model in before}
    # The purge's own audit entry is new.
    assert after == {
        AttemptAnswer: before[AttemptAnswer] - 1, LessonProgress: before[LessonProgress] - 1,
        AuditEntry: before[AuditEntry] - 1 + 1, SurveyResponse: before[SurveyResponse] - 1,
        SurveyAnswer: before[SurveyAnswer] - 1,
    }  # fmt: skip
    assert [a.attempt_id for a in db.session.scalars(select(AttemptAnswer))] == [inside_attempt.id]
    assert db.session.get(Attempt, outside_attempt.id).passed is not None  # the result stays
    remaining = set(db.session.scalars(select(LessonProgress.id)))
    assert kept in remaining and unfinished.id in remaining and gone not in remaining
    times = set(
        db.session.scalars(select(AuditEntry.created_at).where(AuditEntry.action == "user.view"))
    )
    assert times == {cut["audit_months"] + minute, cut["attempts_months"] - minute}
    days = set(db.session.scalars(select(SurveyResponse.day)))
    assert days == {cut["feedback_months"].date()}
    assert purge.purge(now=now) == dict.fromkeys(expected, 0)  # a second run finds nothing


def test_purge_command_prints_its_counts(app, db):
    result = app.test_cli_runner().invoke(args=["privacy", "purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "attempt_answers": 0, "lesson_progress": 0, "audit_entries": 0,
        "feedback_responses": 0, "dry_run": True,
    }  # fmt: skip


def test_bad_retention_periods_are_named_and_nothing_is_saved(app, db, client_as, world):
    from app.privacy import retention, rules

    admin = client_as("admin")
    page = admin.get("/admin/settings").get_data(as_text=True)
    assert 'id="retention"' in page and 'value="24"' in page
    response = post(admin, "/privacy/retention", attempts_months="0", progress_days="viele",
                    audit_months="121", feedback_months="12")  # fmt: skip
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter 1 to 120 months." in text and "Please enter a whole number." in text
    assert text.count("invalid-feedback") == 3
    assert retention.current() == rules.DEFAULTS

    response = post(admin, "/privacy/retention", **{k: str(v) for k, v in PERIODS.items()})
    assert response.status_code == 302 and response.location.endswith("/admin/settings#retention")
    assert retention.current() == PERIODS
    assert db.session.scalar(
        select(AuditEntry.details).where(AuditEntry.action == "settings.retention")
    ) == PERIODS  # fmt: skip


def test_record_of_processing_activities_follows_the_settings(app, db, client_as, world):
    from app.privacy import retention

    admin = client_as("admin")
    page = admin.get("/privacy/record").get_data(as_text=True)
    assert "Record of processing activities" in page
    assert "24 months, then deleted" in page and "after they were done" in page
    assert "fewer than 5 people" in page
    retention.save(world.admin, {**retention.current(), "audit_months": 36, "progress_days": 1})
    page = admin.get("/privacy/record").get_data(as_text=True)
    assert "36 months, then deleted" in page and "24 months, then deleted" not in page
    assert "1 day after they were done" in page
    assert "Works-council mode is off." in page
    db.session.add(Setting(key="works_council_mode", value=True))
    db.session.commit()
    page = admin.get("/privacy/record").get_data(as_text=True)
    assert "Works-council mode is on" in page
    german = admin.get("/privacy/record", headers={"Accept-Language": "de"})
    assert german.status_code == 200


def test_erasing_an_issuer_keeps_the_name_only_in_the_passes_they_signed_for_others(
    app, db, factory, world
):
    from app.mediapass import verification
    from app.privacy import erasure

    hanna = factory.user(roles=("hr",), name="Hanna Personal", email="hanna.hr@firma.example")
    bert = factory.user(name="Bert Weiß", email="bert@firma.example")
    evidence_service.record_evidence(
        hanna, bert, world.competence, 1, "prior_learning", date.today()
    )
    bert_pass = issuing.issue(hanna, bert, world.framework)
    account_services.record_view(hanna, bert)

    erasure.erase(world.admin, hanna, "HANNA.HR@firma.example ", "Ausgeschieden")

    # Bert's pass is Bert's signed document: the issuer's name stays in it, and it verifies.
    assert scan(db, ("Hanna Personal", "hanna.hr@firma.example")) == [
        ("passes", "content", "Hanna Personal")
    ]
    assert bert_pass.issuer_label == f"erased-{hanna.id}"
    assert verification.verify_pdf(bert_pass.pdf).status == "valid"
    evidence = db.session.scalar(select(Evidence).where(Evidence.user_id == bert.id))
    assert evidence.issuer_label == f"erased-{hanna.id}"
    assert db.session.get(User, bert.id).name == "Bert Weiß"
