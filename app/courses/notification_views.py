"""A person's notifications (the outbox as read in the app) and the unread count in the
navigation bar. Routes of the courses blueprint."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user

from app.accounts.access import roles_required
from app.accounts.models import ROLES
from app.courses import outbox
from app.courses.views import bp


@bp.route("/notifications")
@roles_required(*ROLES)
def notifications():
    pagination = outbox.notifications_of(
        current_user,
        request.args.get("page", 1, type=int),
        current_app.config["NOTIFICATIONS_PER_PAGE"],
    )
    return render_template("courses/notifications.html", pagination=pagination)


@bp.route("/notifications/read", methods=["POST"])
@roles_required(*ROLES)
def notifications_read():
    count = outbox.mark_all_read(current_user)
    if count:
        flash(
            ngettext(
                "%(num)d notification marked as read.",
                "%(num)d notifications marked as read.",
                count,
            ),
            "success",
        )
    return redirect(url_for("courses.notifications"))


@bp.app_context_processor
def inject_unread_notifications():
    """The badge in the user menu: one COUNT for a logged-in person, nothing otherwise."""
    if not current_user or not current_user.is_authenticated:
        return {}
    return {"unread_notifications": outbox.unread_count(current_user)}
