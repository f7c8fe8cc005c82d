"""The admin's settings page: branding of the Medienpass and the minimum group size."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts import settings
from app.accounts.access import roles_required
from app.accounts.admin_views import bp
from app.accounts.forms import SettingsForm
from app.council.approvals import GRANT_DAYS
from app.errors import DomainError, refuse
from app.privacy.views import retention_form


@bp.route("/settings", methods=["GET", "POST"])
@roles_required("admin")
def settings_page():
    values = settings.current()
    form = SettingsForm(
        data={
            "company_name": values["company_name"],
            "brand_colour": values["brand_colour"],
            "report_min_group": values["report_min_group"],
            "works_council_mode": values["works_council_mode"],
        }
        if request.method == "GET"
        else None
    )
    if form.validate_on_submit():
        try:
            settings.save(
                current_user,
                form.company_name.data,
                form.brand_colour.data,
                form.report_min_group.data,
                logo=form.logo.data,
                remove_logo=form.remove_logo.data,
                works_council_mode=form.works_council_mode.data,
            )
        except DomainError as error:
            refuse(error, form)
        else:
            flash(_("The settings have been saved."), "success")
            return redirect(url_for("admin.settings_page"))
    elif request.method == "POST" and form.report_min_group.errors:
        form.report_min_group.errors[:] = [_("Please enter a whole number.")]
    return render_template(
        "admin/settings.html",
        form=form,
        logo=settings.logo_data_uri(),
        values=values,
        grant_days=GRANT_DAYS,
        council_min_group=settings.WORKS_COUNCIL_MIN_GROUP,
        retention_form=retention_form(),
    )
