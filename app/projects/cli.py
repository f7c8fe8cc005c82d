"""`flask projects ...`: schedule a network file, import and export training projects (a
contract for scripts: one JSON object on stdout, problems on stderr with exit code 1 and
nothing on stdout)."""

import json
import sys

import click
from flask.cli import AppGroup

from app.errors import DomainError
from app.extensions import db
from app.projects import exchange, network, scheduling

projects_cli = AppGroup("projects", help="Training projects: schedule, import, export.")


def _fail(lines):
    db.session.rollback()
    for line in lines:
        click.echo(line, err=True)
    sys.exit(1)


def _read(path):
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        _fail([f"{path}: cannot be read: {error.strerror}"])


def _read_network(path):
    """The network in the file, or exit 1 with every problem named, each after the path."""
    data = _read(path)
    try:
        return exchange.read(data)
    except exchange.FILE_ERRORS as error:
        _fail([f"{path}: {problem}" for problem in error.problems])


def _print(data):
    click.echo(json.dumps(data, ensure_ascii=False))


@projects_cli.command("schedule")
@click.argument("path")
def schedule_command(path):
    """Schedule a network JSON or MSPDI file; print the schedule as one JSON object."""
    found = _read_network(path)
    try:
        result = scheduling.schedule(found.activities, found.links, found.deadline)
    except scheduling.ScheduleError as error:
        _fail([f"{path}: {problem}" for problem in error.problems])
    _print(network.schedule_json(result))


@projects_cli.command("import")
@click.argument("path")
def import_command(path):
    """Create a training project from a network JSON or MSPDI file; print its id."""
    from app.projects import services

    data = _read(path)
    try:
        project = services.import_network(None, *services.read_file(data))
    except DomainError as error:
        problems = [f"{w}: {m}" if w else m for w, m in error.problems]
        _fail([f"{path}: {problem}" for problem in problems or [error]])
    _print({"id": project.id})


@projects_cli.command("export")
@click.argument("project_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["json", "mspdi"]), default="json")
def export_command(project_id, fmt):
    """Print a training project as network JSON (what import reads) or MSPDI XML."""
    from app.projects import services

    project = services.get_project(None, project_id)
    if project is None:
        _fail([f"No training project with id {project_id}."])
    if fmt == "json":
        click.echo(json.dumps(services.export_json(project), ensure_ascii=False, indent=2))
    else:
        click.echo(services.export_mspdi(project), nl=False)
