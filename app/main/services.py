"""Health of what the app depends on: the database and, when configured, Redis."""

import logging

import redis
from flask import current_app
from sqlalchemy import text

from app.extensions import db

log = logging.getLogger(__name__)


def health():
    """({part: "ok" | "unreachable"}, healthy?) for /healthz."""
    parts = {"database": "ok"}
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # any driver error means: not ready
        log.warning("health check: database unreachable: %s", error)
        db.session.rollback()
        parts["database"] = "unreachable"
    if current_app.config["REDIS_URL"]:
        parts["redis"] = "ok"
        try:
            redis.Redis.from_url(current_app.config["REDIS_URL"], socket_timeout=2).ping()
        except redis.RedisError as error:
            log.warning("health check: redis unreachable: %s", error)
            parts["redis"] = "unreachable"
    return parts, all(state == "ok" for state in parts.values())
