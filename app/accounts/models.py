"""Models of people and their organisation: users, roles, departments, job roles, audit."""

from datetime import UTC, datetime

from flask_login import UserMixin

from app.extensions import db

ROLES = ("learner", "trainer", "hr", "admin")


def utcnow():
    return datetime.now(UTC).replace(tzinfo=None)


class Department(db.Model):
    __tablename__ = "departments"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(120), nullable=False, unique=True)

    def __repr__(self):
        return f"<Department {self.name}>"


class JobRole(db.Model):
    """Arbeitsplatztyp: what a person's work needs; later it carries a requirement profile."""

    __tablename__ = "job_roles"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(120), nullable=False, unique=True)
    description = db.Column(db.Text, nullable=False, default="")

    def __repr__(self):
        return f"<JobRole {self.name}>"


class UserRole(db.Model):
    __tablename__ = "user_roles"
    __table_args__ = (
        db.CheckConstraint("role IN ('learner', 'trainer', 'hr', 'admin')", name="known_role"),
    )

    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role = db.Column(db.String(20), primary_key=True)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    # Stored lower-cased; the unique index makes e-mail the login name.
    email = db.Column(db.String(254), nullable=False, unique=True)
    name = db.Column(db.String(200), nullable=False)
    # NULL until a password is set: such an account cannot log in.
    password_hash = db.Column(db.String(255))
    active = db.Column(db.Boolean, nullable=False, default=True)
    locale = db.Column(db.String(5))
    # Part of the session id: raising it ends every session of the user (password change).
    session_epoch = db.Column(db.Integer, nullable=False, default=0)
    department_id = db.Column(db.Integer, db.ForeignKey("departments.id"), index=True)
    job_role_id = db.Column(db.Integer, db.ForeignKey("job_roles.id"), index=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_login_at = db.Column(db.DateTime)
    # Set when the person was erased (Art. 17 GDPR): the row stays as a pseudonymous
    # tombstone, so that audit entries and issued passes still point somewhere.
    erased_at = db.Column(db.DateTime)

    department = db.relationship(Department, lazy="joined")
    job_role = db.relationship(JobRole, lazy="joined")
    role_rows = db.relationship(
        UserRole, lazy="selectin", cascade="all, delete-orphan", order_by=UserRole.role
    )

    @property
    def roles(self):
        return {row.role for row in self.role_rows}

    def has_role(self, *roles):
        return bool(self.roles.intersection(roles))

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        return f"{self.id}:{self.session_epoch}"

    def __repr__(self):
        return f"<User {self.email}>"


class AuditEntry(db.Model):
    """Who did or viewed what, to whom, when. Never updated, only added and purged."""

    __tablename__ = "audit_entries"

    id = db.Column(db.Integer, primary_key=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # Kept apart from actor_id so that the entry still reads well after erasure.
    actor_label = db.Column(db.String(254), nullable=False, default="")
    action = db.Column(db.String(64), nullable=False, index=True)
    subject_type = db.Column(db.String(40), nullable=False, default="")
    subject_id = db.Column(db.String(64), nullable=False, default="")
    subject_label = db.Column(db.String(254), nullable=False, default="")
    details = db.Column(db.JSON, nullable=False, default=dict)
    ip_address = db.Column(db.String(45))

    actor = db.relationship(User)


class Setting(db.Model):
    """One setting an admin changed in the app (branding of the pass, minimum group size of
    reports, ...): a JSON value by key. A key without a row falls back to the configuration."""

    __tablename__ = "settings"

    key = db.Column(db.String(60), primary_key=True)
    value = db.Column(db.JSON, nullable=False)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    updated_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
