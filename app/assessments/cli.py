"""`flask questions ...`: import and export question banks as GIFT (a contract for scripts)."""

import json
import sys

import click
from flask.cli import AppGroup

from app.assessments import services
from app.errors import DomainError
from app.extensions import db

questions_cli = AppGroup("questions", help="Question banks.")


@questions_cli.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--bank", "bank_name", required=True, help="Name of the bank (created if missing).")
def import_command(path, bank_name):
    """Import a Moodle GIFT file into a question bank."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        click.echo(f"{path}: cannot be read: {error.strerror}", err=True)
        sys.exit(1)
    try:
        bank, by_type, skipped = services.import_gift(None, bank_name, data)
    except DomainError as error:
        db.session.rollback()
        if not error.problems:
            click.echo(f"{path}: {error}", err=True)
        for line, message in error.problems:
            click.echo(f"{path}:{line}: {message}", err=True)
        sys.exit(1)
    click.echo(
        json.dumps(
            {
                "bank": bank.id,
                "imported": sum(by_type.values()),
                "by_type": by_type,
                "skipped": skipped,
            }
        )
    )


@questions_cli.command("export")
@click.argument("bank_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["gift"]), required=True)
def export_command(bank_id, fmt):
    """Print a question bank as GIFT."""
    bank = services.get_bank(bank_id)
    if bank is None:
        click.echo(f"No question bank with id {bank_id}.", err=True)
        sys.exit(1)
    click.echo(services.export_gift(bank), nl=False)
