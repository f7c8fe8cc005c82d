"""Works-council mode (BetrVG § 87 (1) 6): person-level reports need a second approver.

With the mode on (a setting, off by default), a trainer, HR person or admin sees another
person's data (competence profile, a row of the competence matrix or its exports, a name
in a compliance drill-down) only while they hold an approved request covering that person:
for one person, a department or a job role. Another person with the HR or admin role
approves or rejects it; the requester can never decide their own request (also a check
constraint). An approval opens the data for GRANT_DAYS days, then it is locked again.
Requests, decisions and every person-level view are audited. With the mode off everybody
with the role sees the reports as before."""

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from app.accounts import audit, settings
from app.accounts.models import Department, JobRole, User, utcnow
from app.council.models import SCOPES, AccessRequest
from app.errors import DomainError
from app.extensions import db

GRANT_DAYS = 7
REQUESTERS = ("trainer", "hr", "admin")
DECIDERS = ("hr", "admin")
REASON_LENGTH = (10, 2000)


@dataclass(frozen=True)
class Coverage:
    """Whose person-level data an actor may see now: everyone (mode off), or the people of
    the departments, job roles and persons of their approved, unexpired requests."""

    everyone: bool = False
    departments: frozenset = frozenset()
    job_roles: frozenset = frozenset()
    persons: frozenset = frozenset()

    def covers(self, user_id, department_id=None, job_role_id=None):
        return (
            self.everyone
            or user_id in self.persons
            or (department_id is not None and department_id in self.departments)
            or (job_role_id is not None and job_role_id in self.job_roles)
        )

    def covers_user(self, user):
        return self.covers(user.id, user.department_id, user.job_role_id)

    def where(self):
        """The covered users as an SQL condition on User."""
        if self.everyone:
            return sa.true()
        return sa.or_(
            User.id.in_(self.persons),
            User.department_id.in_(self.departments),
            User.job_role_id.in_(self.job_roles),
        )

    @property
    def anyone(self):
        return self.everyone or bool(self.departments or self.job_roles or self.persons)


EVERYONE = Coverage(everyone=True)


def active():
    return settings.works_council_mode()


def coverage(actor, now=None):
    """The actor's Coverage now (one query in works-council mode, none otherwise)."""
    if not active():
        return EVERYONE
    now = now or utcnow()
    rows = db.session.execute(
        sa.select(
            AccessRequest.department_id, AccessRequest.job_role_id, AccessRequest.person_id
        ).where(
            AccessRequest.requester_id == actor.id,
            AccessRequest.state == "approved",
            AccessRequest.expires_at > now,
        )
    ).all()
    return Coverage(
        departments=frozenset(r.department_id for r in rows if r.department_id is not None),
        job_roles=frozenset(r.job_role_id for r in rows if r.job_role_id is not None),
        persons=frozenset(r.person_id for r in rows if r.person_id is not None),
    )


def may_see(actor, person, now=None):
    """True when the actor may see this person's data now; one's own data always."""
    return actor.id == person.id or coverage(actor, now).covers_user(person)


class ApprovalNeeded(Exception):  # noqa: N818  (a state, not a failure of the code)
    """A person-level view that no approval covers; answered with a 403 page that says so
    (app/council/views.py) before anything is shown or recorded."""

    def __init__(self, person=None):
        super().__init__(person)
        self.person = person


def require(actor, person):
    """Raise ApprovalNeeded unless the actor may see this person's data now."""
    if actor is not None and not may_see(actor, person):
        raise ApprovalNeeded(person)


def require_anyone(actor):
    """The actor's Coverage, or ApprovalNeeded when it covers nobody (a report of people)."""
    covered = coverage(actor) if actor is not None else EVERYONE
    if not covered.anyone:
        raise ApprovalNeeded()
    return covered


def minimum_group(configured):
    """The minimum group size of an aggregate with its own setting (course feedback): in
    works-council mode never below the reports' minimum, which is at least 5 there."""
    if not active():
        return configured
    return max(configured, settings.report_min_group())


def withheld(people):
    """True when a group statistic over this many people must be withheld: only in
    works-council mode (with the mode off trainers see item statistics as before)."""
    return active() and people < settings.report_min_group()


# ---- requests and decisions


def _target(scope, target_id):
    model = {"department": Department, "job_role": JobRole, "person": User}.get(scope)
    if model is None:
        raise DomainError(_("Please choose a department, a job role or a person."), where="scope")
    target = db.session.get(model, target_id) if target_id else None
    if target is None or (scope == "person" and not target.active):
        where = {"department": "department", "job_role": "job_role"}.get(scope, "person")
        messages = {
            "department": _("Please choose a department."),
            "job_role": _("Please choose a job role."),
            "person": _("There is no active person with this e-mail address."),
        }
        raise DomainError(messages[scope], where=where)
    return target


def person_by_email(email):
    """The active person a request names by e-mail, or a DomainError on the field."""
    from app.accounts.auth import find_user_by_email

    person = find_user_by_email(email or "")
    if person is None or not person.active:
        raise DomainError(_("There is no active person with this e-mail address."), where="person")
    return person


def request_access(actor, scope, target_id, reason):
    """Ask for access to a department's, a job role's or one person's data (audited)."""
    if not active():
        raise DomainError(_("Works-council mode is off: person-level reports need no approval."))
    if not actor.has_role(*REQUESTERS):
        raise DomainError(_("Only trainers, HR and admins read person-level reports."))
    if scope not in SCOPES:
        raise DomainError(_("Please choose a department, a job role or a person."), where="scope")
    target = _target(scope, target_id)
    if scope == "person" and target.id == actor.id:
        raise DomainError(_("You see your own data without approval."), where="person")
    reason = " ".join((reason or "").split())
    low, high = REASON_LENGTH
    if not low <= len(reason) <= high:
        raise DomainError(
            _("Please give a reason of %(low)d to %(high)d characters: the approver and the "
              "works council read it.", low=low, high=high),
            where="reason",
        )  # fmt: skip
    column = {"department": "department_id", "job_role": "job_role_id", "person": "person_id"}
    pending = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(AccessRequest)
        .where(
            AccessRequest.requester_id == actor.id,
            AccessRequest.scope == scope,
            getattr(AccessRequest, column[scope]) == target.id,
            AccessRequest.state == "pending",
        )
    )
    if pending:
        raise DomainError(_("You have already asked for this; the request waits for a decision."))
    request = AccessRequest(
        requester_id=actor.id, scope=scope, reason=reason, **{column[scope]: target.id}
    )
    db.session.add(request)
    db.session.flush()
    audit.record(actor, "access.request", target, {"request": request.id, "reason": reason})
    db.session.commit()
    return request


def decide(actor, request_id, approve, note="", now=None):
    """Approve (for GRANT_DAYS days) or reject a pending request of somebody else; audited.
    The requester deciding their own request is refused: a single approver is not enough."""
    request = db.session.get(AccessRequest, request_id)
    if request is None or not actor.has_role(*DECIDERS):
        raise LookupError(request_id)
    if request.requester_id == actor.id:
        raise DomainError(
            _("You cannot decide your own request: another person with the HR or admin role "
              "must approve it.")
        )  # fmt: skip
    note = " ".join((note or "").split())
    if len(note) > REASON_LENGTH[1]:
        raise DomainError(_("The note is longer than 2,000 characters."), where="note")
    if request.state != "pending":
        raise DomainError(_("This request has already been decided."))
    now = now or utcnow()
    values = {
        "state": "approved" if approve else "rejected",
        "decided_by_id": actor.id,
        "decided_at": now,
        "decision_note": note,
        "expires_at": now + timedelta(days=GRANT_DAYS) if approve else None,
    }
    # Conditional, so that two deciders at once cannot both decide.
    done = db.session.execute(
        sa.update(AccessRequest)
        .where(AccessRequest.id == request.id, AccessRequest.state == "pending")
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not done:
        db.session.rollback()
        raise DomainError(_("This request has already been decided."))
    db.session.expire(request)
    target = {"department": request.department, "job_role": request.job_role}.get(
        request.scope, request.person
    )
    details = {"request": request.id, "requester": request.requester.email, "note": note}
    if approve:
        details["until"] = values["expires_at"].isoformat(timespec="minutes")
    audit.record(actor, "access.approve" if approve else "access.reject", target, details)
    db.session.commit()
    return request


def requests_of(actor):
    """The actor's own requests, newest first, with their targets and deciders."""
    return db.session.scalars(
        _with_targets(sa.select(AccessRequest))
        .where(AccessRequest.requester_id == actor.id)
        .order_by(AccessRequest.created_at.desc(), AccessRequest.id.desc())
        .limit(100)
    ).all()


def waiting_for(actor):
    """Pending requests of other people that this actor may decide, oldest first."""
    if not actor.has_role(*DECIDERS):
        return []
    return db.session.scalars(
        _with_targets(sa.select(AccessRequest))
        .where(AccessRequest.state == "pending", AccessRequest.requester_id != actor.id)
        .order_by(AccessRequest.created_at, AccessRequest.id)
    ).all()


def _with_targets(statement):
    from sqlalchemy.orm import joinedload

    return statement.options(
        joinedload(AccessRequest.requester),
        joinedload(AccessRequest.decided_by),
        joinedload(AccessRequest.person),
        joinedload(AccessRequest.department),
        joinedload(AccessRequest.job_role),
    )
