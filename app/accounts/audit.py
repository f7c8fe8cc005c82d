"""The audit log: record who did or viewed what, and read it back filtered."""

import logging
import re
from datetime import datetime, time, timedelta

from flask import has_request_context, request
from sqlalchemy import insert, select

from app.accounts.models import AuditEntry
from app.extensions import db

log = logging.getLogger(__name__)


def record(actor, action, subject=None, details=None):
    """Add an entry to the current transaction; the use case commits it with its own writes."""
    subject_type, subject_id, subject_label = describe(subject)
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        actor_label=actor.email if actor is not None else "",
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        subject_label=subject_label,
        details=details or {},
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    log.info("audit %s by %s on %s:%s", action, entry.actor_label, subject_type, subject_id)
    return entry


def record_people(actor, action, people, details=None):
    """One entry per person whose data the actor saw or exported, with the person as the
    subject, so that each person can read it ("who looked at my data"); one statement."""
    rows = [
        {
            "actor_id": actor.id if actor is not None else None,
            "actor_label": actor.email if actor is not None else "",
            "action": action,
            "subject_type": "user",
            "subject_id": str(person_id),
            "subject_label": email,
            "details": details or {},
            "ip_address": request.remote_addr if has_request_context() else None,
        }
        for person_id, email in people
    ]
    if rows:
        db.session.execute(insert(AuditEntry), rows)
        log.info("audit %s by %s on %d people", action, rows[0]["actor_label"], len(rows))
    return len(rows)


def describe(subject):
    """(type, id, label) of a model instance, e.g. ("user", "7", "anna@example.com")."""
    if subject is None:
        return "", "", ""
    # JobRole -> "job_role": the class name, as the code names the thing.
    kind = re.sub(r"(?<!^)(?=[A-Z])", "_", type(subject).__name__).lower()
    label = ""
    for attribute in ("email", "name", "title", "serial"):
        if getattr(subject, attribute, None):
            label = str(getattr(subject, attribute))
            break
    return kind, str(getattr(subject, "id", "") or ""), label


def filtered_query(actor="", action=None, date_from=None, date_to=None):
    """Entries matching the filters, newest first; actor matches a part of the e-mail."""
    query = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if actor:
        query = query.where(AuditEntry.actor_label.contains(actor.lower(), autoescape=True))
    if action:
        query = query.where(AuditEntry.action == action)
    if date_from:
        query = query.where(AuditEntry.created_at >= datetime.combine(date_from, time.min))
    if date_to:
        end = datetime.combine(date_to + timedelta(days=1), time.min)
        query = query.where(AuditEntry.created_at < end)
    return query


def search(page, per_page, **filters):
    return db.paginate(filtered_query(**filters), page=page, per_page=per_page, error_out=False)


EXPORT_COLUMNS = (
    "time_utc",
    "actor",
    "action",
    "subject_type",
    "subject_id",
    "subject",
    "details",
    "ip_address",
)


def export(exporter, **filters):
    """(header, rows) of the filtered log for a CSV file; the export itself is recorded."""
    entries = db.session.scalars(filtered_query(**filters)).all()
    given = {name: str(value) for name, value in filters.items() if value}
    record(exporter, "audit.export", None, {"rows": len(entries), **given})
    db.session.commit()
    rows = [
        [
            entry.created_at.isoformat(timespec="seconds"),
            entry.actor_label,
            entry.action,
            entry.subject_type,
            entry.subject_id,
            entry.subject_label,
            entry.details,
            entry.ip_address or "",
        ]
        for entry in entries
    ]
    return EXPORT_COLUMNS, rows


def known_actions():
    return db.session.scalars(
        select(AuditEntry.action).distinct().order_by(AuditEntry.action)
    ).all()
