"""The entry page, each role's start page, the language switch and /healthz."""

import logging

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from app.accounts import services
from app.accounts.access import roles_required, start_endpoint
from app.extensions import limiter
from app.main.services import health
from app.security import safe_next

log = logging.getLogger(__name__)

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for(start_endpoint(current_user)))
    return redirect(url_for("accounts.login"))


@bp.route("/healthz")
@limiter.exempt
def healthz():
    parts, healthy = health()
    if healthy:
        return {"status": "ok", **parts}, 200
    return {"status": "unavailable", **parts}, 503


@bp.route("/language", methods=["POST"])
def set_language():
    locale = request.form.get("locale", "")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            services.set_locale(current_user, locale)
    return redirect(safe_next(request.form.get("next")) or url_for("main.index"))


@bp.route("/dashboard")
@roles_required("learner")
def learner_start():
    """Mein Lernbereich: courses with status and progress, the gap and what closes it."""
    from app.courses.dashboard import dashboard

    return render_template("main/learner_start.html", board=dashboard(current_user))


@bp.route("/trainer/")
@roles_required("trainer")
def trainer_start():
    return render_template("main/trainer_start.html")


@bp.route("/hr/")
@roles_required("hr")
def hr_start():
    return render_template("main/hr_start.html")


@bp.route("/admin/")
@roles_required("admin")
def admin_start():
    return render_template("main/admin_start.html", counts=services.user_counts())
