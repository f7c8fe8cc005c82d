"""Deleting what is past its retention period (`flask privacy purge`, nightly).

What goes, per kind (the periods of app/privacy/retention.py):
- attempts: the answers of finished quiz attempts submitted before the cut-off. The attempt
  row stays as the result (number, score, passed): it keeps the attempt limit and the
  numbering right, and the evidence a passed attempt gave stays, so no level and no pass
  changes (a pass is a signed snapshot and never reads attempts).
- progress: lesson progress rows done before the cut-off, of course rounds that are finished
  (completed, or replaced by a later round). A round in progress keeps its lessons, which the
  person still needs to finish it; completions stay.
- audit: audit entries created before the cut-off.
- feedback: course feedback responses (with their answers) from days before the cut-off's day.
"""

from sqlalchemy import delete, exists, func, or_, select

from app.accounts import audit
from app.accounts.models import AuditEntry, utcnow
from app.assessments.models import Attempt, AttemptAnswer, SurveyResponse
from app.courses.models import Enrolment, LessonProgress
from app.extensions import db
from app.privacy import retention, rules


def _conditions(cutoffs):
    """{kind: (table's model, WHERE clause)} of the rows past their time."""
    finished_attempts = select(Attempt.id).where(
        Attempt.state == "finished", Attempt.submitted_at < cutoffs["attempts_months"]
    )
    finished_round = (
        select(Enrolment.id)
        .where(
            Enrolment.id == LessonProgress.enrolment_id,
            or_(
                Enrolment.completed_at.is_not(None),
                Enrolment.round_started_at > LessonProgress.done_at,
            ),
        )
        .correlate(LessonProgress)
    )
    return {
        "attempt_answers": (AttemptAnswer, AttemptAnswer.attempt_id.in_(finished_attempts)),
        "lesson_progress": (
            LessonProgress,
            (LessonProgress.done_at < cutoffs["progress_days"]) & exists(finished_round),
        ),
        "audit_entries": (AuditEntry, AuditEntry.created_at < cutoffs["audit_months"]),
        "feedback_responses": (
            SurveyResponse,
            SurveyResponse.day < cutoffs["feedback_months"].date(),
        ),
    }


def purge(now=None, dry_run=False):
    """Delete (or, dry, count) what is past its time; {kind: rows}. One transaction; the
    purge itself is audited with its counts."""
    now = now or utcnow()
    cutoffs = rules.cutoffs(retention.current(), now)
    counts = {}
    for kind, (model, condition) in _conditions(cutoffs).items():
        if dry_run:
            counts[kind] = db.session.scalar(
                select(func.count()).select_from(model).where(condition)
            )
        else:
            # Survey answers go with their response (ON DELETE CASCADE in the database).
            result = db.session.execute(
                delete(model).where(condition).execution_options(synchronize_session=False)
            )
            counts[kind] = result.rowcount
    if dry_run:
        db.session.rollback()
    else:
        audit.record(None, "privacy.purge", details=counts)
        db.session.commit()
    return counts
