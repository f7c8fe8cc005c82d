"""The outbox: reminders queued once per key, sent as one e-mail per person, and read in
the app as the person's notifications."""

import logging
from datetime import timedelta
from itertools import groupby

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.accounts.models import User, utcnow
from app.courses import reminders
from app.courses.mail import Mail, MailError, SenderUnavailableError
from app.courses.models import Course, Enrolment, OutboxMessage
from app.courses.rules import EXPIRING_DAYS
from app.extensions import db
from app.i18n import date_filter

log = logging.getLogger(__name__)

NOTIFICATIONS_PATH = "/courses/notifications"
KEY_CHUNK = 500  # keys per IN (...) when looking for messages already queued

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


# ---- queueing


def queue_reminders(today):
    """Queue a message for every reminder due on `today` that was not queued before.
    Returns {"due": reminders due today, "queued": messages new in the outbox}."""
    facts, locales = _enrolment_facts(today)
    due = reminders.select(facts, today)
    known = _known_keys([reminder.key for reminder in due])
    rows = [
        _message_row(reminder, locales[reminder.user_id])
        for reminder in due
        if reminder.key not in known
    ]
    queued = _insert_new(rows)
    db.session.commit()
    log.info("reminders on %s: %d due, %d queued", today.isoformat(), len(due), queued)
    return {"due": len(due), "queued": queued}


def _enrolment_facts(today):
    """The enrolments that may need a reminder (one query), as plain facts, and each
    person's language."""
    horizon = today + timedelta(days=EXPIRING_DAYS)
    rows = db.session.execute(
        select(
            Enrolment.id,
            Enrolment.user_id,
            Enrolment.course_id,
            Enrolment.due_on,
            Enrolment.completed_at,
            Enrolment.expires_on,
            Course.title,
            Course.status,
            User.active,
            User.locale,
        )
        .join(Course, Course.id == Enrolment.course_id)
        .join(User, User.id == Enrolment.user_id)
        # A superset of what reminders.select picks: it alone decides.
        .where(or_(Enrolment.expires_on <= horizon, Enrolment.due_on < today))
        .order_by(Enrolment.user_id, Enrolment.id)
    ).all()
    facts = [
        reminders.EnrolmentFacts(
            enrolment_id=row.id,
            user_id=row.user_id,
            course_id=row.course_id,
            course_title=row.title,
            due_on=row.due_on,
            completed=row.completed_at is not None,
            expires_on=row.expires_on,
            course_published=row.status == "published",
            user_active=row.active,
        )
        for row in rows
    ]
    return facts, {row.user_id: _language(row.locale) for row in rows}


def _known_keys(keys):
    known = set()
    for start in range(0, len(keys), KEY_CHUNK):
        chunk = keys[start : start + KEY_CHUNK]
        known.update(
            db.session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.in_(chunk)))
        )
    return known


def _insert_new(rows):
    """Insert the rows whose key is still free; a parallel run that queued the same key
    first wins without an error. Returns the number inserted."""
    if not rows:
        return 0
    insert = _INSERTS[db.engine.dialect.name]
    statement = (
        insert(OutboxMessage)
        .on_conflict_do_nothing(index_elements=[OutboxMessage.key])
        .returning(OutboxMessage.id)
    )
    return len(db.session.execute(statement, rows).all())


def _language(locale):
    config = current_app.config
    return locale if locale in config["LANGUAGES"] else config["BABEL_DEFAULT_LOCALE"]


def _message_row(reminder, language):
    """The message of a reminder, in the person's language."""
    with force_locale(language):
        values = {"course": reminder.course_title, "date": date_filter(reminder.day)}
        if reminder.kind == reminders.EXPIRING:
            subject = _("Your course “%(course)s” expires on %(date)s", **values)
            body = _(
                "Your completion of the course “%(course)s” counts until %(date)s. "
                "Repeat the course before then so that it stays valid.",
                **values,
            )
        else:
            subject = _("The course “%(course)s” is overdue", **values)
            body = _(
                "The course “%(course)s” has been due since %(date)s and is not completed.",
                **values,
            )
    return {
        "key": reminder.key,
        "user_id": reminder.user_id,
        "kind": reminder.kind,
        "subject": subject[:300],
        "body": body,
        "link": f"/courses/{reminder.course_id}",
        "created_at": utcnow(),
    }


# ---- sending


def send_pending(sender):
    """Send every unsent message, one e-mail per person. A message counts as sent once its
    e-mail went out; one that failed stays unsent for the next run.
    Returns {"sent": messages, "people": e-mails, "failed": messages}."""
    rows = db.session.execute(
        select(
            OutboxMessage.id,
            OutboxMessage.user_id,
            OutboxMessage.subject,
            OutboxMessage.body,
            OutboxMessage.link,
            User.email,
            User.name,
            User.locale,
        )
        .join(User, User.id == OutboxMessage.user_id)
        # A deactivated person gets nothing; the messages wait should the account return.
        .where(OutboxMessage.sent_at.is_(None), User.active.is_(True))
        .order_by(OutboxMessage.user_id, OutboxMessage.id)
    ).all()
    # No transaction stays open while the mail server talks (on SQLite it would hold the
    # write lock: transactions begin IMMEDIATE).
    db.session.rollback()
    counts = {"sent": 0, "people": 0, "failed": 0}
    base_url = current_app.config["BASE_URL"].rstrip("/")
    try:
        for _user_id, group in groupby(rows, key=lambda row: row.user_id):
            messages = list(group)
            try:
                sender.send(compose(messages, base_url))
            except SenderUnavailableError:
                log.exception("no e-mail can be sent now; the messages stay queued")
                counts["failed"] = len(rows) - counts["sent"]
                break
            except MailError:
                log.exception("an e-mail could not be sent; its messages stay queued")
                counts["failed"] += len(messages)
                continue
            _mark_sent([message.id for message in messages])
            counts["sent"] += len(messages)
            counts["people"] += 1
    finally:
        sender.close()
    return counts


def _mark_sent(message_ids):
    # Committed per person: a run that stops half-way sends nobody's e-mail twice.
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(message_ids), OutboxMessage.sent_at.is_(None))
        .values(sent_at=utcnow())
    )
    db.session.commit()


def compose(messages, base_url):
    """One e-mail to one person from their unsent messages (rows with subject, body, link,
    email, name and locale), in the person's language."""
    person = messages[0]
    with force_locale(_language(person.locale)):
        if len(messages) == 1:
            subject = messages[0].subject
        else:
            subject = ngettext(
                "Medienpass: %(num)d new message", "Medienpass: %(num)d new messages", len(messages)
            )
        parts = [_("Hello %(name)s,", name=person.name)]
        for message in messages:
            text = f"{message.subject}\n{message.body}"
            if message.link:
                text += f"\n{base_url}{message.link}"
            parts.append(text)
        parts.append(
            _("All your notifications: %(url)s", url=f"{base_url}{NOTIFICATIONS_PATH}")
            + "\n\n-- \nMedienpass"
        )
    return Mail(to=person.email, name=person.name, subject=subject, body="\n\n".join(parts))


# ---- notifications in the app


def notifications_of(user, page, per_page):
    """The person's own messages, newest first, one page."""
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.user_id == user.id)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def unread_count(user):
    return db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.user_id == user.id, OutboxMessage.read_at.is_(None))
    )


def mark_all_read(user):
    """Mark all of the person's messages read; returns how many were unread."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.user_id == user.id, OutboxMessage.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    return result.rowcount
