"""Issuing Medienpässe in bulk: everyone, a department or a job role, as a background job
whose result is one ZIP (a PDF per person, `<serial>_<name>.pdf`, and a CSV index).

The people are split into parts of PART_SIZE that RQ workers share; the ZIP is written when
every part is done. Idempotent by job and person: a pass carries its job's id (unique with
the person), so a retried part issues only the passes still missing and the ZIP holds each
one exactly once."""

import re
import unicodedata
import zipfile

from flask_babel import gettext as _
from sqlalchemy import func, select

from app import jobs
from app.accounts.models import Department, JobRole, User
from app.errors import DomainError
from app.extensions import db
from app.frameworks import profiles
from app.mediapass import issuing
from app.mediapass.models import MedienPass

KIND = "passes.bulk"
PART_SIZE = 20  # passes per part: small enough that two workers share even a department


def choose(department=None, job_role=None, everyone=False):
    """The job's parameters for exactly one choice; the names must exist."""
    chosen = [value for value in (department, job_role, everyone or None) if value]
    if len(chosen) != 1:
        raise DomainError(_("Choose a department, a job role, or everyone."), where="group")
    if department:
        record = db.session.scalar(select(Department).where(Department.name == department))
        if record is None:
            raise DomainError(_("There is no department %(name)s.", name=department))
        return {"department_id": record.id, "label": record.name}
    if job_role:
        record = db.session.scalar(select(JobRole).where(JobRole.name == job_role))
        if record is None:
            raise DomainError(_("There is no job role %(name)s.", name=job_role))
        return {"job_role_id": record.id, "label": record.name}
    return {"everyone": True, "label": "*"}


def people(params):
    statement = select(User).where(User.active.is_(True)).order_by(User.id)
    if params.get("department_id"):
        statement = statement.where(User.department_id == params["department_id"])
    if params.get("job_role_id"):
        statement = statement.where(User.job_role_id == params["job_role_id"])
    return db.session.scalars(statement).all()


def prepare(params, language="de"):
    """The whole parameters of a run, checked: a published framework, someone to issue to."""
    framework = profiles.default_framework()
    if framework is None:
        raise DomainError(_("There is no published competence framework to issue a pass in."))
    if language not in issuing.LANGUAGES:
        raise DomainError(_("A pass is issued in German or English."), where="language")
    if not people(params):
        raise DomainError(_("Nobody active belongs to this group."))
    return {**params, "framework_id": framework.id, "language": language}


def start(actor, params, language="de"):
    """Start a run in the background; returns its job."""
    return jobs.enqueue(KIND, prepare(params, language), actor)


def split(job):
    """The people to issue to, in parts that workers share: lists of user ids."""
    ids = [person.id for person in people(job.params)]
    return [ids[start : start + PART_SIZE] for start in range(0, len(ids), PART_SIZE)]


def run_part(job, user_ids, tick):
    """Issue the passes of one part that are still missing."""
    from app.frameworks.models import Framework

    params = job.params
    framework = db.session.get(Framework, params["framework_id"])
    actor = job.created_by
    issued = set(
        db.session.scalars(
            select(MedienPass.user_id).where(
                MedienPass.job_id == job.id, MedienPass.user_id.in_(user_ids)
            )
        )
    )
    persons = db.session.scalars(
        select(User).where(User.id.in_(user_ids), User.id.not_in(issued)).order_by(User.id)
    ).all()
    language = params.get("language", "de")
    # Each pass commits on its own: a worker that dies keeps what it issued, and committed
    # rows (with their PDFs) leave the session's memory.
    for number, person in enumerate(persons, start=1):
        issuing.issue(actor, person, framework, language=language, job_id=job.id)
        if number % 5 == 0:
            tick()


def count_done(job):
    return db.session.scalar(
        select(func.count()).select_from(MedienPass).where(MedienPass.job_id == job.id)
    )


def finish(job):
    """The ZIP of all the job's passes."""
    job_id = job.id
    return jobs.write_result(f"medienpaesse-{job_id}.zip", lambda path: write_zip(job_id, path))


def file_name(record):
    """`<serial>_<name>.pdf`, the name in plain letters, digits and hyphens."""
    plain = unicodedata.normalize("NFKD", record.holder_name)
    plain = plain.encode("ascii", "ignore").decode("ascii")
    plain = re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-") or "pass"
    return f"{record.serial}_{plain}.pdf"


def write_zip(job_id, path):
    """The ZIP of every pass the job issued: one PDF each and index.csv (safe for
    spreadsheets), loaded one pass at a time."""
    from app.tabular import csv_text

    ids = db.session.scalars(
        select(MedienPass.id).where(MedienPass.job_id == job_id).order_by(MedienPass.id)
    ).all()
    rows = []
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        for pass_id in ids:
            record = db.session.get(MedienPass, pass_id)
            name = file_name(record)
            archive.writestr(name, record.pdf)
            person = record.user
            rows.append(
                [
                    record.serial,
                    record.holder_name,
                    person.email if person else "",
                    person.department.name if person and person.department else "",
                    record.issued_at.strftime("%Y-%m-%d %H:%M"),
                    record.sha256,
                    name,
                ]
            )
            db.session.expunge(record)
        header = ["serial", "name", "email", "department", "issued_at", "sha256", "file"]
        archive.writestr("index.csv", "\ufeff" + csv_text(header, rows))


jobs.PARTS[KIND] = jobs.Parts(split=split, run_part=run_part, count_done=count_done, finish=finish)
