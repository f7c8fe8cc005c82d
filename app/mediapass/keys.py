"""The instance's signing key: created once into the instance folder (or read from
SIGNING_KEY_FILE), its public half recorded in the database and published with every
earlier key, so that keys can be rotated and old passes still verify."""

import os
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.accounts.models import utcnow
from app.extensions import db
from app.mediapass import signing
from app.mediapass.models import SigningKey

KEY_FILE = "medienpass-signing-key.pem"


def key_path(app=None):
    app = app or current_app
    return Path(app.config.get("SIGNING_KEY_FILE") or os.path.join(app.instance_path, KEY_FILE))


def signer():
    """The signer of this instance. Its key is read once per process and path, and again when
    the file has changed: a key rotated by another process (`flask passes rotate-key`, another
    app server on the shared file) signs the next pass here without a restart."""
    path = key_path()
    cache = current_app.extensions.setdefault("medienpass_signers", {})
    identity = _identity(path)  # before reading: a change while reading is seen next time
    cached = cache.get(path)
    if cached is None or cached[0] != identity:
        cached = cache[path] = (identity, signing.load_or_create(path))
    return cached[1]


def _identity(path):
    """What tells one key file from another at the same path (one stat call)."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return status.st_ino, status.st_mtime_ns, status.st_size


def register(current):
    """Record the signer's public key; a key seen for the first time retires the others.
    Runs inside the caller's transaction."""
    if db.session.get(SigningKey, current.key_id) is not None:
        return
    try:
        with db.session.begin_nested():
            db.session.add(
                SigningKey(
                    key_id=current.key_id, public_key=signing.public_key_text(current.public_key)
                )
            )
    except IntegrityError:  # another process recorded it at the same moment
        return
    db.session.execute(
        update(SigningKey)
        .where(SigningKey.key_id != current.key_id, SigningKey.retired_at.is_(None))
        .values(retired_at=utcnow())
    )


def public_key(key_id):
    row = db.session.get(SigningKey, key_id)
    return signing.public_key_from_text(row.public_key) if row else None


def key_set():
    """Every key that signed passes here, as a JSON Web Key set; the one in use first."""
    rows = db.session.scalars(
        select(SigningKey).order_by(SigningKey.retired_at.is_not(None), SigningKey.created_at)
    ).all()
    return {
        "keys": [
            signing.jwk(
                signing.public_key_from_text(row.public_key),
                status="retired" if row.retired_at else "current",
                created=row.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            )
            for row in rows
        ]
    }


def rotate():
    """A new key for new passes; the old key file is kept beside it, renamed, and its
    public half stays published. Returns the new signer."""
    path = key_path()
    if path.exists():
        path.rename(path.with_name(f"{path.name}.retired-{utcnow():%Y%m%d%H%M%S}"))
    current_app.extensions.get("medienpass_signers", {}).pop(path, None)
    new = signer()
    register(new)
    db.session.commit()
    return new
