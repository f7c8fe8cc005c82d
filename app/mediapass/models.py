"""Models of the Medienpass: issued passes and the public keys that signed them."""

from app.accounts.models import utcnow
from app.extensions import db

PASS_STATES = ("valid", "revoked", "superseded")


class SigningKey(db.Model):
    """A public key that signs or signed passes. Kept after rotation, so that old passes
    still verify; the private key never enters the database."""

    __tablename__ = "signing_keys"

    key_id = db.Column(db.String(40), primary_key=True)
    public_key = db.Column(db.String(64), nullable=False)  # base64url of the 32 raw bytes
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    retired_at = db.Column(db.DateTime)  # None: the key in use


class MedienPass(db.Model):
    """An issued Medienpass: a signed snapshot of a person's levels and the evidence behind
    them in one framework version. Its content, hash and signature never change; only its
    status does (revoked, superseded by a newer pass for the same person and framework)."""

    __tablename__ = "passes"
    __table_args__ = (
        db.CheckConstraint("status IN ('valid', 'revoked', 'superseded')", name="known_status"),
        # A bulk job issues at most one pass per person, however often it is retried.
        db.UniqueConstraint("job_id", "user_id"),
    )

    id = db.Column(db.Integer, primary_key=True)
    serial = db.Column(db.String(40), nullable=False, unique=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    holder_name = db.Column(db.String(200), nullable=False)
    framework_id = db.Column(db.Integer, db.ForeignKey("frameworks.id"), nullable=False, index=True)
    framework_lineage = db.Column(db.String(64), nullable=False)
    language = db.Column(db.String(5), nullable=False, default="de")
    issued_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    issuer_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    issuer_label = db.Column(db.String(254), nullable=False, default="")
    content = db.Column(db.Text, nullable=False)  # the canonical JSON that was signed
    sha256 = db.Column(db.String(64), nullable=False)
    signature = db.Column(db.String(100), nullable=False)  # base64url
    key_id = db.Column(db.String(40), db.ForeignKey("signing_keys.key_id"), nullable=False)
    status = db.Column(db.String(20), nullable=False, default="valid")
    revoked_at = db.Column(db.DateTime)
    revoked_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    revoke_reason = db.Column(db.Text, nullable=False, default="")
    superseded_at = db.Column(db.DateTime)
    job_id = db.Column(db.Integer, index=True)  # the bulk job that issued it, if any
    pdf = db.deferred(db.Column(db.LargeBinary, nullable=False))

    user = db.relationship("User", foreign_keys=[user_id])
    framework = db.relationship("Framework")
    revoked_by = db.relationship("User", foreign_keys=[revoked_by_id])
