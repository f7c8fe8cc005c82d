"""A person's data as a ZIP of JSON files and their pass PDFs (Art. 15 and 20 GDPR): for the
person themself, or by HR or an admin on the person's request (audited, with a reason).

Exactly the person's data: every query is bound to the person's id, and entries of the audit
log that the person made about someone else name only the kind of thing they acted on."""

import io
import json
import zipfile
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts import audit
from app.accounts.models import User, utcnow
from app.errors import DomainError
from app.extensions import db
from app.privacy import sections

FORMAT = "medienpass-personal-data/1"


def files_of(user, today=None):
    """{file name: bytes} of the person's export."""
    today = today or date.today()
    passes = sections.passes(user)
    documents = {
        "profile.json": sections.profile(user),
        "enrolments.json": sections.enrolments(user),
        "attempts.json": sections.attempts(user),
        "evidence.json": sections.evidence(user, today),
        "passes.json": sections.pass_rows(passes),
        "surveys.json": sections.surveys(user),
        "notifications.json": sections.notifications(user),
        "training_projects.json": sections.activities(user),
        "audit.json": sections.audit(user),
    }
    files = {
        name: json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
        for name, data in documents.items()
    }
    files["index.json"] = json.dumps(
        {"format": FORMAT, "person_id": user.id, "created_at": sections.time(utcnow()),
         "files": sorted(files) + [f"passes/{record.serial}.pdf" for record in passes]},
        indent=2,
    ).encode("utf-8")  # fmt: skip
    for record in passes:
        if record.pdf:
            files[f"passes/{record.serial}.pdf"] = record.pdf
    return files


def zip_bytes(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(name, data)
    return buffer.getvalue()


def export_own(user):
    """The person's own export (from their account page); recorded in the audit log."""
    audit.record(user, "privacy.export_own", user)
    db.session.commit()
    return zip_bytes(files_of(user))


def person_by_email(email):
    email = (email or "").strip().lower()
    if not email:
        raise DomainError(_("Please enter the person's e-mail address."), where="email")
    person = db.session.scalar(select(User).where(User.email == email))
    if person is None or person.erased_at is not None:
        raise DomainError(_("Nobody here has the e-mail address %(email)s.", email=email),
                          where="email")  # fmt: skip
    return person


def export_on_request(actor, email, reason):
    """HR or an admin exports a person's data on the person's request: the reason (e.g. the
    date and way of the request) is required and recorded with the export."""
    reason = " ".join((reason or "").split())
    person = person_by_email(email)
    if not reason:
        raise DomainError(_("Please give the reason, e.g. the person's request and its date."),
                          where="reason")  # fmt: skip
    if len(reason) > 500:
        raise DomainError(_("The reason may be at most 500 characters."), where="reason")
    audit.record(actor, "privacy.export", person, {"reason": reason})
    db.session.commit()
    return person, zip_bytes(files_of(person))
