"""Models of the learning side: courses, modules, lessons, enrolments, progress,
assignments, completions and the message outbox."""

from app.accounts.models import utcnow
from app.extensions import db

COURSE_STATUSES = ("draft", "published", "archived")


class Course(db.Model):
    """A course. Learners see what was last published: `outline` is a snapshot of modules
    and lessons taken when the trainer publishes, so that editing a published course
    changes nothing for learners until it is published again."""

    __tablename__ = "courses"
    __table_args__ = (
        db.CheckConstraint("status IN ('draft', 'published', 'archived')", name="known_status"),
        db.CheckConstraint("hours >= 0", name="hours_not_negative"),
        db.CheckConstraint(
            "validity_months IS NULL OR validity_months > 0", name="positive_validity"
        ),
    )

    id = db.Column(db.Integer, primary_key=True)
    key = db.Column(db.String(80), unique=True)  # demo content and imports find courses by it
    title = db.Column(db.String(200), nullable=False)
    summary = db.Column(db.Text, nullable=False, default="")
    language = db.Column(db.String(10), nullable=False, default="de")
    hours = db.Column(db.Float, nullable=False, default=1.0)
    mandatory = db.Column(db.Boolean, nullable=False, default=False)
    validity_months = db.Column(db.Integer)  # a completion expires after this many months
    status = db.Column(db.String(20), nullable=False, default="draft", index=True)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    published_at = db.Column(db.DateTime)
    # The published snapshot: {"modules": [{"id", "title", "lessons": [{"id", "title",
    # "body", "links": [...], "attachments": [...]}]}]}; lesson_count mirrors it for lists.
    outline = db.deferred(db.Column(db.JSON))
    lesson_count = db.Column(db.Integer, nullable=False, default=0)

    modules = db.relationship(
        "CourseModule",
        order_by="CourseModule.position",
        cascade="all, delete-orphan",
        back_populates="course",
    )
    competences = db.relationship(
        "CourseCompetence", cascade="all, delete-orphan", back_populates="course"
    )
    required_courses = db.relationship(
        "CoursePrerequisite",
        foreign_keys="CoursePrerequisite.course_id",
        cascade="all, delete-orphan",
    )
    required_competences = db.relationship("CompetencePrerequisite", cascade="all, delete-orphan")


class CourseModule(db.Model):
    __tablename__ = "course_modules"

    id = db.Column(db.Integer, primary_key=True)
    course_id = db.Column(
        db.Integer, db.ForeignKey("courses.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position = db.Column(db.Integer, nullable=False)
    title = db.Column(db.String(200), nullable=False)

    course = db.relationship(Course, back_populates="modules")
    lessons = db.relationship(
        "Lesson",
        order_by="Lesson.position",
        cascade="all, delete-orphan",
        back_populates="module",
        primaryjoin="and_(Lesson.module_id == CourseModule.id, Lesson.removed.is_(False))",
    )


class Lesson(db.Model):
    """A lesson: sanitised Markdown, links and attachments. A lesson taken out of a course
    is marked removed, not deleted: learners' progress and the published snapshot keep
    pointing to it."""

    __tablename__ = "lessons"

    id = db.Column(db.Integer, primary_key=True)
    module_id = db.Column(
        db.Integer,
        db.ForeignKey("course_modules.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    course_id = db.Column(
        db.Integer, db.ForeignKey("courses.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position = db.Column(db.Integer, nullable=False)
    title = db.Column(db.String(200), nullable=False)
    body = db.Column(db.Text, nullable=False, default="")
    removed = db.Column(db.Boolean, nullable=False, default=False)

    module = db.relationship(CourseModule, back_populates="lessons")
    links = db.relationship(
        "LessonLink", order_by="LessonLink.position", cascade="all, delete-orphan"
    )
    attachments = db.relationship(
        "Attachment",
        order_by="Attachment.id",
        primaryjoin="and_(Attachment.lesson_id == Lesson.id, Attachment.removed.is_(False))",
        viewonly=True,
    )


class LessonLink(db.Model):
    __tablename__ = "lesson_links"

    id = db.Column(db.Integer, primary_key=True)
    lesson_id = db.Column(
        db.Integer, db.ForeignKey("lessons.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position = db.Column(db.Integer, nullable=False, default=0)
    title = db.Column(db.String(200), nullable=False)
    url = db.Column(db.String(2000), nullable=False)


class Attachment(db.Model):
    """A file of a lesson, stored under instance/uploads by a random name. Files never
    change: a new upload is a new row, so that a published snapshot stays valid."""

    __tablename__ = "attachments"

    id = db.Column(db.Integer, primary_key=True)
    lesson_id = db.Column(
        db.Integer, db.ForeignKey("lessons.id", ondelete="CASCADE"), nullable=False, index=True
    )
    course_id = db.Column(
        db.Integer, db.ForeignKey("courses.id", ondelete="CASCADE"), nullable=False, index=True
    )
    filename = db.Column(db.String(255), nullable=False)
    stored_name = db.Column(db.String(80), nullable=False, unique=True)
    content_type = db.Column(db.String(120), nullable=False)
    size = db.Column(db.Integer, nullable=False)
    uploaded_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    removed = db.Column(db.Boolean, nullable=False, default=False)


class CourseCompetence(db.Model):
    """The course develops this competence up to this level (its evidence on completion)."""

    __tablename__ = "course_competences"
    __table_args__ = (
        db.UniqueConstraint("course_id", "competence_id"),
        db.CheckConstraint("level >= 1", name="positive_level"),
    )

    id = db.Column(db.Integer, primary_key=True)
    course_id = db.Column(
        db.Integer, db.ForeignKey("courses.id", ondelete="CASCADE"), nullable=False, index=True
    )
    competence_id = db.Column(
        db.Integer, db.ForeignKey("competences.id"), nullable=False, index=True
    )
    level = db.Column(db.Integer, nullable=False)

    course = db.relationship(Course, back_populates="competences")
    competence = db.relationship("Competence", lazy="joined")


class CoursePrerequisite(db.Model):
    """Another course that must be completed (and not expired) first."""

    __tablename__ = "course_prerequisites"
    __table_args__ = (
        db.UniqueConstraint("course_id", "required_course_id"),
        db.CheckConstraint("course_id <> required_course_id", name="not_itself"),
    )

    id = db.Column(db.Integer, primary_key=True)
    course_id = db.Column(
        db.Integer, db.ForeignKey("courses.id", ondelete="CASCADE"), nullable=False, index=True
    )
    required_course_id = db.Column(
        db.Integer, db.ForeignKey("courses.id", ondelete="CASCADE"), nullable=False, index=True
    )

    required_course = db.relationship(Course, foreign_keys=[required_course_id], lazy="joined")


class CompetencePrerequisite(db.Model):
    """A competence the learner must hold at least at this level first."""

    __tablename__ = "competence_prerequisites"
    __table_args__ = (
        db.UniqueConstraint("course_id", "competence_id"),
        db.CheckConstraint("level >= 1", name="positive_level"),
    )

    id = db.Column(db.Integer, primary_key=True)
    course_id = db.Column(
        db.Integer, db.ForeignKey("courses.id", ondelete="CASCADE"), nullable=False, index=True
    )
    competence_id = db.Column(
        db.Integer, db.ForeignKey("competences.id"), nullable=False, index=True
    )
    level = db.Column(db.Integer, nullable=False)

    competence = db.relationship("Competence", lazy="joined")


ASSIGNMENT_TARGETS = ("person", "department", "job_role")


class Assignment(db.Model):
    """HR or a trainer assigned a course to a person, a department or a job role with a due
    date. Members who join the department or job role later get it too."""

    __tablename__ = "assignments"
    __table_args__ = (
        db.CheckConstraint("target IN ('person', 'department', 'job_role')", name="known_target"),
        db.CheckConstraint(
            "(target = 'person' AND user_id IS NOT NULL)"
            " OR (target = 'department' AND department_id IS NOT NULL)"
            " OR (target = 'job_role' AND job_role_id IS NOT NULL)",
            name="target_named",
        ),
    )

    id = db.Column(db.Integer, primary_key=True)
    course_id = db.Column(
        db.Integer, db.ForeignKey("courses.id", ondelete="CASCADE"), nullable=False, index=True
    )
    target = db.Column(db.String(20), nullable=False)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    department_id = db.Column(
        db.Integer, db.ForeignKey("departments.id", ondelete="CASCADE"), index=True
    )
    job_role_id = db.Column(
        db.Integer, db.ForeignKey("job_roles.id", ondelete="CASCADE"), index=True
    )
    due_on = db.Column(db.Date, nullable=False)
    assigned_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    course = db.relationship(Course)


class Enrolment(db.Model):
    """A person takes a course: self-enrolled or assigned. One per person and course (a
    unique constraint, so that parallel assignments cannot enrol twice). A course repeated
    after its completion expired starts a new round: progress before `round_started_at`
    no longer counts."""

    __tablename__ = "enrolments"
    __table_args__ = (db.UniqueConstraint("user_id", "course_id"),)

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(
        db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    course_id = db.Column(
        db.Integer, db.ForeignKey("courses.id", ondelete="CASCADE"), nullable=False, index=True
    )
    assignment_id = db.Column(
        db.Integer, db.ForeignKey("assignments.id", ondelete="SET NULL"), index=True
    )
    due_on = db.Column(db.Date)
    enrolled_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    round_started_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_lesson_id = db.Column(db.Integer, db.ForeignKey("lessons.id", ondelete="SET NULL"))
    completed_at = db.Column(db.DateTime)  # of the current round
    expires_on = db.Column(db.Date)  # last day the current completion counts

    course = db.relationship(Course, lazy="joined", innerjoin=True)
    user = db.relationship("User")


class LessonProgress(db.Model):
    """A lesson done by a person in an enrolment; done again in a later round, the row's
    time moves forward."""

    __tablename__ = "lesson_progress"
    __table_args__ = (db.UniqueConstraint("enrolment_id", "lesson_id"),)

    id = db.Column(db.Integer, primary_key=True)
    enrolment_id = db.Column(
        db.Integer, db.ForeignKey("enrolments.id", ondelete="CASCADE"), nullable=False
    )
    lesson_id = db.Column(
        db.Integer, db.ForeignKey("lessons.id", ondelete="CASCADE"), nullable=False, index=True
    )
    done_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class Completion(db.Model):
    """One completed round of a course: the history behind recertification."""

    __tablename__ = "completions"

    id = db.Column(db.Integer, primary_key=True)
    enrolment_id = db.Column(
        db.Integer, db.ForeignKey("enrolments.id", ondelete="CASCADE"), nullable=False, index=True
    )
    completed_at = db.Column(db.DateTime, nullable=False)
    expires_on = db.Column(db.Date)


class OutboxMessage(db.Model):
    """A message to a person, queued once: `key` names what it is about (an expiring
    completion, an overdue assignment), so that running the reminders twice queues
    nothing twice. It is also the person's in-app notification."""

    __tablename__ = "outbox"

    id = db.Column(db.Integer, primary_key=True)
    key = db.Column(db.String(200), nullable=False, unique=True)
    user_id = db.Column(
        db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind = db.Column(db.String(40), nullable=False)
    subject = db.Column(db.String(300), nullable=False)
    body = db.Column(db.Text, nullable=False)
    link = db.Column(db.String(500), nullable=False, default="")
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    sent_at = db.Column(db.DateTime)
    read_at = db.Column(db.DateTime)
