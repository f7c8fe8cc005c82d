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
    if seed_profiles():
        db.session.commit()
        click.echo("Demo requirement profiles and evidence loaded.")
    else:
        click.echo("The database already holds users; demo data left as it is.")
    from app.courses.demo import seed_courses

    if seed_courses():
        click.echo("Demo courses loaded, assigned and partly completed.")
    from app.assessments.demo import seed_quizzes

    # After the courses' completions: the final quizzes count for rounds from now on.
    if seed_quizzes():
        click.echo("Demo final quizzes loaded.")
    from app.projects.demo import seed_projects

    if seed_projects():
        click.echo("Demo training project loaded.")
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for role, email in demo_logins():
        click.echo(f"  {role:8} {email}")


# Requirement profiles of the demo job roles in the KMK framework: {code: target level}.
DEMO_TARGETS = {
    "Sachbearbeitung": {
        "1.1": 2,
        "1.2": 2,
        "1.3": 2,
        "2.1": 2,
        "2.4": 2,
        "4.1": 2,
        "4.2": 3,
        "5.2": 2,
    },
    "IT-Support": {"1.3": 3, "2.3": 2, "4.1": 4, "4.2": 3, "5.1": 4, "5.2": 3, "5.4": 3},
    "Social-Media-Management": {
        "1.2": 3,
        "2.2": 3,
        "2.4": 3,
        "2.5": 2,
        "3.1": 4,
        "3.2": 3,
        "3.3": 3,
        "4.2": 2,
        "6.1": 3,
        "6.2": 3,
    },
    "Führungskraft": {"2.3": 3, "2.4": 3, "4.2": 3, "5.3": 3, "5.4": 2, "6.2": 2},
}
EVIDENCE_PATTERN = ("course", "quiz", "rating", "course", "prior_learning")


DEMO_GOALS = """## Ziele bis Ende 2027

- Alle Beschäftigten schützen personenbezogene Daten nach **DSGVO** und erkennen
  Phishing-Mails; die Pflichtschulungen Datenschutz und IT-Sicherheit sind aktuell.
- Das Marketing veröffentlicht rechtssicher in sozialen Netzwerken (Urheber-, Marken- und
  Persönlichkeitsrecht) und wertet seine Kanäle mit Kennzahlen aus.
- Der IT-Support schult neue Kolleginnen und Kollegen in den ersten zwei Wochen und hält
  die Anwenderbetreuung mit kurzen Lerneinheiten aktuell.
- Führungskräfte vereinbaren jährlich Entwicklungsziele; Auswertungen über Personen gibt
  es nur mit dem Betriebsrat abgestimmt.
"""


def seed_profiles():
    """Targets for the demo job roles and evidence for the demo people, once."""
    from datetime import date, timedelta

    from app.frameworks.models import Competence, Evidence, MediaConcept, RequirementTarget
    from app.frameworks.profiles import default_framework

    framework = default_framework()
    if framework is None or db.session.scalar(select(func.count()).select_from(Evidence)):
        return False
    if db.session.scalar(select(func.count()).select_from(MediaConcept)) == 0:
        db.session.add(MediaConcept(goals=DEMO_GOALS))
    competences = {
        row.code: row
        for row in db.session.scalars(
            select(Competence).where(Competence.framework_id == framework.id)
        )
    }
    job_roles = {job.name: job for job in db.session.scalars(select(JobRole))}
    for job_name, targets in DEMO_TARGETS.items():
        if job_name not in job_roles:
            continue
        for code, level in targets.items():
            db.session.add(
                RequirementTarget(
                    job_role_id=job_roles[job_name].id, competence=competences[code], level=level
                )
            )
    trainer = db.session.scalar(select(User).where(User.email == f"trainer@{DEMO_DOMAIN}"))
    people = db.session.scalars(select(User).order_by(User.id)).all()
    for number, person in enumerate(people):
        targets = DEMO_TARGETS.get(person.job_role.name if person.job_role else "", {})
        for index, (code, target) in enumerate(targets.items()):
            # Spread: some met, some one level short, some without evidence.
            held = target - (number + index) % 3
            if held < 1:
                continue
            source = EVIDENCE_PATTERN[(number + index) % len(EVIDENCE_PATTERN)]
            issued = date(2026, 1, 12) + timedelta(days=(number * 11 + index * 17) % 300)
            db.session.add(
                Evidence(
                    user_id=person.id,
                    competence=competences[code],
                    level=held,
                    source=source,
                    issuer_id=trainer.id if trainer else None,
                    issuer_label=trainer.name if trainer else "Medienpass",
                    issued_on=issued,
                    expires_on=issued + timedelta(days=730) if source == "course" else None,
                    justification="Praxisaufgabe im Team sicher gelöst."
                    if source == "rating"
                    else "",
                )
            )
    return True
