"""`flask accounts ...`: the same services as the admin pages, for scripts and operators."""

import json
import sys

import click
from flask.cli import AppGroup

from app.accounts import auth, onboarding, services
from app.errors import DomainError
from app.extensions import db

accounts_cli = AppGroup("accounts", help="Users, roles and onboarding.")


@accounts_cli.command("import-users")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_users_command(path):
    """Create or update users from a CSV file (email, name, department, job_role, roles)."""
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        summary = onboarding.import_users(None, data)
    except DomainError as error:
        db.session.rollback()
        click.echo(f"{path}: {error.message}", err=True)
        for line, message in error.problems:
            click.echo(f"{path}:{line}: {message}", err=True)
        sys.exit(1)
    click.echo(json.dumps(summary.as_dict()))


@accounts_cli.command("set-password")
@click.argument("email")
@click.password_option()
def set_password_command(email, password):
    """Set the password of a user, e.g. one created by an import."""
    user = auth.find_user_by_email(email)
    if user is None:
        click.echo(f"No user with the e-mail address {email}.", err=True)
        sys.exit(1)
    try:
        services.set_password(None, user, password)
    except DomainError as error:
        db.session.rollback()
        click.echo(str(error), err=True)
        sys.exit(1)
    click.echo(f"The password of {user.email} has been set.")
