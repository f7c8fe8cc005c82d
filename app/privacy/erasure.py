"""Erasing a person (Art. 17 GDPR), by an admin, confirmed and audited.

The account's row stays as a pseudonymous tombstone (`erased-<id>`, no password, no roles,
`erased_at` set), so that what must stay can still point at it:
- every row that belongs to the person (a foreign key to the person that deletes with the
  account: enrolments with their progress and completions, attempts with their answers,
  evidence, notifications, survey participations, assignments, roles, ...) is deleted;
- the person's issued passes are revoked and lose the name, the signed content and the PDF:
  the verification page and `flask passes verify` say "revoked — holder erased", while the
  PDF the person holds keeps a valid signature (its hash stays on record);
- labels naming the person as an actor or issuer (audit log, others' evidence and passes)
  become the pseudonym; audit entries stay as long as the retention settings say;
- the e-mail address is replaced in every text and JSON column, the name in every one but
  the rows of other people (a namesake keeps their name) and other holders' signed passes:
  a pass the person issued to someone else is that holder's signed document.
"""

import json

from flask_babel import gettext as _
from sqlalchemy import JSON, String, Text, and_, case, cast, func, literal, or_, select, update

from app.accounts import audit
from app.accounts.models import AuditEntry, User, UserRole, utcnow
from app.accounts.services import active_admin_count
from app.errors import DomainError
from app.extensions import db
from app.mediapass.models import MedienPass
from app.projects.models import ProjectActivity

# Columns the generic replacement leaves alone: the tombstone is written explicitly, and the
# content of a pass is the holder's signed document.
NOT_SCRUBBED = {("users", "name"), ("users", "email"), ("passes", "content")}
# What trainers and admins author about things, not people: a name there (an example in a
# lesson, a namesake's department) is not the erased person's data and keeps its text.
CONTENT_TABLES = {
    "departments", "job_roles", "frameworks", "competences", "scales", "scale_levels",
    "requirement_targets", "media_concepts", "courses", "course_modules", "lessons",
    "lesson_links", "attachments", "question_banks", "question_categories", "questions",
    "quizzes", "quiz_slots", "surveys", "survey_items", "signing_keys", "settings",
}  # fmt: skip


def pseudonym(user):
    return f"erased-{user.id}"


def check(actor, user, confirmation, reason):
    """Everything that must hold before anything is written; the reason, tidied."""
    if user.erased_at is not None:
        raise DomainError(_("%(label)s has already been erased.", label=user.name))
    if actor is not None and actor.id == user.id:
        raise DomainError(_("You cannot erase your own account."))
    if user.active and "admin" in user.roles and active_admin_count() <= 1:
        raise DomainError(
            _("%(name)s is the last active administrator; appoint another one first.",
              name=user.name)
        )  # fmt: skip
    if (confirmation or "").strip().lower() != user.email:
        raise DomainError(
            _("Type the person's e-mail address %(email)s to confirm.", email=user.email),
            where="confirmation",
        )
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError(_("Please give the reason, e.g. the person's request and its date."),
                          where="reason")  # fmt: skip
    if len(reason) > 500:
        raise DomainError(_("The reason may be at most 500 characters."), where="reason")
    return reason


def _replace(text, old, new):
    return text.replace(old, new) if old else text


def _scrub_value(value, pairs):
    """A JSON value with every (old, new) replaced in its strings."""
    if isinstance(value, str):
        for old, new in pairs:
            value = _replace(value, old, new)
        return value
    if isinstance(value, list):
        return [_scrub_value(item, pairs) for item in value]
    if isinstance(value, dict):
        return {_scrub_value(k, pairs): _scrub_value(v, pairs) for k, v in value.items()}
    return value


def _owned_rows(user):
    """(table, column) of every foreign key to users that deletes with the account."""
    for table in db.metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.column.table.name == "users" and (key.ondelete or "").upper() == "CASCADE":
                yield table, key.parent


def _name_may_be_replaced(table, user):
    """Where the name is replaced: not in authored content, not in another person's rows."""
    if table.name in CONTENT_TABLES:
        return None
    owner = table.columns.get("user_id")
    return True if owner is None else or_(owner.is_(None), owner == user.id)


def _scrub_texts(user, names, emails, label, address):
    """Replace the e-mail addresses everywhere, the names where _name_may_be_replaced says.
    E-mail addresses first: an address may contain a name."""
    for table in db.metadata.sorted_tables:
        by_name = _name_may_be_replaced(table, user)
        for column in table.columns:
            if (table.name, column.name) in NOT_SCRUBBED:
                continue
            if isinstance(column.type, JSON):
                _scrub_json(table, column, by_name, names, emails, label, address)
                continue
            if not isinstance(column.type, String | Text):
                continue
            for email in emails:
                db.session.execute(
                    update(table)
                    .where(column.contains(email, autoescape=True))
                    .values({column.name: func.replace(column, email, address)})
                )
            for name in names if by_name is not None else ():
                db.session.execute(
                    update(table)
                    .where(column.contains(name, autoescape=True), by_name)
                    .values({column.name: func.replace(column, name, label)})
                )


def _scrub_json(table, column, by_name, names, emails, label, address):
    """JSON text may hold a name escaped (\\u00fc) or not: rows are found by either form,
    replaced in Python and written back one by one (few rows mention a person)."""
    as_text = cast(column, Text)
    texts = set(emails) | set(names) | {json.dumps(name)[1:-1] for name in names}
    found = or_(*(as_text.contains(text, autoescape=True) for text in texts))
    if by_name is None or by_name is True:
        may_rename = literal(by_name is True)
    else:
        may_rename = case((by_name, True), else_=False)
    key = list(table.primary_key.columns)
    for *ids, value, rename in db.session.execute(select(*key, column, may_rename).where(found)):
        pairs = [(email, address) for email in emails]
        pairs += [(name, label) for name in names] if rename else []
        scrubbed = _scrub_value(value, pairs)
        if scrubbed != value:
            db.session.execute(
                update(table)
                .where(and_(*(k == v for k, v in zip(key, ids, strict=True))))
                .values({column.name: scrubbed})
            )


def _identities(user):
    """The person's names and e-mail addresses, now and before (changes are in the audit
    log), longest first so that "Anna Maria Schmidt" goes before "Anna Schmidt"."""
    names, emails = {user.name}, {user.email}
    changes = db.session.scalars(
        select(AuditEntry.details).where(
            AuditEntry.action == "user.update",
            AuditEntry.subject_type == "user",
            AuditEntry.subject_id == str(user.id),
        )
    )
    for details in changes:
        if isinstance(details, dict):
            names.update(v for v in details.get("name") or () if isinstance(v, str) and v)
            emails.update(v for v in details.get("email") or () if isinstance(v, str) and v)
    # A very short name would match inside unrelated words: only whole names of 4+ characters.
    names = {name for name in names if len(name.strip()) >= 4}
    return sorted(names, key=len, reverse=True), sorted(emails, key=len, reverse=True)


def _to_users(column):
    return any(key.column.table.name == "users" for key in column.foreign_keys)


def erase(actor, user, confirmation, reason):
    """Erase the person (see the module's docstring) in one transaction; {kind: rows}."""
    reason = check(actor, user, confirmation, reason)
    names, emails = _identities(user)
    label, address = pseudonym(user), f"{pseudonym(user)}@erased.invalid"
    now = utcnow()
    counts = {}
    # The rows that belong to the person go, as they would with the account.
    for table, column in _owned_rows(user):
        if table.name == "user_roles":
            continue  # below, through the ORM, which holds the roles of the loaded user
        result = db.session.execute(table.delete().where(column == user.id))
        if result.rowcount:
            counts[table.name] = counts.get(table.name, 0) + result.rowcount
    user.role_rows = []
    # A plan keeps its activity, without the person responsible for it.
    db.session.execute(
        update(ProjectActivity)
        .where(ProjectActivity.responsible_id == user.id)
        .values(responsible_id=None)
        .execution_options(synchronize_session=False)
    )
    # Issued passes: revoked, without name, content or PDF; the hash stays for verification.
    passes = db.session.execute(
        update(MedienPass)
        .where(MedienPass.user_id == user.id)
        .values(
            status="revoked",
            revoked_at=func.coalesce(MedienPass.revoked_at, now),
            revoke_reason="holder erased",
            holder_name="",
            content="{}",
            pdf=b"",
        )
        .execution_options(synchronize_session=False)
    )
    counts["passes"] = passes.rowcount
    # Where the person acted or issued something, the pseudonym names them from now on.
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            link = table.columns.get(f"{column.name[:-6]}_id")
            if column.name.endswith("_label") and link is not None and _to_users(link):
                db.session.execute(
                    update(table).where(link == user.id).values({column.name: label})
                )
    db.session.execute(
        update(AuditEntry)
        .where(AuditEntry.subject_type == "user", AuditEntry.subject_id == str(user.id))
        .values(subject_label=label)
        .execution_options(synchronize_session=False)
    )
    _scrub_texts(user, names, emails, label, address)
    # The tombstone.
    user.name, user.email, user.password_hash = label, address, None
    user.active, user.locale, user.last_login_at = False, None, None
    user.department = user.job_role = None
    user.session_epoch = (user.session_epoch or 0) + 1
    user.erased_at = now
    reason = _scrub_value(reason, [(e, address) for e in emails] + [(n, label) for n in names])
    audit.record(actor, "privacy.erase", user, {"reason": reason, "deleted": counts})
    db.session.commit()
    return counts


def erasable(user_id):
    """The person to erase; None (404) when there is none, or when already erased."""
    user = db.session.get(User, user_id)
    if user is None or user.erased_at is not None:
        return None
    return user


def summary(user):
    """What an erasure would touch, for the confirmation page: {table: rows}."""
    counts = {}
    for table, column in _owned_rows(user):
        if table.name == UserRole.__tablename__:
            continue
        number = db.session.scalar(select(func.count()).select_from(table).where(column == user.id))
        if number:
            counts[table.name] = counts.get(table.name, 0) + number
    counts["passes"] = db.session.scalar(
        select(func.count()).select_from(MedienPass).where(MedienPass.user_id == user.id)
    )
    return counts
