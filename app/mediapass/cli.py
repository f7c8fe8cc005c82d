"""`flask passes ...`: issue, verify and revoke Medienpässe (a contract for scripts: one
JSON object on stdout, messages on stderr)."""

import json
import os
import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from app.accounts.models import User
from app.errors import DomainError
from app.extensions import db
from app.frameworks.models import Framework
from app.mediapass import issuing, keys, verification

passes_cli = AppGroup("passes", help="Medienpässe: issue, verify, revoke.")


def _fail(message, code=1):
    db.session.rollback()
    click.echo(message, err=True)
    sys.exit(code)


def write_file(path, data):
    """Write bytes next to the target first, then move them into place: a reader never
    finds half a file."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
    temporary.write_bytes(data)
    temporary.replace(path)


@passes_cli.command("issue")
@click.option("--user", "email", required=True, help="E-mail address of the holder.")
@click.option("--framework", "framework_id", type=int, help="Framework version (default one).")
@click.option("--language", type=click.Choice(issuing.LANGUAGES), default="de", show_default=True)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="PDF file.")
def issue_command(email, framework_id, language, out):
    """Issue a pass, write its PDF, print its serial, hash and verification URL."""
    target = Path(out)
    if not target.parent.resolve().is_dir():
        _fail(f"{out}: the folder {target.parent} does not exist.")
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        _fail(f"No person with the e-mail address {email}.")
    framework = None
    if framework_id is not None:
        framework = db.session.get(Framework, framework_id)
        if framework is None:
            _fail(f"No competence framework with id {framework_id}.")
    try:
        record = issuing.issue(None, user, framework, language=language)
    except DomainError as error:
        _fail(str(error))
    try:
        write_file(target, record.pdf)
    except OSError as error:
        _fail(f"{out}: cannot be written: {error.strerror}")
    click.echo(
        json.dumps(
            {
                "serial": record.serial,
                "sha256": record.sha256,
                "url": issuing.verify_url(record.serial),
            }
        )
    )


@passes_cli.command("verify")
@click.argument("path", type=click.Path(dir_okay=False))
def verify_command(path):
    """Check a pass PDF: content, hash, signature and current status. Exit 0 only when valid."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        _fail(f"{path}: cannot be read: {error.strerror}", code=2)
    result = verification.verify_pdf(data)
    click.echo(json.dumps(result.as_json()))
    sys.exit(0 if result.valid else 1)


@passes_cli.command("revoke")
@click.argument("serial")
@click.option("--reason", required=True, help="Why the pass no longer holds.")
def revoke_command(serial, reason):
    """Revoke a pass; its verification page says so from now on."""
    record = issuing.by_serial(serial.strip())
    if record is None:
        _fail(f"No pass with the serial number {serial}.")
    try:
        issuing.revoke(None, record, reason)
    except DomainError as error:
        _fail(str(error))
    click.echo(json.dumps({"serial": record.serial, "status": record.status}))


@passes_cli.command("rotate-key")
def rotate_key_command():
    """Start signing with a new key; passes signed with the old one still verify."""
    new = keys.rotate()
    click.echo(json.dumps({"key_id": new.key_id}))


@passes_cli.command("bulk")
@click.option("--department", help="Name of a department.")
@click.option("--job-role", "job_role", help="Name of a job role.")
@click.option("--all", "everyone", is_flag=True, help="Every active person.")
@click.option("--language", type=click.Choice(issuing.LANGUAGES), default="de", show_default=True)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="ZIP file.")
def bulk_command(department, job_role, everyone, language, out):
    """Issue passes to a group as the HR page does; a progress bar on the terminal."""
    import shutil

    from app import jobs
    from app.mediapass import bulk

    target = Path(out)
    if not target.parent.resolve().is_dir():
        _fail(f"{out}: the folder {target.parent} does not exist.")
    try:
        params = bulk.prepare(
            bulk.choose(department=department, job_role=job_role, everyone=everyone), language
        )
    except DomainError as error:
        _fail(str(error))
    job = jobs.create(bulk.KIND, params)
    length = len(bulk.people(params))
    with click.progressbar(length=length, label="Issuing", file=sys.stderr) as bar:
        seen = {"done": 0}

        def advance(done, total):
            bar.update(done - seen["done"])
            seen["done"] = done

        job = jobs.run(job.id, on_progress=advance)
    if job.state != "finished":
        _fail(f"The run stopped: {job.error}")
    shutil.copyfile(jobs.result_path(job), target)
    click.echo(json.dumps({"job": job.id, "passes": job.total, "zip": str(target)}))
