"""Managing people and the organisation: users, roles, departments, job roles, CSV onboarding."""

import logging
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from app.accounts import audit
from app.accounts.auth import check_password_policy, hash_password
from app.accounts.models import ROLES, Department, JobRole, User, UserRole
from app.accounts.signals import membership_changed
from app.errors import DomainError
from app.extensions import db

log = logging.getLogger(__name__)


@dataclass
class UserData:
    """What a form or an import says about a user; password only when it is to be set."""

    email: str
    name: str
    department_id: int | None
    job_role_id: int | None
    roles: set = field(default_factory=set)
    password: str = ""


# ---- reading


def search_users(page, per_page, text="", role="", department_id=None, status="", job_role_id=None):
    query = select(User).order_by(User.name, User.id)
    if text:
        pattern = f"%{text.strip().lower()}%"
        query = query.where(or_(func.lower(User.name).like(pattern), User.email.like(pattern)))
    if role:
        query = query.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
    if department_id:
        query = query.where(User.department_id == department_id)
    if job_role_id:
        query = query.where(User.job_role_id == job_role_id)
    if status == "active":
        query = query.where(User.active.is_(True))
    elif status == "inactive":
        query = query.where(User.active.is_(False))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def get_user(user_id):
    return db.session.get(User, user_id)


def departments():
    return db.session.scalars(select(Department).order_by(Department.name)).all()


def job_roles():
    return db.session.scalars(select(JobRole).order_by(JobRole.name)).all()


def member_counts(model_column):
    rows = db.session.execute(select(model_column, func.count()).group_by(model_column))
    return {key: count for key, count in rows if key is not None}


def departments_with_counts():
    counts = member_counts(User.department_id)
    return [(dep, counts.get(dep.id, 0)) for dep in departments()]


def job_roles_with_counts():
    counts = member_counts(User.job_role_id)
    return [(role, counts.get(role.id, 0)) for role in job_roles()]


def user_counts():
    total = db.session.scalar(select(func.count()).select_from(User))
    active = db.session.scalar(select(func.count()).select_from(User).where(User.active))
    by_role = dict(
        db.session.execute(select(UserRole.role, func.count()).group_by(UserRole.role)).all()
    )
    return {"total": total, "active": active, "by_role": by_role}


# ---- checks


def _normal_email(email, where="email"):
    try:
        return validate_email((email or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise DomainError(_("'%(email)s' is not a valid e-mail address.", email=email), where=where)


def _check_user_data(data, user=None):
    email = _normal_email(data.email)
    other = db.session.scalar(select(User).where(User.email == email))
    if other is not None and other is not user:
        raise DomainError(
            _("A user with the e-mail address %(email)s exists already.", email=email),
            where="email",
        )
    if not (data.name or "").strip():
        raise DomainError(_("The name is missing."), where="name")
    unknown = set(data.roles) - set(ROLES)
    if unknown:
        raise DomainError(_("Unknown role '%(role)s'.", role=sorted(unknown)[0]), where="roles")
    if not data.roles:
        raise DomainError(_("A user needs at least one role."), where="roles")
    department = db.session.get(Department, data.department_id) if data.department_id else None
    if department is None:
        raise DomainError(_("Please choose a department."), where="department_id")
    job_role = db.session.get(JobRole, data.job_role_id) if data.job_role_id else None
    if job_role is None:
        raise DomainError(_("Please choose a job role."), where="job_role_id")
    if data.password:
        check_password_policy(data.password)
    return email, department, job_role


def active_admin_count():
    query = (
        select(func.count())
        .select_from(User)
        .join(UserRole)
        .where(UserRole.role == "admin", User.active.is_(True))
    )
    return db.session.scalar(query)


def _check_not_erased(user):
    """An erased person's row is a pseudonymous tombstone: it never becomes an account again."""
    if user.erased_at is not None:
        raise DomainError(_("This person has been erased; the record cannot be changed."))


def _check_not_last_admin(user, losing_admin):
    if losing_admin and user.active and "admin" in user.roles and active_admin_count() <= 1:
        raise DomainError(
            _(
                "%(name)s is the last active administrator; appoint another one first.",
                name=user.name,
            ),
            where="roles",
        )


# ---- writing


def commit():
    """Commit the use case; a unique constraint hit by a parallel request becomes a DomainError."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        log.info("commit refused by a constraint: a parallel change", exc_info=True)
        raise DomainError(
            _("Someone changed the same data at the same moment. Please check and try again.")
        )


def set_roles(user, roles):
    current = {row.role: row for row in user.role_rows}
    for role in set(current) - set(roles):
        user.role_rows.remove(current[role])
    for role in sorted(set(roles) - set(current)):
        user.role_rows.append(UserRole(role=role))


def add_user(actor, email, name, department, job_role, roles, details):
    """Add a checked new user to the transaction, audited; the use case commits."""
    user = User(email=email, name=name, department=department, job_role=job_role)
    set_roles(user, roles)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.create", user, {"roles": sorted(roles), **details})
    membership_changed.send(user)
    return user


def create_user(actor, data):
    email, department, job_role = _check_user_data(data)
    details = {"department": department.name, "job_role": job_role.name}
    user = add_user(actor, email, data.name.strip(), department, job_role, data.roles, details)
    if data.password:
        user.password_hash = hash_password(data.password)
    commit()
    return user


def update_user(actor, user, data):
    _check_not_erased(user)
    email, department, job_role = _check_user_data(data, user)
    _check_not_last_admin(user, "admin" not in data.roles)
    before = snapshot(user)
    user.email, user.name = email, data.name.strip()
    user.department, user.job_role = department, job_role
    set_roles(user, data.roles)
    audit_changes(actor, user, before)
    note_membership(user, before)
    if data.password:
        set_password(actor, user, data.password)
    else:
        commit()
    return user


def snapshot(user):
    return {
        "email": user.email,
        "name": user.name,
        "department": user.department.name if user.department else None,
        "job_role": user.job_role.name if user.job_role else None,
        "roles": sorted(user.roles),
    }


def note_membership(user, before):
    """Tell the listeners when a person's department or job role has changed."""
    after = snapshot(user)
    if before["department"] != after["department"] or before["job_role"] != after["job_role"]:
        db.session.flush()
        membership_changed.send(user)


def audit_changes(actor, user, before):
    after = snapshot(user)
    changed = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    roles = changed.pop("roles", None)
    if roles:
        audit.record(actor, "user.roles_changed", user, {"before": roles[0], "after": roles[1]})
    if changed:
        audit.record(actor, "user.update", user, changed)
    return bool(changed or roles)


def set_password(actor, user, password):
    _check_not_erased(user)
    check_password_policy(password)
    user.password_hash = hash_password(password)
    user.session_epoch = (user.session_epoch or 0) + 1
    audit.record(actor, "user.password_set", user)
    commit()


def set_active(actor, user, active):
    _check_not_erased(user)
    if not active:
        if user.id == actor.id:
            raise DomainError(_("You cannot deactivate your own account."))
        _check_not_last_admin(user, True)
    if user.active == active:
        return user
    user.active = active
    if not active:
        user.session_epoch = (user.session_epoch or 0) + 1
    audit.record(actor, "user.activate" if active else "user.deactivate", user)
    if active:
        membership_changed.send(user)
    commit()
    return user


def record_view(actor, user):
    """Looking at another person's record is access to personal data: it is audited."""
    if actor.id != user.id:
        audit.record(actor, "user.view", user)
        commit()


def set_locale(user, locale):
    user.locale = locale
    commit()


# ---- departments and job roles

ORG_MODELS = {"department": Department, "job_role": JobRole}


def _check_org_name(model, name, record=None):
    name = (name or "").strip()
    if not name:
        raise DomainError(_("The name is missing."), where="name")
    if len(name) > 120:
        raise DomainError(_("The name is longer than 120 characters."), where="name")
    other = db.session.scalar(select(model).where(func.lower(model.name) == name.lower()))
    if other is not None and other is not record:
        raise DomainError(_("'%(name)s' exists already.", name=name), where="name")
    return name


def create_org_unit(actor, kind, name, description=""):
    model = ORG_MODELS[kind]
    record = model(name=_check_org_name(model, name))
    if kind == "job_role":
        record.description = (description or "").strip()
    db.session.add(record)
    db.session.flush()
    audit.record(actor, f"{kind}.create", record)
    commit()
    return record


def update_org_unit(actor, kind, record, name, description=""):
    model = ORG_MODELS[kind]
    old_name = record.name
    record.name = _check_org_name(model, name, record)
    if kind == "job_role":
        record.description = (description or "").strip()
    audit.record(actor, f"{kind}.update", record, {"name": [old_name, record.name]})
    commit()
    return record


def delete_org_unit(actor, kind, record):
    column = User.department_id if kind == "department" else User.job_role_id
    members = db.session.scalar(select(func.count()).select_from(User).where(column == record.id))
    if members:
        raise DomainError(
            ngettext(
                "'%(name)s' still has %(num)d member; move them first.",
                "'%(name)s' still has %(num)d members; move them first.",
                members,
                name=record.name,
            )
        )
    audit.record(actor, f"{kind}.delete", record)
    db.session.delete(record)
    commit()


def get_org_unit(kind, record_id):
    return db.session.get(ORG_MODELS[kind], record_id)
