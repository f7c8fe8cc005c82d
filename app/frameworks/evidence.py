"""Evidence recorded and revoked by hand, and other people's profiles seen by trainers and HR
(service). Evidence is append-only: it is revoked, never edited or deleted."""

from flask_babel import gettext as _

from app.accounts import audit
from app.accounts.models import utcnow
from app.council import approvals
from app.errors import DomainError
from app.extensions import db
from app.frameworks.models import EVIDENCE_SOURCES, Competence, Evidence
from app.frameworks.profiles import competence_profile

# Who may revoke which kind of evidence: trainers what learning produced, HR what it
# recorded itself; admins anything.
REVOKERS = {
    "trainer": {"course", "quiz", "rating"},
    "hr": {"prior_learning"},
    "admin": set(EVIDENCE_SOURCES),
}


def person_for_evidence(email):
    """The active person evidence is recorded for; a DomainError names the field."""
    from app.accounts.auth import find_user_by_email

    person = find_user_by_email(email or "")
    if person is None or not person.active:
        raise DomainError(_("There is no active person with this e-mail address."), where="email")
    return person


def competence_of(framework, competence_id):
    competence = db.session.get(Competence, competence_id)
    if competence is None or competence.framework_id != framework.id:
        raise DomainError(_("Please choose a competence."), where="competence_id")
    return competence


def add_evidence(
    user,
    competence,
    level,
    source,
    issued_on,
    expires_on=None,
    justification="",
    actor=None,
    issuer_label=None,
):
    """Add one piece of evidence to the caller's transaction, checked against the
    framework's scale; audited. The caller commits."""
    if source not in EVIDENCE_SOURCES:
        raise DomainError(_("Unknown source of evidence."), where="source")
    top = len(competence.framework.scale.levels)
    if not 1 <= int(level) <= top:
        raise DomainError(_("The level must be between 1 and %(top)d.", top=top), where="level")
    if source == "rating" and not (justification or "").strip():
        raise DomainError(_("A rating needs a justification."), where="justification")
    if expires_on is not None and expires_on < issued_on:
        raise DomainError(_("The expiry date lies before the issue date."), where="expires_on")
    evidence = Evidence(
        user_id=user.id,
        competence=competence,
        level=int(level),
        source=source,
        issuer_id=actor.id if actor else None,
        issuer_label=issuer_label or (actor.name if actor else "Medienpass"),
        issued_on=issued_on,
        expires_on=expires_on,
        justification=(justification or "").strip(),
    )
    db.session.add(evidence)
    db.session.flush()
    audit.record(
        actor,
        "evidence.create",
        user,
        {"competence": competence.code, "level": int(level), "source": source},
    )
    return evidence


def record_evidence(
    actor, user, competence, level, source, issued_on, expires_on=None, justification=""
):
    """Record one piece of evidence by hand (a trainer's rating, prior learning)."""
    evidence = add_evidence(
        user, competence, level, source, issued_on, expires_on, justification, actor=actor
    )
    db.session.commit()
    return evidence


def may_revoke(actor, evidence):
    return evidence.revoked_at is None and any(
        evidence.source in sources for role, sources in REVOKERS.items() if actor.has_role(role)
    )


def evidence_to_revoke(actor, evidence_id):
    """The evidence, when this actor may revoke it; None looks the same as a missing one."""
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None or not may_revoke(actor, evidence):
        return None
    return evidence


def revoke_evidence(actor, evidence, reason):
    """Revoke with a reason (who, when and why stay on the evidence); audited."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Please give a reason."), where="reason")
    if len(reason) > 2000:
        raise DomainError(_("The reason is longer than 2,000 characters."), where="reason")
    if not may_revoke(actor, evidence):
        raise DomainError(_("This evidence cannot be revoked."))
    evidence.revoked_at = utcnow()
    evidence.revoked_by_id = actor.id
    evidence.revoke_reason = reason
    audit.record(
        actor,
        "evidence.revoke",
        evidence.user,
        {
            "competence": evidence.competence.code,
            "level": evidence.level,
            "source": evidence.source,
            "reason": reason,
        },
    )
    db.session.commit()


def profile_of(actor, person, framework):
    """Another person's competence profile, read through a trainer's or HR page: audited;
    in works-council mode only with an approval that covers the person (ApprovalNeeded)."""
    if actor.id != person.id:
        approvals.require(actor, person)
        audit.record(actor, "profile.view", person, {"framework": framework.id})
        db.session.commit()
    return competence_profile(person, framework)
