"""Onboarding people from a CSV file: check every row, then create or update them all at once."""

import logging
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app.accounts import audit, services, userimport
from app.accounts.models import ROLES, User
from app.errors import DomainError
from app.extensions import db

log = logging.getLogger(__name__)


@dataclass
class ImportSummary:
    created: list
    updated: list
    unchanged: list

    def as_dict(self):
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
        }


def grantable_roles(actor):
    """Only an administrator (or the command line, actor None) may make administrators."""
    if actor is None or actor.has_role("admin"):
        return set(ROLES)
    return set(ROLES) - {"admin"}


def _roles_after(user, row_roles, grantable):
    """Roles a row gives: an uploader cannot take away what it could not have given."""
    kept = user.roles - grantable if user is not None else set()
    return set(row_roles) | kept


def _permission_problems(rows, existing, grantable):
    problems = []
    for row in rows:
        held = existing[row.email].roles if row.email in existing else set()
        for role in sorted(set(row.roles) - grantable - held):
            problems.append((row.line, _("You may not grant the role '%(role)s'.", role=role)))
    return problems


def _admin_problems(rows, existing, grantable):
    """The file must not leave the company without an active administrator."""
    losing = [
        row
        for row in rows
        if row.email in existing
        and existing[row.email].active
        and "admin" in existing[row.email].roles
        and "admin" not in _roles_after(existing[row.email], row.roles, grantable)
    ]
    if losing and services.active_admin_count() - len(losing) < 1:
        return [
            (
                row.line,
                _(
                    "%(name)s is the last active administrator; appoint another one first.",
                    name=existing[row.email].name,
                ),
            )
            for row in losing
        ]
    return []


def import_users(actor, data):
    """Create or update the users of a CSV file: all rows are checked, then all are written."""
    deps = {dep.name.lower(): dep for dep in services.departments()}
    jobs = {job.name.lower(): job for job in services.job_roles()}
    result = userimport.parse_users(
        data,
        {key: dep.name for key, dep in deps.items()},
        {key: job.name for key, job in jobs.items()},
        ROLES,
        _=_,
    )
    emails = [row.email for row in result.rows]
    existing = {
        user.email: user for user in db.session.scalars(select(User).where(User.email.in_(emails)))
    }
    grantable = grantable_roles(actor)
    problems = sorted(
        result.problems
        + _permission_problems(result.rows, existing, grantable)
        + _admin_problems(result.rows, existing, grantable),
        key=lambda problem: problem[0],
    )
    if problems:
        raise DomainError(
            ngettext(
                "The file has %(num)d problem; nothing was imported.",
                "The file has %(num)d problems; nothing was imported.",
                len(problems),
            ),
            problems=problems,
        )

    summary = ImportSummary([], [], [])
    for row in result.rows:
        department, job_role = deps[row.department.lower()], jobs[row.job_role.lower()]
        user = existing.get(row.email)
        if user is None:
            details = {"source": "csv", "line": row.line}
            user = services.add_user(
                actor, row.email, row.name, department, job_role, row.roles, details
            )
            summary.created.append(user)
            continue
        before = services.snapshot(user)
        user.name, user.department, user.job_role = row.name, department, job_role
        services.set_roles(user, _roles_after(user, row.roles, grantable))
        services.note_membership(user, before)
        if services.audit_changes(actor, user, before):
            summary.updated.append(user)
        else:
            summary.unchanged.append(user)
    audit.record(actor, "user.import", None, summary.as_dict())
    services.commit()
    return summary
