"""`flask courses ...`: the nightly reminders (a contract for cron and scripts)."""

import json
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import AppGroup

from app.courses import outbox
from app.courses.mail import sender_for

courses_cli = AppGroup("courses", help="Courses, enrolments and recertification.")


@courses_cli.command("reminders")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day to remind for (YYYY-MM-DD); default: today in the company's time zone.",
)
def reminders_command(today):
    """Queue reminders of expiring completions and overdue courses, then send every unsent
    message, one e-mail per person. Run twice on one day, it sends nothing twice.
    Prints {"queued": n, "sent": n, "people": n}."""
    # The company's day, whatever the server's clock zone.
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    day = today.date() if today else datetime.now(zone).date()
    queued = outbox.queue_reminders(day)
    sent = outbox.send_pending(sender_for(current_app))
    click.echo(
        json.dumps({"queued": queued["queued"], "sent": sent["sent"], "people": sent["people"]})
    )
    if sent["failed"]:
        click.echo(
            f"{sent['failed']} message(s) could not be sent; they stay queued for the next run.",
            err=True,
        )
        sys.exit(1)
