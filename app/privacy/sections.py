"""What is stored about one person, section by section, as plain JSON-ready data: each query
is bound to the person's id (app/privacy/export.py puts the sections into the ZIP)."""

import json
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload, undefer

from app.accounts.models import AuditEntry
from app.assessments.models import Attempt, AttemptAnswer, Survey, SurveyParticipation
from app.courses.models import Completion, Enrolment, Lesson, LessonProgress, OutboxMessage
from app.extensions import db
from app.frameworks import levels
from app.frameworks.models import Competence, Evidence
from app.mediapass.models import MedienPass
from app.projects.models import ProjectActivity


def time(value):
    """ISO text of a date or time (UTC, as the database stores it)."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") + "Z"
    if isinstance(value, date):
        return value.isoformat()
    return value


def profile(user):
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
        "created_at": time(user.created_at),
        "last_login_at": time(user.last_login_at),
    }


def enrolments(user):
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
            "due_on": time(enrolment.due_on),
            "enrolled_at": time(enrolment.enrolled_at),
            "round_started_at": time(enrolment.round_started_at),
            "completed_at": time(enrolment.completed_at),
            "expires_on": time(enrolment.expires_on),
            "lesson_progress": [
                {
                    "id": row.id,
                    "lesson_id": row.lesson_id,
                    "lesson": title,
                    "done_at": time(row.done_at),
                }
                for row, title in progress
                if row.enrolment_id == enrolment.id
            ],
            "completions": [
                {
                    "id": row.id,
                    "completed_at": time(row.completed_at),
                    "expires_on": time(row.expires_on),
                }
                for row in completions
                if row.enrolment_id == enrolment.id
            ],
        }
        for enrolment in enrolments
    ]


def attempts(user):
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
            "started_at": time(attempt.started_at),
            "submitted_at": time(attempt.submitted_at),
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
                    "saved_at": time(answer.saved_at),
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


def evidence(user, today):
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
                "issued_on": time(item.issued_on),
                "expires_on": time(item.expires_on),
                "justification": item.justification,
                "created_at": time(item.created_at),
                "revoked_at": time(item.revoked_at),
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


def passes(user):
    return db.session.scalars(
        select(MedienPass)
        .where(MedienPass.user_id == user.id)
        .options(undefer(MedienPass.pdf), selectinload(MedienPass.framework))
        .order_by(MedienPass.id)
    ).all()


def pass_rows(passes):
    return [
        {
            "id": record.id,
            "serial": record.serial,
            "framework": record.framework.title,
            "language": record.language,
            "issued_at": time(record.issued_at),
            "issued_by": record.issuer_label,
            "status": record.status,
            "revoked_at": time(record.revoked_at),
            "revoke_reason": record.revoke_reason,
            "superseded_at": time(record.superseded_at),
            # The signed content and its signature, as embedded in the PDF.
            "content": json.loads(record.content) if record.content else None,
            "sha256": record.sha256,
            "signature": record.signature,
            "key_id": record.key_id,
            "pdf": f"passes/{record.serial}.pdf",
        }
        for record in passes
    ]


def surveys(user):
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


def notifications(user):
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
            "created_at": time(row.created_at),
            "sent_at": time(row.sent_at),
            "read_at": time(row.read_at),
        }
        for row in rows
    ]


def activities(user):
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


def audit(user):
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
                    "time": time(entry.created_at),
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
                    "time": time(entry.created_at),
                    "action": entry.action,
                    "subject_type": entry.subject_type,
                    "subject": entry.subject_label if entry.subject_type != "user" else None,
                    "ip_address": entry.ip_address,
                }
            )
    return {"about_you": about_you, "by_you": by_you}
