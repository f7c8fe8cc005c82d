"""The demo training project of `flask seed demo`: introducing a social media guideline,
planned on the NRW calendar from a few weeks ago, so that the today line shows progress."""

from datetime import date, timedelta

from sqlalchemy import func, select

from app.accounts.models import User
from app.courses.models import Course
from app.extensions import db
from app.projects import services
from app.projects.models import TrainingProject

NAME = "Einführung Social-Media-Richtlinie"
GOAL = (
    "Eine verbindliche Social-Media-Richtlinie einführen, mit dem Betriebsrat abstimmen und "
    "alle, die für die Firma in sozialen Netzwerken schreiben, darin schulen."
)
DOMAIN = "muster-gmbh.example"
# Nr., name, working days, predecessors (DIN notation), responsible (e-mail), course key.
ACTIVITIES = (
    ("A", "Bedarfsanalyse Social Media", "5", "", "lea.braun", None),
    ("B", "Betriebsrat beteiligen (Mitbestimmung)", "10", "A", "hr", None),
    # The draft starts two days after the analysis has started (Anfangsfolge).
    ("C", "Richtlinie entwerfen", "8", "A AF+2", "niklas.neumann", None),
    # Data protection is checked while the draft is still being finished (overlap).
    ("D", "Datenschutz und Bildrechte prüfen", "4", "C NF-2", "jana.klein", None),
    ("E", "Richtlinie abstimmen und freigeben", "3", "B; D", "admin", None),
    ("F", "Schulungskonzept erstellen", "5", "C AF+3", "trainer", None),
    (
        "G",
        "Lehrgang Social Media Manager (IHK)",
        "8",
        "F",
        "emma.schwarz",
        "social-media-manager",
    ),
    (
        "H",
        "Pflichtschulung Urheber- und Bildrechte",
        "1",
        "E",
        "trainer",
        "urheberrecht-bildrechte-markenrecht",
    ),
    ("I", "Schulungen durchführen", "10", "E; F; H", "trainer", None),
    ("J", "Wirksamkeit und Feedback auswerten", "3", "I", "hr", None),
    ("K", "Abnahme durch die Geschäftsführung", "0", "G; J", "admin", None),
)


def seed_projects(today=None):
    """Create the demo project once, when no project exists and the demo people do."""
    if db.session.scalar(select(func.count()).select_from(TrainingProject)):
        return False
    trainer = db.session.scalar(select(User).where(User.email == f"trainer@{DOMAIN}"))
    if trainer is None:
        return False
    today = today or date.today()
    start = today - timedelta(days=21 + today.weekday())  # a Monday three weeks ago
    found = db.session.execute(select(Course.key, Course.id).where(Course.key.is_not(None)))
    courses = {key: course_id for key, course_id in found}
    project = services.create_project(
        trainer,
        services.ProjectData(
            name=NAME,
            start_on=start,
            goal=GOAL,
            state="NW",
            closures=[
                (date(start.year, 12, 24), date(start.year, 12, 31), "Betriebsferien"),
            ],
            in_media_concept=True,
        ),
    )
    rows = [
        services.TableRow(
            key=key,
            name=name,
            duration=days,
            predecessors=links,
            responsible=f"{person}@{DOMAIN}",
            course_id=courses.get(course),
        )
        for key, name, days, links, person, course in ACTIVITIES
    ]
    services.save_table(trainer, project, rows)
    return True
