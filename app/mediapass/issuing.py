"""Issuing a Medienpass: the snapshot of a person's levels and evidence in one framework
version, signed and rendered; revoking; a newer pass supersedes the older ones."""

import secrets
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from app.accounts import audit, settings
from app.accounts.models import User, utcnow
from app.errors import DomainError
from app.extensions import db
from app.frameworks import levels, profiles
from app.mediapass import keys, signing
from app.mediapass.models import MedienPass

FORMAT = "medienpass/1"
# Crockford's base32 without I, L, O, U: read aloud and typed without confusion.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LANGUAGES = ("de", "en")


def new_serial(today=None):
    """MP-<year>-XXXX-XXXX-XXXX: 60 random bits, so that serials cannot be guessed."""
    year = (today or date.today()).year
    text = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"MP-{year}-{text[:4]}-{text[4:8]}-{text[8:]}"


def verify_url(serial):
    return f"{current_app.config['BASE_URL'].rstrip('/')}/verify/{serial}"


def _localised(record, field, language):
    english = getattr(record, f"{field}_en", "") if language == "en" else ""
    return english or getattr(record, field)


def snapshot(user, framework, language="de", today=None):
    """The areas and competences the person holds on `today`, each with the evidence that
    counts, as plain data (no floats, dates as ISO text)."""
    today = today or date.today()
    profile = profiles.competence_profile(user, framework, today=today)
    names = [_localised(level, "name", language) for level in framework.scale.levels]
    areas = []
    for area in profile.areas:
        held = []
        for row in area.rows:
            if not row.held:
                continue
            evidence = [
                {
                    "source": item.source,
                    "level": item.level,
                    "issued_on": item.issued_on.isoformat(),
                    "expires_on": item.expires_on.isoformat() if item.expires_on else None,
                    "by": item.issuer_label,
                }
                for item in row.evidence
                if item.competence.code == row.competence.code
                and levels.counts_on(
                    levels.EvidenceFact(
                        item.competence.code,
                        item.level,
                        item.issued_on,
                        item.expires_on,
                        item.revoked_at.date() if item.revoked_at else None,
                    ),
                    today,
                )
            ]
            held.append(
                {
                    "code": row.competence.code,
                    "title": _localised(row.competence, "title", language),
                    "level": row.held,
                    "level_name": names[row.held - 1] if row.held <= len(names) else str(row.held),
                    "evidence": evidence,
                }
            )
        if held:
            areas.append(
                {
                    "code": area.area.code,
                    "title": _localised(area.area, "title", language),
                    "competences": held,
                }
            )
    return {"scale": names, "areas": areas}


def content_of(user, framework, serial, issuer_label, language, now):
    return {
        "format": FORMAT,
        "serial": serial,
        "issued_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "language": language,
        "issuer": {"organisation": settings.company_name(), "name": issuer_label},
        "holder": {"name": user.name},
        "framework": {
            "title": _localised(framework, "title", language),
            "version": framework.version_label or str(framework.version_number),
            "lineage": framework.lineage,
        },
        "verify_url": verify_url(serial),
        **snapshot(user, framework, language, today=now.date()),
    }


def issue(actor, user, framework=None, language="de", job_id=None):
    """Issue a pass for the person in the framework version (the default one if None):
    snapshot, canonical JSON, SHA-256, Ed25519 signature, PDF; older valid passes of the
    same person and framework become superseded. The pass, the superseding and the audit
    entry are written in one transaction."""
    from app.mediapass import pdf

    framework = framework or profiles.default_framework()
    if framework is None or framework.status != "published":
        raise DomainError(_("There is no published competence framework to issue a pass in."))
    if language not in LANGUAGES:
        raise DomainError(_("A pass is issued in German or English."), where="language")
    if user is None or not user.active:
        raise DomainError(_("Passes are issued to active people only."), where="user")
    current = keys.signer()
    keys.register(current)
    now = utcnow().replace(microsecond=0)
    serial = new_serial(now.date())
    issuer_label = actor.name if actor is not None else settings.company_name()
    content = content_of(user, framework, serial, issuer_label, language, now)
    content["key_id"] = current.key_id
    data = signing.canonical_json(content)
    record = MedienPass(
        serial=serial,
        user_id=user.id,
        holder_name=user.name,
        framework_id=framework.id,
        framework_lineage=framework.lineage,
        language=language,
        issued_at=now,
        issuer_id=actor.id if actor is not None else None,
        issuer_label=issuer_label,
        content=data.decode("utf-8"),
        sha256=signing.sha256_hex(data),
        signature=current.sign(data),
        key_id=current.key_id,
        job_id=job_id,
    )
    # The snapshot is taken: the reading transaction ends before the PDF is drawn, so that
    # no lock is held while WeasyPrint works (SQLite lets one writer in at a time).
    db.session.commit()
    record.pdf = pdf.render_pass(record)
    # Passes of one person are written one after another: the newest supersedes the rest.
    db.session.execute(
        select(User.id).where(User.id == user.id).with_for_update(key_share=True)
    ).all()
    db.session.execute(
        update(MedienPass)
        .where(
            MedienPass.user_id == user.id,
            MedienPass.framework_lineage == framework.lineage,
            MedienPass.status == "valid",
        )
        .values(status="superseded", superseded_at=now)
    )
    db.session.add(record)
    db.session.flush()
    audit.record(actor, "pass.issue", user, {"serial": serial, "framework": framework.title})
    db.session.commit()
    return record


def revoke(actor, record, reason):
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Please give a reason for revoking the pass."), where="reason")
    if record.status == "revoked":
        raise DomainError(_("The pass %(serial)s is already revoked.", serial=record.serial))
    record.status = "revoked"
    record.revoked_at = utcnow()
    record.revoked_by_id = actor.id if actor is not None else None
    record.revoke_reason = reason
    audit.record(actor, "pass.revoke", record.user, {"serial": record.serial, "reason": reason})
    db.session.commit()


def by_serial(serial):
    return db.session.scalar(select(MedienPass).where(MedienPass.serial == serial))


def passes_of(user):
    from sqlalchemy.orm import selectinload

    return db.session.scalars(
        select(MedienPass)
        .where(MedienPass.user_id == user.id)
        .options(selectinload(MedienPass.framework))
        .order_by(MedienPass.issued_at.desc(), MedienPass.id.desc())
    ).all()
