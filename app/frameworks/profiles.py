"""Requirement profiles, evidence and a person's competence profile (service)."""

import logging
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, selectinload

from app.accounts import audit
from app.errors import DomainError
from app.extensions import db
from app.frameworks import levels
from app.frameworks.case import stable_identifier
from app.frameworks.models import (
    Competence,
    Evidence,
    Framework,
    MediaConcept,
    RequirementTarget,
)
from app.frameworks.services import competences_in_order
from app.frameworks.shipped import DEFAULT

log = logging.getLogger(__name__)


def published_frameworks():
    return db.session.scalars(
        select(Framework).where(Framework.status == "published").order_by(Framework.id)
    ).all()


def default_framework():
    """The company's default framework: the shipped KMK framework, else the first published."""
    frameworks = published_frameworks()
    lineage = stable_identifier("document", f"medienpass:{DEFAULT}")
    for framework in reversed(frameworks):  # the newest published version
        if framework.lineage == lineage:
            return framework
    return frameworks[0] if frameworks else None


def _lineage_competences(framework):
    return select(Competence.id).join(Framework).where(Framework.lineage == framework.lineage)


@dataclass
class ProfileRow:
    competence: Competence
    target: int
    held: int
    evidence: list = field(default_factory=list)

    @property
    def missing(self):
        return max(0, self.target - self.held)


@dataclass
class ProfileArea:
    area: Competence
    rows: list


@dataclass
class Profile:
    framework: Framework
    areas: list
    level_names: list

    @property
    def rows(self):
        return [row for area in self.areas for row in area.rows]

    @property
    def required(self):
        return [row for row in self.rows if row.target]

    @property
    def open_gaps(self):
        return [row for row in self.required if row.missing]


def competence_profile(user, framework, today=None):
    """Required and held level per competence of the framework, with the evidence behind it.
    Evidence and targets of other versions of the same framework count by code."""
    today = today or date.today()
    competences = competences_in_order(framework)
    targets = {}
    if user.job_role_id:
        rows = db.session.execute(
            select(Competence.code, RequirementTarget.level)
            .join(RequirementTarget.competence)
            .where(
                RequirementTarget.job_role_id == user.job_role_id,
                Competence.id.in_(_lineage_competences(framework)),
            )
        )
        for code, level in rows:
            targets[code] = max(level, targets.get(code, 0))
    evidence = db.session.scalars(
        select(Evidence)
        .join(Evidence.competence)
        .options(contains_eager(Evidence.competence))  # also competences of older versions
        .options(selectinload(Evidence.revoked_by))
        .where(Evidence.user_id == user.id, Competence.id.in_(_lineage_competences(framework)))
        .order_by(Evidence.issued_on.desc())
    ).all()
    facts = [
        levels.EvidenceFact(
            e.competence.code,
            e.level,
            e.issued_on,
            e.expires_on,
            e.revoked_at.date() if e.revoked_at else None,
        )
        for e in evidence
    ]
    held = levels.levels_on(facts, today)
    by_code = {}
    for item in evidence:
        by_code.setdefault(item.competence.code, []).append(item)
    areas, current = [], None
    for competence in competences:
        if competence.depth == 0:
            current = ProfileArea(competence, [])
            areas.append(current)
            continue
        if current is None or competence.depth > 1:
            continue
        current.rows.append(
            ProfileRow(
                competence,
                targets.get(competence.code, 0),
                held.get(competence.code, 0),
                by_code.get(competence.code, []),
            )
        )
    return Profile(framework, areas, [level.name for level in framework.scale.levels])


@dataclass
class Matrix:
    framework: Framework
    competences: list  # competences (not areas) in tree order
    job_roles: list
    targets: dict  # (job_role_id, competence_id) -> level
    level_names: list


def requirement_matrix(framework):
    from app.accounts.services import job_roles

    competences = db.session.scalars(
        select(Competence)
        .where(Competence.framework_id == framework.id, Competence.depth == 1)
        .order_by(Competence.position)
    ).all()
    roles = job_roles()
    targets = {
        (row.job_role_id, row.competence_id): row.level
        for row in db.session.scalars(
            select(RequirementTarget)
            .join(RequirementTarget.competence)
            .where(Competence.framework_id == framework.id)
        )
    }
    return Matrix(
        framework, competences, roles, targets, [level.name for level in framework.scale.levels]
    )


def save_matrix(actor, framework, cells):
    """Set the targets of a framework from {(job_role_id, competence_id): level or 0}.

    Every cell is checked first; then the targets change in one transaction, audited per
    job role with what changed."""
    matrix = requirement_matrix(framework)
    top = len(matrix.level_names)
    valid_roles = {role.id: role for role in matrix.job_roles}
    valid_competences = {c.id: c for c in matrix.competences}
    problems = []
    for (role_id, competence_id), level in cells.items():
        if role_id not in valid_roles or competence_id not in valid_competences:
            problems.append((f"{role_id}/{competence_id}", _("Unknown job role or competence.")))
        elif not 0 <= level <= top:
            problems.append(
                (
                    valid_competences[competence_id].code,
                    _("The level must be between 1 and %(top)d.", top=top),
                )
            )
    if problems:
        raise DomainError(_("Nothing was saved."), problems=problems)
    existing = {
        (row.job_role_id, row.competence_id): row
        for row in db.session.scalars(
            select(RequirementTarget)
            .join(RequirementTarget.competence)
            .where(Competence.framework_id == framework.id)
        )
    }
    changes = {}
    for key, level in cells.items():
        row = existing.get(key)
        old = row.level if row else 0
        if old == level:
            continue
        if row is None:
            db.session.add(RequirementTarget(job_role_id=key[0], competence_id=key[1], level=level))
        elif level == 0:
            db.session.delete(row)
        else:
            row.level = level
        code = valid_competences[key[1]].code
        changes.setdefault(key[0], {})[code] = [old, level]
    for role_id, changed in changes.items():
        audit.record(
            actor,
            "requirements.update",
            valid_roles[role_id],
            {"framework": framework.id, "changes": changed},
        )
    db.session.commit()
    return sum(len(changed) for changed in changes.values())


def copy_profile(actor, framework, source_role, target_role):
    """Give target_role the same targets in this framework as source_role."""
    matrix = requirement_matrix(framework)
    cells = {
        (target_role.id, competence.id): matrix.targets.get((source_role.id, competence.id), 0)
        for competence in matrix.competences
    }
    return save_matrix(actor, framework, cells)


def media_concept():
    """The Medienkonzept row; an empty, unsaved one until goals are first written."""
    concept = db.session.scalar(select(MediaConcept).order_by(MediaConcept.id))
    return concept if concept is not None else MediaConcept(goals="")


def update_goals(actor, goals):
    goals = (goals or "").strip()
    if len(goals) > 20000:
        raise DomainError(_("The goals are longer than 20,000 characters."), where="goals")
    concept = media_concept()
    db.session.add(concept)
    concept.goals = goals
    concept.updated_by_id = actor.id if actor else None
    audit.record(actor, "medienkonzept.update", None, {"characters": len(goals)})
    db.session.commit()
    return concept


def profile_summary(framework):
    """[(job role, number of required competences, people holding the job role)]."""
    from app.accounts.models import User
    from app.accounts.services import job_roles

    required = dict(
        db.session.execute(
            select(RequirementTarget.job_role_id, func.count())
            .join(RequirementTarget.competence)
            .where(Competence.framework_id == framework.id)
            .group_by(RequirementTarget.job_role_id)
        ).all()
    )
    people = dict(
        db.session.execute(
            select(User.job_role_id, func.count()).where(User.active).group_by(User.job_role_id)
        ).all()
    )
    return [(role, required.get(role.id, 0), people.get(role.id, 0)) for role in job_roles()]
