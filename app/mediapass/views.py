"""Pages of the Medienpass: public verification (by serial, by uploaded PDF) and the key
set; the learner's own passes; HR's list with revoking. Access is checked here, per route."""

import io
import json

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from app.accounts.access import roles_required
from app.errors import DomainError, refuse
from app.extensions import db, limiter
from app.frameworks import profiles
from app.mediapass import bulk as bulk_passes
from app.mediapass import issuing, keys, verification
from app.mediapass.models import MedienPass

bp = Blueprint("passes", __name__)

MANAGERS = ("hr", "admin")
VERIFY_LIMIT = "30 per minute"
PDF_MAX_BYTES = 5 * 1024 * 1024


@bp.route("/.well-known/medienpass-keys.json")
@limiter.exempt
def key_set():
    response = jsonify(keys.key_set())
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def _public(result, status_code=200):
    """The verification page: only what the pass itself shows, nothing else of the person."""
    return (
        render_template("mediapass/verify.html", result=result, content=result.content),
        status_code,
    )


@bp.route("/verify/<serial>")
@limiter.limit(VERIFY_LIMIT)
def verify(serial):
    record = issuing.by_serial(serial.strip().upper()[:40])
    if record is None:
        return _public(verification.Result("unknown", serial[:40]), 404)
    content = json.loads(record.content)
    return _public(verification.Result(record.status, record.serial, content, record))


@bp.route("/verify", methods=["GET", "POST"])
@limiter.limit(VERIFY_LIMIT, methods=["POST"])
def verify_form():
    """Enter a serial number, or upload a pass PDF to check its signature."""
    if request.method == "GET":
        serial = request.args.get("serial", "").strip()
        if serial:
            return redirect(url_for("passes.verify", serial=serial.upper()))
        return render_template("mediapass/verify_form.html")
    upload = request.files.get("file")
    data = upload.read(PDF_MAX_BYTES + 1) if upload else b""
    if not data:
        flash(_("Please choose a PDF file."), "danger")
        return render_template("mediapass/verify_form.html")
    if len(data) > PDF_MAX_BYTES:
        flash(_("The file is larger than 5 MB; a Medienpass is much smaller."), "danger")
        return render_template("mediapass/verify_form.html")
    result = verification.verify_pdf(data)
    return _public(result)


def _own_or_managed(serial):
    """A pass its holder, HR or an admin may download; 404 for anyone else, and for a pass
    whose holder was erased (its PDF is gone with the name)."""
    record = issuing.by_serial(serial)
    if record is None or not record.holder_name:
        abort(404)
    if record.user_id != current_user.id and not current_user.has_role(*MANAGERS):
        abort(404)
    return record


def _record_downloads(user_ids, details):
    """HR or an admin downloads other people's passes: in works-council mode only with an
    approval covering every holder; each holder reads it on "who looked at my data"."""
    from app.accounts import audit
    from app.accounts.models import User
    from app.council import approvals

    holders = db.session.scalars(select(User).where(User.id.in_(user_ids))).all()
    covered = approvals.coverage(current_user)
    for holder in holders:
        if not covered.covers_user(holder):
            raise approvals.ApprovalNeeded(holder if len(holders) == 1 else None)
    audit.record_people(current_user, "pass.download", [(h.id, h.email) for h in holders], details)
    db.session.commit()


@bp.route("/passes/<serial>.pdf")
@login_required
def download(serial):
    record = _own_or_managed(serial)
    if record.user_id is not None and record.user_id != current_user.id:
        _record_downloads([record.user_id], {"serial": record.serial})
    # send_file writes a plain ASCII name and the UTF-8 one (RFC 6266), so Łukasz works too.
    return send_file(
        io.BytesIO(record.pdf),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"{record.serial}_{record.holder_name}.pdf",
    )


@bp.route("/passes/mine")
@roles_required("learner")
def mine():
    """Mein Medienpass: the profile it would show, the passes issued, the link to share."""
    framework = profiles.default_framework()
    profile = profiles.competence_profile(current_user, framework) if framework else None
    return render_template(
        "mediapass/mine.html",
        framework=framework,
        profile=profile,
        passes=issuing.passes_of(current_user),
    )


@bp.route("/passes/mine/issue", methods=["POST"])
@roles_required("learner")
def issue_mine():
    language = request.form.get("language", "de")
    try:
        record = issuing.issue(current_user, current_user, language=language)
    except DomainError as error:
        db.session.rollback()
        refuse(error)
    else:
        flash(_("Your Medienpass %(serial)s has been issued.", serial=record.serial), "success")
    return redirect(url_for("passes.mine"))


@bp.route("/passes/")
@roles_required(*MANAGERS)
def manage():
    """Every issued pass, newest first; search by name or serial, filter by status."""
    query = request.args.get("q", "").strip()
    status = request.args.get("status", "")
    statement = select(MedienPass).order_by(MedienPass.issued_at.desc(), MedienPass.id.desc())
    if query:
        statement = statement.where(
            or_(
                MedienPass.holder_name.ilike(f"%{query}%"),
                MedienPass.serial.ilike(f"%{query}%"),
            )
        )
    if status in ("valid", "revoked", "superseded"):
        statement = statement.where(MedienPass.status == status)
    page = db.paginate(statement, per_page=50, error_out=False)
    return render_template("mediapass/manage.html", page=page, query=query, status=status)


@bp.route("/passes/<serial>/revoke", methods=["POST"])
@roles_required(*MANAGERS)
def revoke(serial):
    record = issuing.by_serial(serial)
    if record is None:
        abort(404)
    try:
        issuing.revoke(current_user, record, request.form.get("reason", ""))
    except DomainError as error:
        db.session.rollback()
        refuse(error)
    else:
        flash(_("The pass %(serial)s is revoked.", serial=record.serial), "success")
    return redirect(url_for("passes.manage"))


# ---- bulk issue (HR)


@bp.route("/passes/bulk", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def bulk():
    """Issue passes to everyone, a department or a job role: a background job."""
    from app.accounts.services import departments, job_roles
    from app.jobs import Job

    if request.method == "POST":
        group = request.form.get("group", "")
        kind, _sep, name = group.partition(":")
        try:
            params = bulk_passes.choose(
                department=name if kind == "department" else None,
                job_role=name if kind == "job_role" else None,
                everyone=group == "everyone",
            )
            job = bulk_passes.start(current_user, params, request.form.get("language", "de"))
        except DomainError as error:
            db.session.rollback()
            refuse(error)
        else:
            return redirect(url_for("passes.job", job_id=job.id))
    recent = db.session.scalars(
        select(Job).where(Job.kind == "passes.bulk").order_by(Job.id.desc()).limit(10)
    ).all()
    return render_template(
        "mediapass/bulk.html", departments=departments(), job_roles=job_roles(), recent=recent
    )


def _job_or_404(job_id):
    from app.jobs import Job

    job = db.session.get(Job, job_id)
    if job is None or job.kind != "passes.bulk":
        abort(404)
    return job


@bp.route("/passes/jobs/<int:job_id>")
@roles_required(*MANAGERS)
def job(job_id):
    return render_template("mediapass/job.html", job=_job_or_404(job_id))


@bp.route("/passes/jobs/<int:job_id>.json")
@roles_required(*MANAGERS)
def job_status(job_id):
    job = _job_or_404(job_id)
    data = job.as_json()
    if job.state == "finished":
        data["download"] = url_for("passes.job_download", job_id=job.id)
    return jsonify(data)


@bp.route("/passes/jobs/<int:job_id>/download")
@roles_required(*MANAGERS)
def job_download(job_id):
    from app import jobs

    job = _job_or_404(job_id)
    path = jobs.result_path(job) if job.state == "finished" else None
    if path is None:
        abort(404)
    holders = select(MedienPass.user_id).where(
        MedienPass.job_id == job.id, MedienPass.user_id.is_not(None)
    )
    _record_downloads(db.session.scalars(holders).all(), {"job": job.id})
    return send_file(path, mimetype="application/zip", as_attachment=True, download_name=path.name)
