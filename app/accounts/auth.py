"""Logging in and passwords: hashing, checking, rate-limiting failed attempts."""

import logging
import math
import time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import select

from app.accounts import audit
from app.accounts.models import User, utcnow
from app.errors import DomainError, TooManyAttemptsError
from app.extensions import db

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 10


def _hasher():
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg.get("ARGON2_TIME_COST", 3),
        memory_cost=cfg.get("ARGON2_MEMORY_COST", 65536),
        parallelism=cfg.get("ARGON2_PARALLELISM", 4),
    )


def hash_password(password):
    return _hasher().hash(password)


def check_password_policy(password, where="password"):
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
            where=where,
        )


def _verify(user, password):
    hasher = _hasher()
    if user is None or not user.password_hash:
        # Spend the same time as for a real account, so that timing does not tell which exist.
        try:
            hasher.verify(_dummy_hash(), password)
        except (VerificationError, InvalidHashError):
            pass
        return False
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return True


def _dummy_hash():
    cache = current_app.extensions.setdefault("medienpass_dummy_hash", {})
    if "hash" not in cache:
        cache["hash"] = _hasher().hash("not a password of anyone")
    return cache["hash"]


def find_user_by_email(email):
    # Addresses are stored lower-cased, so the unique index serves this lookup.
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def init_login_limits(app):
    """Failed-login counters of this app: in Redis when REDIS_URL is set, so that every app
    process counts together; in memory otherwise."""
    storage = storage_from_string(app.config["RATELIMIT_STORAGE_URI"])
    app.extensions["medienpass_login_limits"] = MovingWindowRateLimiter(storage)


def _limits():
    cfg = current_app.config
    return parse(cfg["LOGIN_FAILURE_LIMIT"]), parse(cfg["LOGIN_ADDRESS_FAILURE_LIMIT"])


def _keys(email, address):
    prefix = current_app.config["RATELIMIT_KEY_PREFIX"]
    return (prefix, "login-account", email), (prefix, "login-address", address)


def _too_many(strategy, limits, keys):
    reset_at = max(
        strategy.get_window_stats(limit, *key)[0] for limit, key in zip(limits, keys, strict=True)
    )
    minutes = max(1, math.ceil((reset_at - time.time()) / 60))
    return TooManyAttemptsError(
        _(
            "Too many failed login attempts. Please wait %(minutes)d minutes and try again.",
            minutes=minutes,
        ),
        where="email",
    )


def authenticate(email, password, address):
    """The user behind email and password, or DomainError. Commits the audit entry.

    An account's attempt is counted before the password is checked (atomically, also in
    Redis), so that parallel guesses cannot pass the limit; a correct password clears the
    account's count. An address counts only failures, with a higher limit, because a whole
    office may log in through one address.
    """
    email = (email or "").strip().lower()[:254]
    address = address or "unknown"
    strategy = current_app.extensions["medienpass_login_limits"]
    (account_limit, address_limit), (account_key, address_key) = _limits(), _keys(email, address)
    if not strategy.test(address_limit, *address_key) or not strategy.hit(
        account_limit, *account_key
    ):
        raise _too_many(strategy, (account_limit, address_limit), (account_key, address_key))
    user = find_user_by_email(email)
    if not _verify(user, password or ""):
        strategy.hit(address_limit, *address_key)
        # The typed address is kept only for a real account: people type passwords there too.
        audit.record(user, "auth.login_failed", user)
        db.session.commit()
        raise DomainError(_("E-mail address or password is wrong."), where="email")
    strategy.clear(account_limit, *account_key)
    if not user.active:
        audit.record(user, "auth.login_refused_inactive", user)
        db.session.commit()
        raise DomainError(
            _("This account is deactivated. Please contact your administrator."), where="email"
        )
    user.last_login_at = utcnow()
    audit.record(user, "auth.login", user)
    db.session.commit()
    return user


def change_password(user, current, new, confirm):
    if not _verify(user, current or ""):
        raise DomainError(_("The current password is wrong."), where="current_password")
    if new != confirm:
        raise DomainError(_("The two new passwords differ."), where="confirm_password")
    check_password_policy(new, where="new_password")
    user.password_hash = hash_password(new)
    # Ends every other session of this person; the caller logs the current one in again.
    user.session_epoch = (user.session_epoch or 0) + 1
    audit.record(user, "auth.password_changed", user)
    db.session.commit()


def record_logout(user):
    audit.record(user, "auth.logout", user)
    db.session.commit()


def load_user(session_id):
    """Flask-Login's loader: the id carries the session epoch, so old sessions stop working."""
    try:
        user_id, epoch = (int(part) for part in session_id.split(":"))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_epoch != epoch:
        return None
    return user
