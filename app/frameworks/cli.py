"""`flask frameworks ...`: import, export and list frameworks (a contract for scripts)."""

import json
import sys

import click
from flask.cli import AppGroup

from app.errors import DomainError
from app.extensions import db
from app.frameworks import case, moodlecsv, services

frameworks_cli = AppGroup("frameworks", help="Competence frameworks.")


@frameworks_cli.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
def import_command(path):
    """Import a CASE JSON package or a Moodle competency framework CSV."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        click.echo(f"{path}: cannot be read: {error.strerror}", err=True)
        sys.exit(1)
    try:
        framework, count, warnings = services.import_framework(None, data)
    except DomainError as error:
        db.session.rollback()
        click.echo(f"{path}: {error}", err=True)
        for where, message in error.problems:
            click.echo(f"{path}: {where}: {message}", err=True)
        sys.exit(1)
    for where, message in warnings:
        click.echo(f"{path}: warning: {where}: {message}", err=True)
    click.echo(
        json.dumps(
            {"id": framework.id, "title": framework.title, "competences": count}, ensure_ascii=False
        )
    )


@frameworks_cli.command("export")
@click.argument("framework_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["case", "moodle-csv"]), required=True)
def export_command(framework_id, fmt):
    """Print a framework as CASE JSON or Moodle CSV."""
    framework = services.get_framework(framework_id)
    if framework is None:
        click.echo(f"No framework with id {framework_id}.", err=True)
        sys.exit(1)
    data = services.as_data(framework)
    if fmt == "case":
        click.echo(json.dumps(case.write_case(data), ensure_ascii=False, indent=2))
    else:
        click.echo(moodlecsv.write_moodle_csv(data), nl=False)


@frameworks_cli.command("list")
def list_command():
    """id, title, version, status and number of competences, tab-separated."""
    for framework, count in services.framework_list():
        version = framework.version_label or str(framework.version_number)
        click.echo(f"{framework.id}\t{framework.title}\t{version}\t{framework.status}\t{count}")
