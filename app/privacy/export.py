"""A person's data as a ZIP of JSON files and their pass PDFs (Art. 15 and 20 GDPR): for the
person themself, or by HR or an admin on the person's request (audited, with a reason).

Exactly the person's data: every query is bound to the person's id, and entries of the audit
log that the person made about someone else name only the kind of thing they acted on."""

import io
import json
import zipfile
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload, undefer

from app.accounts import audit
from app.accounts.models import AuditEntry, User, utcnow
from app.assessments.models import Attempt, AttemptAnswer, Survey, SurveyParticipation
from app.courses.models import Completion, Enrolment, Lesson, LessonProgress, OutboxMessage
from app.errors import DomainError
from app.extensions import db
from app.frameworks import levels
from app.frameworks.models import Competence, Evidence
from app.mediapass.models import MedienPass
from app.projects.models import ProjectActivity

FORMAT = "medienpass-personal-data/1"


def _time(value):
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") + "Z"
    if isinstance(value, date):
        return value.isoformat()
    return value


def _profile(user):
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "locale": user.locale,
        "active": user.active,
        "roles": sorted(user.roles),
        "department": {"id": user.department.id, "name": user.department.name}
        if user.department
        else None,
        "job_role": {"id": user.job_role.id, "name": user.job_role.name} if user.job_role else None,
        "created_at": _time(user.created_at),
        "last_login_at": _time(user.last_login_at),
    }


def _enrolments(user):
    enrolments = db.session.scalars(
        select(Enrolment).where(Enrolment.user_id == user.id).order_by(Enrolment.id)
    ).all()
    ids = [enrolment.id for enrolment in enrolments]
    progress = db.session.execute(
        select(LessonProgress, Lesson.title)
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(LessonProgress.enrolment_id.in_(ids))
        .order_by(LessonProgress.id)
    ).all()
    completions = db.session.scalars(
        select(Completion).where(Completion.enrolment_id.in_(ids)).order_by(Completion.id)
    ).all()
    return [
        {
            "id": enrolment.id,
            "course": {"id": enrolment.course.id, "title": enrolment.course.title},
            "assigned": enrolment.assignment_id is not None,
            "due_on": _time(enrolment.due_on),
            "enrolled_at": _time(enrolment.enrolled_at),
            "round_started_at": _time(enrolment.round_started_at),
            "completed_at": _time(enrolment.completed_at),
            "expires_on": _time(enrolment.expires_on),
            "lesson_progress": [
                {
                    "id": row.id,
                    "lesson_id": row.lesson_id,
                    "lesson": title,
                    "done_at": _time(row.done_at),
                }
                for row, title in progress
                if row.enrolment_id == enrolment.id
            ],
            "completions": [
                {
                    "id": row.id,
                    "completed_at": _time(row.completed_at),
                    "expires_on": _time(row.expires_on),
                }
                for row in completions
                if row.enrolment_id == enrolment.id
            ],
        }
        for enrolment in enrolments
    ]


def _attempts(user):
    attempts = db.session.scalars(
        select(Attempt)
        .where(Attempt.user_id == user.id)
        .options(
            selectinload(Attempt.quiz),
            selectinload(Attempt.answers).selectinload(AttemptAnswer.question),
        )
        .order_by(Attempt.id)
    ).all()
    return [
        {
            "id": attempt.id,
            "quiz": {"id": attempt.quiz.id, "title": attempt.quiz.title},
            "number": attempt.number,
            "state": attempt.state,
            "started_at": _time(attempt.started_at),
            "submitted_at": _time(attempt.submitted_at),
            "points": attempt.points,
            "max_points": attempt.max_points,
            "percent": attempt.percent,
            "passed": attempt.passed,
            "answers": [
                {
                    "id": answer.id,
                    "slot": answer.slot,
                    "question_id": answer.question_id,
                    "question": answer.question.title or answer.question.text,
                    "response": answer.response,
                    "saved_at": _time(answer.saved_at),
                    "fraction": answer.fraction,
                    "grade_state": answer.grade_state,
                    "feedback": answer.feedback,
                    "justification": answer.justification,
                }
                for answer in attempt.answers
            ],
        }
        for attempt in attempts
    ]


def _evidence(user, today):
    rows = db.session.scalars(
        select(Evidence)
        .where(Evidence.user_id == user.id)
        .options(selectinload(Evidence.competence).selectinload(Competence.framework))
        .order_by(Evidence.id)
    ).all()
    facts_by_framework = {}
    for item in rows:
        fact = levels.EvidenceFact(
            item.competence.code,
            item.level,
            item.issued_on,
            item.expires_on,
            item.revoked_at.date() if item.revoked_at else None,
        )
        facts_by_framework.setdefault(item.competence.framework.title, []).append(fact)
    return {
        "evidence": [
            {
                "id": item.id,
                "framework": item.competence.framework.title,
                "competence": {"code": item.competence.code, "title": item.competence.title},
                "level": item.level,
                "source": item.source,
                "issued_by": item.issuer_label,
                "issued_on": _time(item.issued_on),
                "expires_on": _time(item.expires_on),
                "justification": item.justification,
                "created_at": _time(item.created_at),
                "revoked_at": _time(item.revoked_at),
                "revoke_reason": item.revoke_reason,
            }
            for item in rows
        ],
        # The level per competence code on the day of the export (highest evidence that counts).
        "levels": {
            framework: levels.levels_on(facts, today)
            for framework, facts in sorted(facts_by_framework.items())
        },
    }


def _passes(user):
    return db.session.scalars(
        select(MedienPass)
        .where(MedienPass.user_id == user.id)
        .options(undefer(MedienPass.pdf), selectinload(MedienPass.framework))
        .order_by(MedienPass.id)
    ).all()


def _pass_rows(passes):
    return [
        {
            "id": record.id,
            "serial": record.serial,
            "framework": record.framework.title,
            "language": record.language,
            "issued_at": _time(record.issued_at),
            "issued_by": record.issuer_label,
            "status": record.status,
            "revoked_at": _time(record.revoked_at),
            "revoke_reason": record.revoke_reason,
            "superseded_at": _time(record.superseded_at),
            # The signed content and its signature, as embedded in the PDF.
            "content": json.loads(record.content) if record.content else None,
            "sha256": record.sha256,
            "signature": record.signature,
            "key_id": record.key_id,
            "pdf": f"passes/{record.serial}.pdf",
        }
        for record in passes
    ]


def _surveys(user):
    rows = db.session.execute(
        select(SurveyParticipation, Survey.title)
        .join(Survey, Survey.id == SurveyParticipation.survey_id)
        .where(SurveyParticipation.user_id == user.id)
        .order_by(SurveyParticipation.id)
    ).all()
    return {
        "participations": [
            {"id": row.id, "survey_id": row.survey_id, "survey": title} for row, title in rows
        ],
        "note": "Course feedback answers are stored without the person and only with their "
        "day, so that nobody can tell whose they are; they cannot be told apart here either.",
    }


def _notifications(user):
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.user_id == user.id).order_by(OutboxMessage.id)
    ).all()
    return [
        {
            "id": row.id,
            "kind": row.kind,
            "subject": row.subject,
            "body": row.body,
            "link": row.link,
            "created_at": _time(row.created_at),
            "sent_at": _time(row.sent_at),
            "read_at": _time(row.read_at),
        }
        for row in rows
    ]


def _activities(user):
    rows = db.session.scalars(
        select(ProjectActivity)
        .where(ProjectActivity.responsible_id == user.id)
        .options(selectinload(ProjectActivity.project))
        .order_by(ProjectActivity.id)
    ).all()
    return [
        {"id": row.id, "project": row.project.name, "activity": row.name, "key": row.key}
        for row in rows
    ]


def _audit(user):
    about = and_(AuditEntry.subject_type == "user", AuditEntry.subject_id == str(user.id))
    entries = db.session.scalars(
        select(AuditEntry)
        .where(or_(about, AuditEntry.actor_id == user.id))
        .order_by(AuditEntry.created_at, AuditEntry.id)
    ).all()
    about_you, by_you = [], []
    for entry in entries:
        is_about = entry.subject_type == "user" and entry.subject_id == str(user.id)
        if is_about:
            about_you.append(
                {
                    "id": entry.id,
                    "time": _time(entry.created_at),
                    "action": entry.action,
                    "by": "you" if entry.actor_id == user.id else entry.actor_label,
                    "details": entry.details,
                }
            )
        else:
            # What the person did to others names the kind of thing, never the other person.
            by_you.append(
                {
                    "id": entry.id,
                    "time": _time(entry.created_at),
                    "action": entry.action,
                    "subject_type": entry.subject_type,
                    "subject": entry.subject_label if entry.subject_type != "user" else None,
                    "ip_address": entry.ip_address,
                }
            )
    return {"about_you": about_you, "by_you": by_you}


def files_of(user, today=None):
    """{file name: bytes} of the person's export."""
    today = today or date.today()
    passes = _passes(user)
    documents = {
        "profile.json": _profile(user),
        "enrolments.json": _enrolments(user),
        "attempts.json": _attempts(user),
        "evidence.json": _evidence(user, today),
        "passes.json": _pass_rows(passes),
        "surveys.json": _surveys(user),
        "notifications.json": _notifications(user),
        "training_projects.json": _activities(user),
        "audit.json": _audit(user),
    }
    files = {
        name: json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
        for name, data in documents.items()
    }
    files["index.json"] = json.dumps(
        {"format": FORMAT, "person_id": user.id, "created_at": _time(utcnow()),
         "files": sorted(files) + [f"passes/{record.serial}.pdf" for record in passes]},
        indent=2,
    ).encode("utf-8")  # fmt: skip
    for record in passes:
        if record.pdf:
            files[f"passes/{record.serial}.pdf"] = record.pdf
    return files


def zip_bytes(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(name, data)
    return buffer.getvalue()


def export_own(user):
    """The person's own export (from their account page); recorded in the audit log."""
    audit.record(user, "privacy.export_own", user)
    db.session.commit()
    return zip_bytes(files_of(user))


def person_by_email(email):
    email = (email or "").strip().lower()
    if not email:
        raise DomainError(_("Please enter the person's e-mail address."), where="email")
    person = db.session.scalar(select(User).where(User.email == email))
    if person is None or person.erased_at is not None:
        raise DomainError(_("Nobody here has the e-mail address %(email)s.", email=email),
                          where="email")  # fmt: skip
    return person


def export_on_request(actor, email, reason):
    """HR or an admin exports a person's data on the person's request: the reason (e.g. the
    date and way of the request) is required and recorded with the export."""
    reason = " ".join((reason or "").split())
    person = person_by_email(email)
    if not reason:
        raise DomainError(_("Please give the reason, e.g. the person's request and its date."),
                          where="reason")  # fmt: skip
    if len(reason) > 500:
        raise DomainError(_("The reason may be at most 500 characters."), where="reason")
    audit.record(actor, "privacy.export", person, {"reason": reason})
    db.session.commit()
    return person, zip_bytes(files_of(person))
