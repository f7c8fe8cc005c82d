"""What the frameworks package does: import and export frameworks, list them, default scale."""

import logging
import uuid

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from app.accounts import audit
from app.accounts.models import utcnow
from app.errors import DomainError
from app.extensions import db
from app.frameworks import case, moodlecsv, shipped, versions
from app.frameworks.models import Competence, Framework, Scale, ScaleLevel
from app.frameworks.tree import FormatError, FrameworkData, Node, at_line, ordered

log = logging.getLogger(__name__)

DEFAULT_SCALE = (
    ("Grundlagen", "Foundation"),
    ("Aufbau", "Intermediate"),
    ("Fortgeschritten", "Advanced"),
    ("Expertise", "Expert"),
)

DEFAULT_SCALE_NAME = "Medienpass-Standard"


def parse_framework_file(data):
    """FrameworkData of a CASE JSON or Moodle CSV file, told apart by their content."""
    text = data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data
    try:
        if case.looks_like_case(text):
            return case.read_case(data)
        if moodlecsv.looks_like_moodle_csv(text):
            return moodlecsv.read_moodle_csv(data)
    except FormatError as error:
        raise DomainError(
            ngettext(
                "The file has %(num)d problem; nothing was imported.",
                "The file has %(num)d problems; nothing was imported.",
                len(error.problems),
            ),
            problems=error.problems,
        )
    raise DomainError(
        _(
            "Neither a CASE JSON package (no CFDocument) nor a Moodle competency framework "
            "CSV (the first header column is not parentidnumber)."
        ),
        where=at_line(1),
    )


def _scale_for(parsed):
    if parsed.scale:
        scale = Scale(name=f"{parsed.title}")
        scale.levels = [
            ScaleLevel(position=index, name=name)
            for index, name in enumerate(parsed.scale, start=1)
        ]
        return scale
    return default_scale()


def default_scale():
    """The default four-level scale, created once."""
    scale = db.session.scalar(
        select(Scale).where(Scale.name == DEFAULT_SCALE_NAME).order_by(Scale.id).limit(1)
    )
    if scale is None:
        scale = Scale(name=DEFAULT_SCALE_NAME)
        scale.levels = [
            ScaleLevel(position=index, name=name, name_en=name_en)
            for index, (name, name_en) in enumerate(DEFAULT_SCALE, start=1)
        ]
        db.session.add(scale)
    return scale


def import_framework(actor, data, status="draft"):
    """Check the whole file, then write the framework with its tree in one transaction."""
    parsed = parse_framework_file(data)
    return _store(actor, parsed, status)


def load_shipped(actor=None):
    """Import the shipped frameworks (KMK 2016, DigComp 2.2, NRW) that are not there yet,
    published; returns the frameworks imported now."""
    loaded = []
    for name in shipped.SHIPPED:
        parsed = case.read_case(shipped.case_path(name).read_bytes())
        exists = db.session.scalar(
            select(Framework.id).where(Framework.lineage == parsed.identifier)
        )
        if exists is None:
            framework, _count, _warnings = _store(actor, parsed, "published")
            loaded.append(framework)
    return loaded


def _store(actor, parsed, status):
    lineage = parsed.identifier or str(uuid.uuid4())
    version = (
        db.session.scalar(
            select(func.max(Framework.version_number)).where(Framework.lineage == lineage)
        )
        or 0
    ) + 1
    framework = Framework(
        lineage=lineage[:64],
        version_number=version,
        version_label=parsed.version[:40],
        identifier=case.stable_identifier("document", parsed.identifier or parsed.title),
        title=parsed.title[:300],
        title_en=parsed.title_en[:300],
        description=parsed.description,
        source=parsed.source[:500],
        language=(parsed.language or "de")[:20],
        status=status,
        published_at=utcnow() if status == "published" else None,
        scale=_scale_for(parsed),
    )
    db.session.add(framework)
    rows = {}
    for position, (node, depth) in enumerate(ordered(parsed.nodes)):
        row = Competence(
            framework=framework,
            parent=rows[node.parent] if node.parent is not None else None,
            position=position,
            depth=depth,
            identifier=case.stable_identifier(framework.identifier, node.key),
            code=node.code[:64],
            kind=node.kind[:80],
            title=node.title,
            title_en=node.title_en,
            description=node.description,
            description_en=node.description_en,
        )
        rows[node.key] = row
        db.session.add(row)
    db.session.flush()
    audit.record(
        actor,
        "framework.import",
        framework,
        {"competences": len(rows), "warnings": len(parsed.warnings)},
    )
    db.session.commit()
    for where, message in parsed.warnings:
        log.warning("%s: %s", where, message)
    return framework, len(rows), parsed.warnings


def competences_in_order(framework):
    """The framework's competences in tree order (depth first)."""
    return db.session.scalars(
        select(Competence)
        .where(Competence.framework_id == framework.id)
        .order_by(Competence.position)
    ).all()


def get_framework(framework_id):
    return db.session.get(Framework, framework_id)


def as_data(framework):
    """The stored framework as FrameworkData, for the writers."""
    competences = competences_in_order(framework)
    by_id = {row.id: row for row in competences}
    nodes = [
        Node(
            key=row.identifier,
            title=row.title,
            code=row.code,
            description=row.description,
            parent=by_id[row.parent_id].identifier if row.parent_id else None,
            order=row.position,
            kind=row.kind,
            title_en=row.title_en,
            description_en=row.description_en,
        )
        for row in competences
    ]
    return FrameworkData(
        title=framework.title,
        nodes=nodes,
        identifier=framework.identifier,
        version=framework.version_label,
        language=framework.language,
        description=framework.description,
        source=framework.source,
        title_en=framework.title_en,
        scale=[level.name for level in framework.scale.levels],
    )


def framework_list():
    """[(framework, number of competences)], newest versions of each lineage first."""
    counts = dict(
        db.session.execute(
            select(Competence.framework_id, func.count()).group_by(Competence.framework_id)
        ).all()
    )
    frameworks = db.session.scalars(
        select(Framework).order_by(Framework.title, Framework.version_number.desc())
    ).all()
    return [(framework, counts.get(framework.id, 0)) for framework in frameworks]


def depth_counts(parsed):
    """{depth: number of nodes}, for the import preview."""
    counts = {}
    for _node, depth in ordered(parsed.nodes):
        counts[depth] = counts.get(depth, 0) + 1
    return counts


def tree_rows(framework, search=""):
    """The competences in tree order; with a search, the matches and their ancestors."""
    rows = competences_in_order(framework)
    needle = search.strip().lower()
    if not needle:
        return [(row, False) for row in rows]
    by_id = {row.id: row for row in rows}
    keep, hits = set(), set()
    for row in rows:
        haystack = f"{row.code} {row.title} {row.title_en} {row.description}".lower()
        if needle in haystack:
            hits.add(row.id)
            current = row
            while current is not None and current.id not in keep:
                keep.add(current.id)
                current = by_id.get(current.parent_id)
    return [(row, row.id in hits) for row in rows if row.id in keep]


def publish(actor, framework):
    """A draft becomes the published version; earlier published versions are retired."""
    if framework.status != "draft":
        raise DomainError(_("Only a draft can be published."))
    if not db.session.scalar(
        select(func.count()).select_from(Competence).where(Competence.framework_id == framework.id)
    ):
        raise DomainError(_("A framework without competences cannot be published."))
    for older in db.session.scalars(
        select(Framework).where(
            Framework.lineage == framework.lineage,
            Framework.status == "published",
            Framework.id != framework.id,
        )
    ):
        older.status = "retired"
    framework.status = "published"
    framework.published_at = utcnow()
    audit.record(actor, "framework.publish", framework, {"version": framework.version_number})
    db.session.commit()


def new_version(actor, framework):
    """A draft copy of a framework for editing; the original stays as it is."""
    draft_exists = db.session.scalar(
        select(Framework.id).where(
            Framework.lineage == framework.lineage, Framework.status == "draft"
        )
    )
    if draft_exists:
        raise DomainError(_("This framework already has a draft version; edit that one."))
    number = (
        db.session.scalar(
            select(func.max(Framework.version_number)).where(Framework.lineage == framework.lineage)
        )
        or 0
    ) + 1
    copy = Framework(
        lineage=framework.lineage,
        version_number=number,
        version_label="",
        identifier=framework.identifier,
        title=framework.title,
        title_en=framework.title_en,
        description=framework.description,
        source=framework.source,
        language=framework.language,
        status="draft",
        scale_id=framework.scale_id,
    )
    db.session.add(copy)
    originals = competences_in_order(framework)
    copies = {}
    for row in originals:
        copies[row.id] = Competence(
            framework=copy,
            parent=copies.get(row.parent_id),
            position=row.position,
            depth=row.depth,
            identifier=row.identifier,
            code=row.code,
            kind=row.kind,
            title=row.title,
            title_en=row.title_en,
            description=row.description,
            description_en=row.description_en,
            retired=row.retired,
        )
        db.session.add(copies[row.id])
    db.session.flush()
    audit.record(actor, "framework.new_version", copy, {"from_version": framework.version_number})
    db.session.commit()
    return copy


def versions_of(framework):
    return db.session.scalars(
        select(Framework)
        .where(Framework.lineage == framework.lineage)
        .order_by(Framework.version_number)
    ).all()


def version_entries(framework):
    """The framework's tree as versions.Entry rows, for comparing."""
    rows = competences_in_order(framework)
    by_id = {row.id: row for row in rows}
    return [
        versions.Entry(
            row.code,
            row.title,
            by_id[row.parent_id].code if row.parent_id else None,
            row.description,
        )
        for row in rows
    ]


def compare_versions(older, newer):
    return versions.compare(version_entries(older), version_entries(newer))


def retire(actor, framework):
    """A published version goes out of use; evidence and requirements keep pointing to it."""
    if framework.status != "published":
        raise DomainError(_("Only a published version can be retired."))
    framework.status = "retired"
    audit.record(actor, "framework.retire", framework, {"version": framework.version_number})
    db.session.commit()
