"""Requests for access to person-level data in works-council mode, with their decision."""

from app.accounts.models import Department, JobRole, User, utcnow
from app.extensions import db

SCOPES = ("department", "job_role", "person")
STATES = ("pending", "approved", "rejected")


class AccessRequest(db.Model):
    """Someone asks to see one person's data, or that of a department or job role, with a
    reason; a second person with the HR or admin role approves (for GRANT_DAYS) or rejects."""

    __tablename__ = "access_requests"
    __table_args__ = (
        db.CheckConstraint("scope IN ('department', 'job_role', 'person')", name="known_scope"),
        db.CheckConstraint("state IN ('pending', 'approved', 'rejected')", name="known_state"),
        # Exactly the column of its scope names the group or person.
        db.CheckConstraint(
            "(scope = 'department' AND department_id IS NOT NULL AND job_role_id IS NULL"
            " AND person_id IS NULL)"
            " OR (scope = 'job_role' AND job_role_id IS NOT NULL AND department_id IS NULL"
            " AND person_id IS NULL)"
            " OR (scope = 'person' AND person_id IS NOT NULL AND department_id IS NULL"
            " AND job_role_id IS NULL)",
            name="one_target",
        ),
        # A decider is never the requester: one person alone cannot open the data.
        db.CheckConstraint(
            "decided_by_id IS NULL OR decided_by_id <> requester_id", name="four_eyes"
        ),
    )

    id = db.Column(db.Integer, primary_key=True)
    requester_id = db.Column(
        db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    scope = db.Column(db.String(20), nullable=False)
    department_id = db.Column(db.Integer, db.ForeignKey("departments.id", ondelete="CASCADE"))
    job_role_id = db.Column(db.Integer, db.ForeignKey("job_roles.id", ondelete="CASCADE"))
    person_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"))
    reason = db.Column(db.Text, nullable=False)
    state = db.Column(db.String(20), nullable=False, default="pending", index=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    decided_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at = db.Column(db.DateTime)
    decision_note = db.Column(db.Text, nullable=False, default="")
    # Approved requests open the data until this moment (UTC), then lock it again.
    expires_at = db.Column(db.DateTime)

    requester = db.relationship(User, foreign_keys=[requester_id])
    decided_by = db.relationship(User, foreign_keys=[decided_by_id])
    person = db.relationship(User, foreign_keys=[person_id])
    department = db.relationship(Department)
    job_role = db.relationship(JobRole)

    def target_name(self):
        target = {"department": self.department, "job_role": self.job_role}.get(
            self.scope, self.person
        )
        return target.name if target is not None else ""
