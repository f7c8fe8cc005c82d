"""Bulk data for benchmarks: people, courses, enrolments and lesson progress of a large
company, written in bulk (bench/bulk.py).

The company: ~20 departments and 8 job roles; every tenth course is mandatory with 12
months of validity, assigned per department with a due date between 60 days ago and 90
days ahead. Each person is enrolled in 3 mandatory and 7 other courses (fewer when there
are fewer); some enrolments are completed (mandatory ones from up to 14 months ago, so
that some have expired or expire soon), the others have done a first part of their
lessons. Lesson progress rows are spread so that their number is the one asked for.
Person 1 is a learner, person 2 a learner with the HR role; both log in with `password`.
"""

import random
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, text

from app.accounts.auth import hash_password
from app.courses import rules
from app.extensions import db
from app.frameworks import profiles
from app.frameworks import services as framework_services
from app.frameworks.models import Competence
from bench.bulk import Loader

DEPARTMENTS = (
    "Vertrieb", "Einkauf", "Marketing", "Personal", "Finanzen", "Controlling", "IT",
    "Kundendienst", "Logistik", "Produktion", "Qualität", "Recht", "Forschung",
    "Entwicklung", "Lager", "Versand", "Buchhaltung", "Empfang", "Geschäftsführung",
    "Kommunikation",
)  # fmt: skip
JOB_ROLES = (
    "Sachbearbeitung", "Vertriebsaußendienst", "Teamleitung", "Fachkraft Lager",
    "Entwicklung", "Assistenz", "Projektleitung", "Auszubildende",
)  # fmt: skip
FIRST = ("Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hakan", "Ida", "Jonas")
LAST = ("Müller", "Schmidt", "Yılmaz", "Weber", "Wagner", "Becker", "Hoffmann", "Koch")
TOPICS = ("Datenschutz", "IT-Sicherheit", "Urheberrecht", "Recherche", "Präsentieren")
MODULES = 3
MANDATORY_EVERY = 10  # every tenth course is mandatory
MANDATORY_PER_PERSON = 3
COURSES_PER_PERSON = 10


@dataclass
class Filled:
    rows: dict = field(default_factory=dict)  # table: rows written
    steps: list = field(default_factory=list)  # [(step, seconds)]
    people: dict = field(default_factory=dict)  # {"learner": e-mail, "hr": e-mail}

    @property
    def seconds(self):
        return sum(seconds for _step, seconds in self.steps)


@dataclass
class Plan:
    """What is written, decided before writing."""

    course_lessons: dict = field(default_factory=dict)  # course id: [lesson id] in order
    course_competences: dict = field(default_factory=dict)  # course id: [(competence, level)]
    assignments: dict = field(default_factory=dict)  # (course, department): (id, due on)
    # [id, user, course, assignment, due_on, enrolled_at, completed_at, expires_on, done]
    enrolments: list = field(default_factory=list)


def fill(users, courses, progress, password, seed=2026):
    """Fill the migrated, empty database of the current app context."""
    rng = random.Random(seed)
    filled = Filled(people={"learner": "person1@bench.example", "hr": "person2@bench.example"})
    today = date.today()
    now = datetime.now(UTC).replace(tzinfo=None)

    started = time.perf_counter()
    framework_services.load_shipped()
    db.session.commit()
    framework = profiles.default_framework()
    competences = db.session.scalars(
        select(Competence.id).where(
            Competence.framework_id == framework.id, Competence.parent_id.is_not(None)
        )
    ).all()
    db.session.commit()  # SQLite: the session's transaction would lock out the loader
    filled.steps.append(("frameworks", time.perf_counter() - started))

    started = time.perf_counter()
    with db.engine.begin() as connection:
        loader = Loader(connection)
        people = _people(loader, rng, users, password, now)
        plan = _courses(loader, rng, courses, competences, now)
        _requirements(loader, rng, competences)
        _plan_enrolments(plan, rng, people, courses, progress, today, now)
        _enrolments(loader, plan, now)
        _progress(loader, plan, now)
        loader.reset_sequences()
    filled.rows = loader.rows
    filled.steps.append(("rows", time.perf_counter() - started))

    started = time.perf_counter()
    with db.engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()
    filled.steps.append(("analyse", time.perf_counter() - started))
    return filled


def _people(loader, rng, users, password, now):
    """{user id: department id}; person 1 and 2 active and able to log in."""
    hashed = hash_password(password)
    loader.load("departments", ("id", "name"), ((i, name) for i, name in enumerate(DEPARTMENTS, 1)))
    loader.load(
        "job_roles",
        ("id", "name", "description"),
        ((i, name, "") for i, name in enumerate(JOB_ROLES, 1)),
    )
    departments = {user: rng.randint(1, len(DEPARTMENTS)) for user in range(1, users + 1)}

    def rows():
        for user, department in departments.items():
            name = f"{FIRST[user % len(FIRST)]} {LAST[user // len(FIRST) % len(LAST)]}"
            active = user <= 2 or rng.random() > 0.03
            yield (
                user, f"person{user}@bench.example", name, hashed if user <= 2 else None,
                active, 0, department, rng.randint(1, len(JOB_ROLES)), now,
            )  # fmt: skip

    loader.load(
        "users",
        (
            "id", "email", "name", "password_hash", "active", "session_epoch",
            "department_id", "job_role_id", "created_at",
        ),
        rows(),
    )  # fmt: skip
    roles = [(user, "learner") for user in departments] + [(2, "hr")]
    loader.load("user_roles", ("user_id", "role"), roles)
    return departments


def _courses(loader, rng, courses, competences, now):
    plan = Plan()
    modules, lessons, course_rows, mappings = [], [], [], []
    for course in range(1, courses + 1):
        mandatory = course % MANDATORY_EVERY == 1
        outline = {"modules": []}
        plan.course_lessons[course] = []
        for position in range(MODULES):
            module = len(modules) + 1
            modules.append((module, course, position, f"Modul {position + 1}"))
            entry = {"id": module, "title": f"Modul {position + 1}", "lessons": []}
            for index in range(6 + (course + position) % 3):
                lesson = len(lessons) + 1
                title = f"Lektion {position + 1}.{index + 1}"
                body = f"## {title}\n\nWas Sie in dieser Lektion lernen. " * 4
                lessons.append((lesson, module, course, index, title, body, False))
                entry["lessons"].append(
                    {"id": lesson, "title": title, "body": body, "links": [], "attachments": []}
                )
                plan.course_lessons[course].append(lesson)
            outline["modules"].append(entry)
        topic = TOPICS[course % len(TOPICS)]
        course_rows.append(
            (
                course, f"bench-{course}", f"{topic} {course}", f"Ein Kurs über {topic}.",
                "de", 1.0 + course % 4, mandatory, 12 if mandatory else None, "published",
                now, now, now, outline, len(plan.course_lessons[course]),
            )
        )  # fmt: skip
        chosen = rng.sample(competences, min(2, len(competences)))
        plan.course_competences[course] = [(c, rng.randint(1, 3)) for c in chosen]
        for competence, level in plan.course_competences[course]:
            mappings.append((len(mappings) + 1, course, competence, level))
    loader.load(
        "courses",
        (
            "id", "key", "title", "summary", "language", "hours", "mandatory",
            "validity_months", "status", "created_at", "updated_at", "published_at",
            "outline", "lesson_count",
        ),
        course_rows,
        json_columns=("outline",),
    )  # fmt: skip
    loader.load("course_modules", ("id", "course_id", "position", "title"), modules)
    loader.load(
        "lessons",
        ("id", "module_id", "course_id", "position", "title", "body", "removed"),
        lessons,
    )
    loader.load("course_competences", ("id", "course_id", "competence_id", "level"), mappings)
    return plan


def _requirements(loader, rng, competences):
    rows = []
    for role in range(1, len(JOB_ROLES) + 1):
        for competence in rng.sample(competences, min(8, len(competences))):
            rows.append((len(rows) + 1, role, competence, rng.randint(1, 3)))
    loader.load("requirement_targets", ("id", "job_role_id", "competence_id", "level"), rows)


def _plan_enrolments(plan, rng, people, courses, progress, today, now):
    """Enrolments with completion and lessons done, so that the lessons done add up to
    `progress` (as far as the enrolments hold that many)."""
    mandatory = [c for c in range(1, courses + 1) if c % MANDATORY_EVERY == 1]
    voluntary = [c for c in range(1, courses + 1) if c % MANDATORY_EVERY != 1]
    per_person = min(MANDATORY_PER_PERSON, len(mandatory)) + min(
        COURSES_PER_PERSON - MANDATORY_PER_PERSON, len(voluntary)
    )
    average_lessons = sum(map(len, plan.course_lessons.values())) / max(courses, 1)
    # Completed enrolments carry all their lessons: at most ~60 % of the rows asked for.
    share = min(0.3, 0.6 * progress / max(1, len(people) * per_person * average_lessons))
    completed_mandatory = min(0.6, 2 * share)
    completed_voluntary = max(0.0, (share * 10 - completed_mandatory * 3) / 7)
    for user, department in people.items():
        chosen = rng.sample(mandatory, min(MANDATORY_PER_PERSON, len(mandatory)))
        chosen += rng.sample(voluntary, min(COURSES_PER_PERSON - len(chosen), len(voluntary)))
        for course in chosen:
            assignment, due_on, completed_at, expires_on = None, None, None, None
            if course % MANDATORY_EVERY == 1:
                key = (course, department)
                if key not in plan.assignments:
                    due = today + timedelta(days=rng.randint(-60, 90))
                    plan.assignments[key] = (len(plan.assignments) + 1, due)
                assignment, due_on = plan.assignments[key]
                if rng.random() < completed_mandatory:
                    completed_on = today - timedelta(days=rng.randint(0, 420))
                    completed_at = datetime.combine(completed_on, datetime.min.time())
                    completed_at += timedelta(hours=rng.randint(7, 18))
                    expires_on = rules.expires_on(completed_on, 12)
            elif rng.random() < completed_voluntary:
                completed_at = now - timedelta(days=rng.randint(0, 700), hours=rng.randint(0, 9))
            enrolled_at = (completed_at or now) - timedelta(days=rng.randint(5, 120))
            lessons = len(plan.course_lessons[course])
            done = lessons if completed_at else None
            plan.enrolments.append(
                [
                    len(plan.enrolments) + 1, user, course, assignment, due_on, enrolled_at,
                    completed_at, expires_on, done,
                ]
            )  # fmt: skip
    _spread_progress(plan, rng, progress)


def _spread_progress(plan, rng, progress):
    """Lessons done in open enrolments: random first parts, then nudged one by one until
    the total is `progress`."""
    open_ones = [e for e in plan.enrolments if e[8] is None]
    budget = progress - sum(e[8] for e in plan.enrolments if e[8] is not None)
    average = max(0, budget) / max(1, len(open_ones))
    for enrolment in open_ones:
        room = len(plan.course_lessons[enrolment[2]]) - 1  # one lesson short of completion
        enrolment[8] = min(room, rng.randint(0, round(2 * average)))
    difference = progress - sum(e[8] for e in plan.enrolments)
    while difference and open_ones:
        moved = 0
        for enrolment in open_ones:
            room = len(plan.course_lessons[enrolment[2]]) - 1
            if difference > 0 and enrolment[8] < room:
                enrolment[8], difference, moved = enrolment[8] + 1, difference - 1, moved + 1
            elif difference < 0 and enrolment[8] > 0:
                enrolment[8], difference, moved = enrolment[8] - 1, difference + 1, moved + 1
            if not difference:
                break
        if not moved:
            break


def _enrolments(loader, plan, now):
    loader.load(
        "assignments",
        ("id", "course_id", "target", "department_id", "due_on", "assigned_by_id", "created_at"),
        (
            (number, course, "department", department, due, 2, now - timedelta(days=100))
            for (course, department), (number, due) in plan.assignments.items()
        ),
    )

    def enrolment_rows():
        for (
            number,
            user,
            course,
            assignment,
            due,
            enrolled,
            completed,
            expires,
            done,
        ) in plan.enrolments:
            last = plan.course_lessons[course][done - 1] if done else None
            yield (number, user, course, assignment, due, enrolled, enrolled, last,
                   completed, expires)  # fmt: skip

    loader.load(
        "enrolments",
        (
            "id", "user_id", "course_id", "assignment_id", "due_on", "enrolled_at",
            "round_started_at", "last_lesson_id", "completed_at", "expires_on",
        ),
        enrolment_rows(),
    )  # fmt: skip
    completed = [e for e in plan.enrolments if e[6] is not None]
    loader.load(
        "completions",
        ("id", "enrolment_id", "completed_at", "expires_on"),
        ((i, e[0], e[6], e[7]) for i, e in enumerate(completed, 1)),
    )

    def evidence_rows():
        number = 0
        for _id, user, course, _a, _d, _e, completed_at, expires_on, _done in completed:
            for competence, level in plan.course_competences[course]:
                number += 1
                yield (number, user, competence, level, "course", f"Kurs {course}",
                       completed_at.date(), expires_on, "", completed_at, "")  # fmt: skip

    loader.load(
        "evidence",
        (
            "id", "user_id", "competence_id", "level", "source", "issuer_label",
            "issued_on", "expires_on", "justification", "created_at", "revoke_reason",
        ),
        evidence_rows(),
    )  # fmt: skip


def _progress(loader, plan, now):
    def rows():
        number = 0
        for enrolment, _user, course, _a, _d, enrolled, completed, _x, done in plan.enrolments:
            span = (completed or now) - enrolled
            for index, lesson in enumerate(plan.course_lessons[course][:done]):
                number += 1
                yield number, enrolment, lesson, enrolled + span * (index + 1) / (done + 1)

    loader.load("lesson_progress", ("id", "enrolment_id", "lesson_id", "done_at"), rows())
