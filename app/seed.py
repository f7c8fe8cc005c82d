"""`flask seed demo`: a small company to try the platform with. Later packages add their part."""

import logging

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from app.accounts.auth import hash_password
from app.accounts.models import Department, JobRole, User, UserRole
from app.extensions import db

log = logging.getLogger(__name__)

seed_cli = AppGroup("seed", help="Demo data.")

DEMO_DOMAIN = "muster-gmbh.example"
DEMO_PASSWORD = "Medienpass-Demo-2026"

DEPARTMENTS = ("Vertrieb", "IT-Support", "Personal", "Marketing", "Geschäftsführung")

JOB_ROLES = {
    "Sachbearbeitung": "Bürotätigkeit mit Office-Anwendungen, E-Mail, Ablage und "
    "Recherche; Umgang mit Kundendaten nach DSGVO.",
    "IT-Support": "Anwenderbetreuung im 1st- und 2nd-Level-Support, Ticketbearbeitung, "
    "Schulung von Anwenderinnen und Anwendern, IT-Sicherheit.",
    "Social-Media-Management": "Planung, Produktion und Auswertung von Inhalten für "
    "soziale Netzwerke; Community-Management, Urheber- und Medienrecht.",
    "Führungskraft": "Führt ein Team, vereinbart Entwicklungsziele, plant Schulungen und "
    "achtet auf Datenschutz und Mitbestimmung.",
}

# One person per role; the learner is also the first of the learners below.
ROLE_USERS = (
    ("admin", "Andreas Adler", "Geschäftsführung", "Führungskraft", ("admin",)),
    ("hr", "Helga Hoffmann", "Personal", "Sachbearbeitung", ("hr", "learner")),
    ("trainer", "Tobias Trautmann", "IT-Support", "IT-Support", ("trainer", "learner")),
    ("learner", "Lena Lehmann", "Vertrieb", "Sachbearbeitung", ("learner",)),
)

LEARNERS = (
    ("Mehmet Yılmaz", "Vertrieb", "Sachbearbeitung"),
    ("Sophie Becker", "Vertrieb", "Sachbearbeitung"),
    ("Jonas Wagner", "Vertrieb", "Führungskraft"),
    ("Anna Schulz", "Vertrieb", "Sachbearbeitung"),
    ("Lukas Fischer", "Vertrieb", "Sachbearbeitung"),
    ("Katarzyna Nowak", "IT-Support", "IT-Support"),
    ("Felix Schäfer", "IT-Support", "IT-Support"),
    ("Marie Koch", "IT-Support", "IT-Support"),
    ("Paul Richter", "IT-Support", "Führungskraft"),
    ("Jana Klein", "Personal", "Sachbearbeitung"),
    ("Tim Wolf", "Personal", "Sachbearbeitung"),
    ("Laura Schröder", "Personal", "Führungskraft"),
    ("Niklas Neumann", "Marketing", "Social-Media-Management"),
    ("Emma Schwarz", "Marketing", "Social-Media-Management"),
    ("Ayşe Demir", "Marketing", "Social-Media-Management"),
    ("David Zimmermann", "Marketing", "Social-Media-Management"),
    ("Lea Braun", "Marketing", "Führungskraft"),
    ("Julian Krüger", "Geschäftsführung", "Sachbearbeitung"),
    ("Hannah Hofmann", "Vertrieb", "Sachbearbeitung"),
    ("Moritz Hartmann", "IT-Support", "IT-Support"),
)


def _email(name):
    ascii_name = (
        name.lower()
        .replace("ä", "ae")
        .replace("ö", "oe")
        .replace("ü", "ue")
        .replace("ß", "ss")
        .replace("ı", "i")
        .replace("ş", "s")
    )
    first, last = ascii_name.split(" ", 1)
    return f"{first}.{last.replace(' ', '-')}@{DEMO_DOMAIN}"


def demo_logins():
    """(role, e-mail) of the one demo person per role."""
    return [(login, f"{login}@{DEMO_DOMAIN}") for login, *_rest in ROLE_USERS]


def seed_accounts():
    """Departments, job roles and people; returns False when the database already has users."""
    if db.session.scalar(select(func.count()).select_from(User)):
        return False
    departments = {name: Department(name=name) for name in DEPARTMENTS}
    job_roles = {name: JobRole(name=name, description=text) for name, text in JOB_ROLES.items()}
    db.session.add_all([*departments.values(), *job_roles.values()])
    password_hash = hash_password(DEMO_PASSWORD)
    people = [
        (f"{login}@{DEMO_DOMAIN}", name, dep, job, roles)
        for login, name, dep, job, roles in ROLE_USERS
    ] + [(_email(name), name, dep, job, ("learner",)) for name, dep, job in LEARNERS]
    for email, name, dep, job, roles in people:
        user = User(
            email=email,
            name=name,
            password_hash=password_hash,
            department=departments[dep],
            job_role=job_roles[job],
        )
        user.role_rows = [UserRole(role=role) for role in roles]
        db.session.add(user)
    return True


@seed_cli.command("demo")
def seed_demo_command():
    """Load the demo company when the database holds no users yet; print the logins."""
    from app.frameworks.services import load_shipped

    for framework in load_shipped():
        click.echo(f"Framework loaded: {framework.title}")
    if seed_accounts():
        db.session.commit()
        click.echo("Demo data loaded.")
    else:
        click.echo("The database already holds users; demo data left as it is.")
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for role, email in demo_logins():
        click.echo(f"  {role:8} {email}")
