"""Editing the proficiency scale of a draft framework version (service).

Scales may be shared: every imported framework without its own scale uses the default one,
and a new version starts with its predecessor's. Editing therefore gives the draft a scale
of its own and leaves the one that published versions use untouched."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts import audit
from app.errors import DomainError
from app.extensions import db
from app.frameworks.editing import _draft_only
from app.frameworks.models import (
    Competence,
    Evidence,
    Framework,
    RequirementTarget,
    Scale,
    ScaleLevel,
)
from app.frameworks.services import DEFAULT_SCALE_NAME


def _check(framework, name, levels):
    """levels: [(old position or None, name, name_en)] lowest first. Returns the kept ones."""
    _draft_only(framework)
    if not (name or "").strip():
        raise DomainError(_("The name of the scale is missing."), where="name")
    if len(name.strip()) > 200:
        raise DomainError(_("The name is longer than 200 characters."), where="name")
    current = len(framework.scale.levels)
    kept, seen, problems = [], set(), []
    for number, (old, level_name, name_en) in enumerate(levels, start=1):
        level_name, name_en = (level_name or "").strip(), (name_en or "").strip()
        if not level_name:
            if name_en:
                problems.append((_("Level %(n)d", n=number), _("The name is missing.")))
            continue
        if old is not None and not 1 <= old <= current:
            problems.append((_("Level %(n)d", n=number), _("Unknown level.")))
        if len(level_name) > 120 or len(name_en) > 120:
            problems.append(
                (_("Level %(n)d", n=number), _("The name is longer than 120 characters."))
            )
        if level_name.casefold() in seen:
            problems.append(
                (_("Level %(n)d", n=number), _("The name %(name)s is used twice.", name=level_name))
            )
        seen.add(level_name.casefold())
        kept.append((old, level_name, name_en))
    if problems:
        raise DomainError(_("The scale has not been changed."), problems=problems)
    if len(kept) < 2:
        raise DomainError(_("A scale needs at least two levels."))
    return kept


def _uses(framework, model, positions):
    """{position: count} of targets or evidence of this version at the given levels."""
    if not positions:
        return {}
    return dict(
        db.session.execute(
            select(model.level, func.count())
            .join(Competence, model.competence_id == Competence.id)
            .where(Competence.framework_id == framework.id, model.level.in_(positions))
            .group_by(model.level)
        ).all()
    )


def update_scale(actor, framework, name, levels):
    """Rename the scale and its levels, add levels at the top, remove unused ones.

    A level whose name is cleared is removed; the requirement targets of this version move
    with their level when the levels below it change."""
    kept = _check(framework, name, levels)
    old_scale = framework.scale
    before = [level.name for level in old_scale.levels]
    removed = set(range(1, len(before) + 1)) - {old for old, _n, _e in kept if old}
    moves = {old: new for new, (old, _n, _e) in enumerate(kept, start=1) if old and old != new}
    used = _uses(framework, RequirementTarget, removed)
    # Evidence is append-only: its level cannot follow a level that moves.
    for position, count in _uses(framework, Evidence, removed | set(moves)).items():
        used[position] = used.get(position, 0) + count
    if used:
        raise DomainError(
            _("The scale has not been changed."),
            problems=[
                (
                    before[position - 1],
                    _(
                        "%(n)d requirement targets or pieces of evidence use this level; "
                        "change them first.",
                        n=count,
                    ),
                )
                for position, count in sorted(used.items())
            ],
        )
    if moves:
        targets = db.session.scalars(
            select(RequirementTarget)
            .join(RequirementTarget.competence)
            .where(Competence.framework_id == framework.id)
        )
        for target in targets:
            target.level = moves.get(target.level, target.level)
    scale = Scale(name=name.strip())
    scale.levels = [
        ScaleLevel(position=position, name=level_name, name_en=name_en)
        for position, (_old, level_name, name_en) in enumerate(kept, start=1)
    ]
    framework.scale = scale
    db.session.flush()
    others = db.session.scalar(
        select(func.count()).select_from(Framework).where(Framework.scale_id == old_scale.id)
    )
    if not others and old_scale.name != DEFAULT_SCALE_NAME:
        db.session.delete(old_scale)
    audit.record(
        actor,
        "scale.update",
        framework,
        {"before": before, "after": [level_name for _o, level_name, _e in kept]},
    )
    db.session.commit()
    return scale
