"""The retention periods an admin sets (Administration → Settings): stored as one settings
row ("retention", a JSON object by kind), the defaults of app/privacy/rules.py otherwise."""

from sqlalchemy import select

from app.accounts import audit
from app.accounts.models import Setting
from app.errors import DomainError
from app.extensions import db
from app.messages import translated
from app.privacy import rules

KEY = "retention"


def current():
    """{kind key: period} for every kind: stored values over the defaults."""
    row = db.session.get(Setting, KEY)
    stored = row.value if row is not None and isinstance(row.value, dict) else {}
    return {key: stored.get(key, default) for key, default in rules.DEFAULTS.items()}


def save(actor, values):
    """Check every period, then store them (audited); nothing is stored when any is bad, and
    the DomainError names each bad one (problems: [(key, message)])."""
    periods, problems = rules.check(values)
    if problems:
        problems = [(key, translated(message)) for key, message in problems]
        raise DomainError(problems[0][1], where=problems[0][0], problems=problems)
    before = current()
    changed = {key: value for key, value in periods.items() if before[key] != value}
    if changed:
        row = db.session.scalar(select(Setting).where(Setting.key == KEY))
        actor_id = actor.id if actor is not None else None
        if row is None:
            db.session.add(Setting(key=KEY, value=periods, updated_by_id=actor_id))
        else:
            row.value, row.updated_by_id = periods, actor_id
        audit.record(actor, "settings.retention", details=changed)
    db.session.commit()
    return changed
