"""Editing a draft version of a framework: change, add, move, delete or retire competences.

A published version never changes: every use case here refuses anything but a draft.
"""

import uuid

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts import audit
from app.errors import DomainError
from app.extensions import db
from app.frameworks.models import Competence, Evidence, RequirementTarget
from app.frameworks.services import competences_in_order
from app.frameworks.tree import Node, ordered


def _draft_only(framework):
    if framework.status != "draft":
        raise DomainError(
            _("A published version cannot be changed. Create a new version to edit it.")
        )


def _rows(framework):
    return competences_in_order(framework)


def _check_fields(framework, code, title, competence=None):
    title, code = (title or "").strip(), (code or "").strip()
    if not title:
        raise DomainError(_("The title is missing."), where="title")
    if len(code) > 64:
        raise DomainError(_("The code is longer than 64 characters."), where="code")
    if code:
        other = db.session.scalar(
            select(Competence).where(
                Competence.framework_id == framework.id, Competence.code == code
            )
        )
        if other is not None and other is not competence:
            raise DomainError(
                _("The code %(code)s is used already in this framework.", code=code),
                where="code",
            )
    return code, title


def _renumber(rows, order):
    """Positions and depths again from the parent links; order: {row id: sort value}."""
    nodes = [
        Node(
            key=str(row.id),
            title=row.title,
            parent=str(row.parent_id) if row.parent_id else None,
            order=order[row.id],
        )
        for row in rows
    ]
    by_id = {str(row.id): row for row in rows}
    for position, (node, depth) in enumerate(ordered(nodes)):
        by_id[node.key].position = position
        by_id[node.key].depth = depth


KEEP = object()


def descendants(competence, rows):
    """Ids of every competence below this one, from the framework's rows in tree order."""
    below, found = {competence.id}, set()
    for row in rows:
        if row.parent_id in below:
            below.add(row.id)
            found.add(row.id)
    return found


def edit_competence(actor, competence, code, title, description, parent=KEEP):
    """Change code, title and description; with parent given, also move the competence and
    everything below it to the end of that parent's children (None: the top level)."""
    framework = competence.framework
    _draft_only(framework)
    code, title = _check_fields(framework, code, title, competence)
    rows = _rows(framework)
    moving = parent is not KEEP and parent != competence.parent
    if moving and parent is not None:
        if parent.framework_id != framework.id or parent.id in descendants(competence, rows) | {
            competence.id
        }:
            raise DomainError(
                _("A competence cannot be moved below itself or below its own children."),
                where="parent_id",
            )
    before = {"code": competence.code, "title": competence.title}
    after = {"code": code, "title": title}
    competence.code, competence.title = code, title
    competence.description = (description or "").strip()
    if moving:
        before["parent"] = competence.parent.code if competence.parent else ""
        after["parent"] = parent.code if parent else ""
        competence.parent = parent
        competence.parent_id = parent.id if parent else None
        order = {row.id: row.position for row in rows}
        order[competence.id] = len(rows)  # last among its new siblings
        _renumber(rows, order)
    audit.record(actor, "competence.update", framework, {"before": before, "after": after})
    db.session.commit()


def add_competence(actor, framework, parent, code, title, description=""):
    _draft_only(framework)
    if parent is not None and parent.framework_id != framework.id:
        raise DomainError(_("Please choose a competence."), where="parent_id")
    code, title = _check_fields(framework, code, title)
    rows = _rows(framework)
    competence = Competence(
        framework=framework,
        parent=parent,
        position=len(rows),
        depth=parent.depth + 1 if parent else 0,
        identifier=str(uuid.uuid4()),
        code=code,
        title=title,
        description=(description or "").strip(),
    )
    db.session.add(competence)
    db.session.flush()
    order = {row.id: row.position for row in rows}
    order[competence.id] = len(rows)  # last among its siblings
    _renumber([*rows, competence], order)
    audit.record(actor, "competence.create", framework, {"code": code, "title": title})
    db.session.commit()
    return competence


def move_competence(actor, competence, direction):
    """Swap with the previous (direction -1) or next (+1) sibling."""
    framework = competence.framework
    _draft_only(framework)
    rows = _rows(framework)
    siblings = [row for row in rows if row.parent_id == competence.parent_id]
    index = siblings.index(competence)
    other = index + direction
    if not 0 <= other < len(siblings):
        return
    order = {row.id: row.position for row in rows}
    mine, theirs = order[competence.id], order[siblings[other].id]
    order[competence.id], order[siblings[other].id] = theirs, mine
    _renumber(rows, order)
    audit.record(actor, "competence.move", framework, {"code": competence.code})
    db.session.commit()


def is_referenced(competence):
    evidence = db.session.scalar(
        select(func.count()).select_from(Evidence).where(Evidence.competence_id == competence.id)
    )
    targets = db.session.scalar(
        select(func.count())
        .select_from(RequirementTarget)
        .where(RequirementTarget.competence_id == competence.id)
    )
    return bool(evidence or targets)


def remove_competence(actor, competence):
    """Delete a competence nothing refers to; one with evidence or targets is retired.
    Returns "deleted" or "retired"."""
    framework = competence.framework
    _draft_only(framework)
    children = db.session.scalar(
        select(func.count()).select_from(Competence).where(Competence.parent_id == competence.id)
    )
    if children:
        raise DomainError(
            _(
                "%(code)s has competences below it; remove or move those first.",
                code=competence.code or competence.title,
            )
        )
    if is_referenced(competence):
        competence.retired = True
        audit.record(actor, "competence.retire", framework, {"code": competence.code})
        db.session.commit()
        return "retired"
    rows = [row for row in _rows(framework) if row.id != competence.id]
    audit.record(actor, "competence.delete", framework, {"code": competence.code})
    db.session.delete(competence)
    db.session.flush()
    _renumber(rows, {row.id: row.position for row in rows})
    db.session.commit()
    return "deleted"
