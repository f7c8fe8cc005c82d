"""Settings an admin changes in the app: the company's name, the pass's colour and logo, and
the minimum group size of aggregate reports. A key without a stored value falls back to the
configuration (COMPANY_NAME, BRAND_COLOUR, BRAND_LOGO, REPORT_MIN_GROUP).

A request reads them once (kept in `g`); outside requests (jobs, commands) every call
reads them, so a long-running worker sees a change at its next pass."""

import base64
import re

from flask import current_app, g, has_request_context
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts import audit
from app.accounts.models import Setting
from app.errors import DomainError
from app.extensions import db

COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
LOGO_BYTES = 300_000
MIN_GROUP_RANGE = (2, 100)
# Works-council mode (BetrVG § 87 (1) 6): the minimum group size never goes below the default.
WORKS_COUNCIL_MIN_GROUP = 5


def current():
    """{company_name, brand_colour, report_min_group, logo}: stored values over the
    configuration; logo is {"type", "data" (base64)} or None."""
    if has_request_context() and "settings" in g:
        return g.settings
    stored = {row.key: row.value for row in db.session.scalars(select(Setting))}
    config = current_app.config
    values = {
        "company_name": stored.get("company_name", config["COMPANY_NAME"]),
        "brand_colour": stored.get("brand_colour", config.get("BRAND_COLOUR", "#1d4f91")),
        "report_min_group": stored.get("report_min_group", config["REPORT_MIN_GROUP"]),
        "logo": stored.get("brand_logo"),
        "works_council_mode": bool(stored.get("works_council_mode", False)),
    }
    if has_request_context():
        g.settings = values
    return values


def company_name():
    return current()["company_name"]


def brand_colour():
    return current()["brand_colour"]


def report_min_group():
    """The minimum group size of aggregates; in works-council mode at least the default 5,
    even when the configuration says less."""
    minimum = current()["report_min_group"]
    if works_council_mode():
        return max(minimum, WORKS_COUNCIL_MIN_GROUP)
    return minimum


def works_council_mode():
    """True when person-level reports need a second approver (app/council/)."""
    return current()["works_council_mode"]


def logo_data_uri():
    """The uploaded logo as a data: URI, or None (the PDF then looks at BRAND_LOGO)."""
    logo = current()["logo"]
    return f"data:{logo['type']};base64,{logo['data']}" if logo else None


def _logo(upload):
    data = upload.read(LOGO_BYTES + 1)
    if len(data) > LOGO_BYTES:
        raise DomainError(_("The logo may be at most 300 KB."), where="logo")
    kind = next((kind for magic, kind in LOGO_TYPES.items() if data.startswith(magic)), None)
    if kind is None:
        raise DomainError(_("The logo must be a PNG or JPEG picture."), where="logo")
    return {"type": kind, "data": base64.b64encode(data).decode("ascii")}


def save(
    actor,
    company_name,
    brand_colour,
    report_min_group,
    logo=None,
    remove_logo=False,
    works_council_mode=None,
):
    """Check every value, then store the changed ones in one transaction (audited).
    works_council_mode None leaves the mode as it is."""
    company_name = " ".join((company_name or "").split())
    if not company_name or len(company_name) > 120:
        raise DomainError(_("The company name needs 1 to 120 characters."), where="company_name")
    if not COLOUR.fullmatch(brand_colour or ""):
        raise DomainError(
            _("The colour must be written as #rrggbb, e.g. #1d4f91."), where="brand_colour"
        )
    low, high = MIN_GROUP_RANGE
    if not isinstance(report_min_group, int) or not low <= report_min_group <= high:
        raise DomainError(
            _("The minimum group size must be a whole number from %(low)d to %(high)d.",
              low=low, high=high),
            where="report_min_group",
        )  # fmt: skip
    if works_council_mode is None:
        works_council_mode = current()["works_council_mode"]
    if works_council_mode and report_min_group < WORKS_COUNCIL_MIN_GROUP:
        raise DomainError(
            _("In works-council mode the minimum group size cannot be below %(n)d.",
              n=WORKS_COUNCIL_MIN_GROUP),
            where="report_min_group",
        )  # fmt: skip
    values = {
        "company_name": company_name,
        "brand_colour": brand_colour.lower(),
        "report_min_group": report_min_group,
        "works_council_mode": bool(works_council_mode),
    }
    if logo is not None and getattr(logo, "filename", ""):
        values["brand_logo"] = _logo(logo)
    before = current()
    stored = {row.key: row for row in db.session.scalars(select(Setting))}
    changed = []
    for key, value in values.items():
        old = before["logo"] if key == "brand_logo" else before[key]
        if value == old:
            continue
        changed.append(key)
        if key in stored:
            stored[key].value, stored[key].updated_by_id = value, actor.id
        else:
            db.session.add(Setting(key=key, value=value, updated_by_id=actor.id))
    if remove_logo and "brand_logo" in stored and "brand_logo" not in values:
        db.session.delete(stored["brand_logo"])
        changed.append("brand_logo")
    if changed:
        shown = {key: values.get(key) for key in changed if key != "brand_logo"}
        if "brand_logo" in changed:
            shown["brand_logo"] = "removed" if "brand_logo" not in values else "uploaded"
        audit.record(actor, "settings.change", details=shown)
    db.session.commit()
    g.pop("settings", None)
    return changed
