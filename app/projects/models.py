"""Models of training projects: the project with its working-day calendar, its activities
(Vorgänge) and the links between them (Anordnungsbeziehungen)."""

from app.accounts.models import utcnow
from app.extensions import db

LINK_TYPES = ("FS", "SS", "FF", "SF")
WORKING_WEEK = "01234"  # Monday (0) to Friday (4)


class TrainingProject(db.Model):
    """A training measure planned as a network. Its calendar: the weekdays worked (digits,
    Monday = 0), the Bundesland whose public holidays are free, and company closures
    ([{"first": "2026-12-24", "last": "2026-12-31", "label": "Betriebsferien"}])."""

    __tablename__ = "training_projects"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    goal = db.Column(db.Text, nullable=False, default="")
    start_on = db.Column(db.Date, nullable=False)
    deadline_on = db.Column(db.Date)  # the last day on which work may happen
    weekdays = db.Column(db.String(7), nullable=False, default=WORKING_WEEK)
    state = db.Column(db.String(2), nullable=False, default="NW")
    closures = db.Column(db.JSON, nullable=False, default=list)
    # A planned measure of the company's Medienkonzept (listed there).
    in_media_concept = db.Column(db.Boolean, nullable=False, default=False)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    created_by = db.relationship("User")
    activities = db.relationship(
        "ProjectActivity",
        order_by="ProjectActivity.position",
        cascade="all, delete-orphan",
        back_populates="project",
    )
    links = db.relationship(
        "ProjectLink", order_by="ProjectLink.id", cascade="all, delete-orphan", viewonly=False
    )


class ProjectActivity(db.Model):
    """An activity (Vorgang): `key` is its number (Nr.) in the project, e.g. "A" or "3";
    its duration counts working days (0: a milestone, 0.5: half a day)."""

    __tablename__ = "project_activities"
    __table_args__ = (
        db.UniqueConstraint("project_id", "key"),
        db.CheckConstraint("duration >= 0", name="duration_not_negative"),
    )

    id = db.Column(db.Integer, primary_key=True)
    project_id = db.Column(
        db.Integer,
        db.ForeignKey("training_projects.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    key = db.Column(db.String(20), nullable=False)
    name = db.Column(db.String(200), nullable=False, default="")
    duration = db.Column(db.Float, nullable=False, default=1.0)
    responsible_id = db.Column(
        db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    course_id = db.Column(db.Integer, db.ForeignKey("courses.id", ondelete="SET NULL"), index=True)
    notes = db.Column(db.Text, nullable=False, default="")
    position = db.Column(db.Integer, nullable=False, default=0)

    project = db.relationship(TrainingProject, back_populates="activities")
    responsible = db.relationship("User")
    course = db.relationship("Course")


class ProjectLink(db.Model):
    """A link from a predecessor to a successor: FS Normalfolge, SS Anfangsfolge, FF
    Endfolge, SF Sprungfolge, with a lag (Zeitabstand) in working days, negative for an
    overlap."""

    __tablename__ = "project_links"
    __table_args__ = (
        db.UniqueConstraint("source_id", "target_id"),
        db.CheckConstraint("type IN ('FS', 'SS', 'FF', 'SF')", name="known_type"),
        db.CheckConstraint("source_id <> target_id", name="not_to_itself"),
    )

    id = db.Column(db.Integer, primary_key=True)
    project_id = db.Column(
        db.Integer,
        db.ForeignKey("training_projects.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    source_id = db.Column(
        db.Integer, db.ForeignKey("project_activities.id", ondelete="CASCADE"), nullable=False
    )
    target_id = db.Column(
        db.Integer,
        db.ForeignKey("project_activities.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    type = db.Column(db.String(2), nullable=False, default="FS")
    lag = db.Column(db.Float, nullable=False, default=0.0)

    source = db.relationship(ProjectActivity, foreign_keys=[source_id])
    target = db.relationship(ProjectActivity, foreign_keys=[target_id])
