"""Role checks for routes: anonymous people go to the login page, others lack the role: 403."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def roles_required(*roles):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


# Where each role starts, in the order used when a person holds several roles.
START_PAGES = (
    ("admin", "main.admin_start"),
    ("hr", "main.hr_start"),
    ("trainer", "main.trainer_start"),
    ("learner", "main.learner_start"),
)


def start_endpoint(user):
    for role, endpoint in START_PAGES:
        if user.has_role(role):
            return endpoint
    return "accounts.account"
