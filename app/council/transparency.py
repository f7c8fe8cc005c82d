"""“Who looked at my data”: the audit entries about one person written by other people.

A person reads only entries whose subject is themselves: the query takes the person, never
an id from the request. Person-level views record the person as the subject
(`audit.record_people`), so that this page finds them."""

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app.accounts.models import AuditEntry, User
from app.extensions import db


def about(person):
    """Entries about the person written by someone else, newest first."""
    return (
        select(AuditEntry)
        .where(
            AuditEntry.subject_type == "user",
            AuditEntry.subject_id == str(person.id),
            # Not the system's own entries (no actor), nor the person's own actions; an
            # erased actor keeps its label.
            AuditEntry.actor_label != "",
            or_(AuditEntry.actor_id.is_(None), AuditEntry.actor_id != person.id),
        )
        .options(joinedload(AuditEntry.actor).selectinload(User.role_rows))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    )


def page_about(person, page, per_page=50):
    return db.paginate(about(person), page=page, per_page=per_page, error_out=False)
