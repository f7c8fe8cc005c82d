"""Models of frameworks: versions, their competence trees and proficiency scales."""

from app.accounts.models import utcnow
from app.extensions import db

STATUSES = ("draft", "published", "retired")


class Scale(db.Model):
    """A proficiency scale: ordered levels (Kompetenzstufen), lowest first."""

    __tablename__ = "scales"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    levels = db.relationship(
        "ScaleLevel",
        order_by="ScaleLevel.position",
        cascade="all, delete-orphan",
        lazy="selectin",
    )


class ScaleLevel(db.Model):
    __tablename__ = "scale_levels"
    __table_args__ = (db.UniqueConstraint("scale_id", "position"),)

    id = db.Column(db.Integer, primary_key=True)
    scale_id = db.Column(
        db.Integer, db.ForeignKey("scales.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position = db.Column(db.Integer, nullable=False)  # 1 = lowest
    name = db.Column(db.String(120), nullable=False)
    name_en = db.Column(db.String(120), nullable=False, default="")


class Framework(db.Model):
    """One version of a competence framework. Versions of the same framework share a lineage;
    a published version never changes, editing makes a new draft version."""

    __tablename__ = "frameworks"
    __table_args__ = (
        db.UniqueConstraint("lineage", "version_number"),
        db.CheckConstraint("status IN ('draft', 'published', 'retired')", name="known_status"),
    )

    id = db.Column(db.Integer, primary_key=True)
    lineage = db.Column(db.String(64), nullable=False, index=True)
    version_number = db.Column(db.Integer, nullable=False, default=1)
    version_label = db.Column(db.String(40), nullable=False, default="")
    identifier = db.Column(db.String(64), nullable=False, default="")  # CASE document id
    title = db.Column(db.String(300), nullable=False)
    title_en = db.Column(db.String(300), nullable=False, default="")
    description = db.Column(db.Text, nullable=False, default="")
    source = db.Column(db.String(500), nullable=False, default="")
    language = db.Column(db.String(20), nullable=False, default="de")
    status = db.Column(db.String(20), nullable=False, default="draft")
    scale_id = db.Column(db.Integer, db.ForeignKey("scales.id"), nullable=False, index=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    published_at = db.Column(db.DateTime)

    scale = db.relationship(Scale)
    competences = db.relationship(
        "Competence",
        order_by="Competence.position",
        cascade="all, delete-orphan",
        lazy="select",
        back_populates="framework",
    )


class Competence(db.Model):
    """A node of a framework's tree: an area, a competence, or a finer descriptor."""

    __tablename__ = "competences"
    __table_args__ = (db.UniqueConstraint("framework_id", "identifier"),)

    id = db.Column(db.Integer, primary_key=True)
    framework_id = db.Column(
        db.Integer, db.ForeignKey("frameworks.id", ondelete="CASCADE"), nullable=False, index=True
    )
    parent_id = db.Column(db.Integer, db.ForeignKey("competences.id"), index=True)
    # Position in the framework's depth-first order; siblings keep their relative order.
    position = db.Column(db.Integer, nullable=False)
    depth = db.Column(db.Integer, nullable=False, default=0)
    identifier = db.Column(db.String(64), nullable=False)  # stable across exports (UUID)
    code = db.Column(db.String(64), nullable=False, default="")
    kind = db.Column(db.String(80), nullable=False, default="")
    title = db.Column(db.Text, nullable=False)
    title_en = db.Column(db.Text, nullable=False, default="")
    description = db.Column(db.Text, nullable=False, default="")
    description_en = db.Column(db.Text, nullable=False, default="")
    retired = db.Column(db.Boolean, nullable=False, default=False)

    framework = db.relationship(Framework, back_populates="competences")
    parent = db.relationship("Competence", remote_side=[id])


class RequirementTarget(db.Model):
    """One line of a job role's requirement profile: this competence, at least this level."""

    __tablename__ = "requirement_targets"
    __table_args__ = (
        db.UniqueConstraint("job_role_id", "competence_id"),
        db.CheckConstraint("level >= 1", name="positive_level"),
    )

    id = db.Column(db.Integer, primary_key=True)
    job_role_id = db.Column(
        db.Integer, db.ForeignKey("job_roles.id", ondelete="CASCADE"), nullable=False, index=True
    )
    competence_id = db.Column(
        db.Integer, db.ForeignKey("competences.id"), nullable=False, index=True
    )
    level = db.Column(db.Integer, nullable=False)

    competence = db.relationship(Competence)


EVIDENCE_SOURCES = ("course", "quiz", "rating", "prior_learning")


class Evidence(db.Model):
    """One fact that a person showed a competence at a level. Append-only: evidence is
    revoked, never edited or deleted (erasure under privacy rules aside)."""

    __tablename__ = "evidence"
    __table_args__ = (
        db.CheckConstraint(
            "source IN ('course', 'quiz', 'rating', 'prior_learning')", name="known_source"
        ),
        db.CheckConstraint("level >= 1", name="positive_level"),
    )

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(
        db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    competence_id = db.Column(
        db.Integer, db.ForeignKey("competences.id"), nullable=False, index=True
    )
    level = db.Column(db.Integer, nullable=False)
    source = db.Column(db.String(20), nullable=False)
    issuer_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    issuer_label = db.Column(db.String(254), nullable=False, default="")
    issued_on = db.Column(db.Date, nullable=False)
    expires_on = db.Column(db.Date)  # last day on which it counts
    justification = db.Column(db.Text, nullable=False, default="")
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    revoked_at = db.Column(db.DateTime)
    revoked_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    revoke_reason = db.Column(db.Text, nullable=False, default="")

    competence = db.relationship(Competence)
    user = db.relationship("User", foreign_keys=[user_id])
    revoked_by = db.relationship("User", foreign_keys=[revoked_by_id])


class MediaConcept(db.Model):
    """The company's Medienkonzept: its goals (Markdown). One row per installation;
    requirement profiles and planned measures live in their own tables."""

    __tablename__ = "media_concepts"

    id = db.Column(db.Integer, primary_key=True)
    goals = db.Column(db.Text, nullable=False, default="")
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    updated_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
