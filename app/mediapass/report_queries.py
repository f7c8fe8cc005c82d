"""Reading what HR's competence reports need, in a fixed number of queries whatever the
number of people: the framework's competences, the targets of every job role, and the
evidence of the people shown (levels are then computed in app.frameworks.levels)."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.extensions import db
from app.frameworks import levels
from app.frameworks.models import Competence, Evidence, Framework, RequirementTarget
from app.mediapass.gaps import Person


def competences(framework):
    """The competences (not areas) of the framework version, in tree order."""
    return db.session.scalars(
        select(Competence)
        .where(Competence.framework_id == framework.id, Competence.depth == 1)
        .order_by(Competence.position)
    ).all()


def _targets(framework):
    """{job role id: {code: level}}; targets of every version of the framework count by code."""
    rows = db.session.execute(
        select(RequirementTarget.job_role_id, Competence.code, RequirementTarget.level)
        .join(RequirementTarget.competence)
        .join(Framework, Framework.id == Competence.framework_id)
        .where(Framework.lineage == framework.lineage)
    )
    targets = {}
    for role_id, code, level in rows:
        role = targets.setdefault(role_id, {})
        role[code] = max(level, role.get(code, 0))
    return targets


def _held(framework, user_ids, today):
    """{user id: {code: level}} from the evidence that counts today (one query)."""
    facts = {}
    if not user_ids:
        return facts
    rows = db.session.execute(
        select(
            Evidence.user_id,
            Competence.code,
            Evidence.level,
            Evidence.issued_on,
            Evidence.expires_on,
            Evidence.revoked_at,
        )
        .join(Evidence.competence)
        .join(Framework, Framework.id == Competence.framework_id)
        .where(Framework.lineage == framework.lineage, Evidence.user_id.in_(user_ids))
    )
    for user_id, code, level, issued, expires, revoked in rows:
        revoked_on = revoked.date() if revoked else None
        facts.setdefault(user_id, []).append(
            levels.EvidenceFact(code, level, issued, expires, revoked_on)
        )
    return {user_id: levels.levels_on(items, today) for user_id, items in facts.items()}


def people_statement(department_id=None, job_role_id=None, covered=None):
    """Active people by name; covered: an SQL condition on User limiting them to those an
    approval covers (works-council mode, app/council/approvals.py)."""
    statement = (
        select(User)
        .where(User.active.is_(True))
        .options(joinedload(User.department), joinedload(User.job_role))
        .order_by(User.name, User.id)
    )
    if department_id:
        statement = statement.where(User.department_id == department_id)
    if job_role_id:
        statement = statement.where(User.job_role_id == job_role_id)
    if covered is not None:
        statement = statement.where(covered)
    return statement


def as_people(framework, users, today=None):
    """[Person] with the targets of their job role and the levels they hold today."""
    today = today or date.today()
    targets = _targets(framework)
    held = _held(framework, [user.id for user in users], today)
    return [
        Person(
            user.id,
            user.name,
            user.department.name if user.department else "",
            user.job_role.name if user.job_role else "",
            targets.get(user.job_role_id, {}),
            held.get(user.id, {}),
        )
        for user in users
    ]


def everyone(framework, department_id=None, job_role_id=None):
    users = db.session.scalars(people_statement(department_id, job_role_id)).unique().all()
    return as_people(framework, users)
