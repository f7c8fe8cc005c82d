"""`flask privacy purge`: delete what is past its retention period (nightly)."""

import json

import click
from flask.cli import AppGroup

from app.privacy import purge

privacy_cli = AppGroup("privacy", help="Privacy: retention purge.")


@privacy_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Count what would be deleted, delete nothing.")
def purge_command(dry_run):
    """Delete attempt answers, lesson progress, audit entries and course feedback past their
    retention periods; print the rows per kind as one JSON object."""
    counts = purge.purge(dry_run=dry_run)
    click.echo(json.dumps({**counts, "dry_run": dry_run}))
