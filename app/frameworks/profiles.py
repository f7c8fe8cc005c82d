"""Requirement profiles, evidence and a person's competence profile (service)."""

import logging
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from app.accounts import audit
from app.errors import DomainError
from app.extensions import db
from app.frameworks import levels
from app.frameworks.case import stable_identifier
from app.frameworks.models import (
    EVIDENCE_SOURCES,
    Competence,
    Evidence,
    Framework,
    RequirementTarget,
)
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


def record_evidence(
    actor, user, competence, level, source, issued_on, expires_on=None, justification=""
):
    """Add one piece of evidence, checked against the framework's scale; audited."""
    if source not in EVIDENCE_SOURCES:
        raise DomainError(_("Unknown source of evidence."), where="source")
    top = len(competence.framework.scale.levels)
    if not 1 <= int(level) <= top:
        raise DomainError(_("The level must be between 1 and %(top)d.", top=top), where="level")
    if source == "rating" and not (justification or "").strip():
        raise DomainError(_("A rating needs a justification."), where="justification")
    if expires_on is not None and expires_on < issued_on:
        raise DomainError(_("The expiry date lies before the issue date."), where="expires_on")
    evidence = Evidence(
        user_id=user.id,
        competence=competence,
        level=int(level),
        source=source,
        issuer_id=actor.id if actor else None,
        issuer_label=actor.name if actor else "Medienpass",
        issued_on=issued_on,
        expires_on=expires_on,
        justification=(justification or "").strip(),
    )
    db.session.add(evidence)
    db.session.flush()
    audit.record(
        actor,
        "evidence.create",
        user,
        {"competence": competence.code, "level": int(level), "source": source},
    )
    db.session.commit()
    return evidence


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
    competences = db.session.scalars(
        select(Competence)
        .where(Competence.framework_id == framework.id)
        .order_by(Competence.position)
    ).all()
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
