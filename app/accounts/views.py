"""Logging in and out, the own account and password."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts import auth
from app.accounts.access import start_endpoint
from app.accounts.forms import LoginForm, PasswordChangeForm
from app.errors import DomainError, TooManyAttemptsError, apply_to_form
from app.extensions import limiter
from app.security import safe_next

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("60 per minute", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for(start_endpoint(current_user)))
    form = LoginForm(next=request.args.get("next", ""))
    status = 200
    if form.validate_on_submit():
        try:
            user = auth.authenticate(form.email.data, form.password.data, request.remote_addr)
        except DomainError as error:
            apply_to_form(form, error)
            status = 429 if isinstance(error, TooManyAttemptsError) else 200
        else:
            # A new session at login: nothing of the anonymous one (its CSRF token) carries over.
            locale = user.locale or session.get("locale")
            session.clear()
            login_user(user)
            if locale:
                session["locale"] = locale
            return redirect(safe_next(form.next.data) or url_for(start_endpoint(user)))
    return render_template("accounts/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    auth.record_logout(current_user)
    logout_user()
    flash(_("You have been logged out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            auth.change_password(
                current_user,
                form.current_password.data,
                form.new_password.data,
                form.confirm_password.data,
            )
        except DomainError as error:
            apply_to_form(form, error)
        else:
            # The epoch changed: renew this session, other sessions end.
            login_user(current_user._get_current_object())
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", form=form, user=current_user)


@bp.app_context_processor
def password_rules():
    """Forms that set a password state the rule the service checks."""
    return {"min_password_length": auth.MIN_PASSWORD_LENGTH}
