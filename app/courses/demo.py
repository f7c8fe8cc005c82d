"""Demo courses for `flask seed demo`: the German courses of app/courses/data, published,
assigned to the demo departments, and partly completed by the demo people."""

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import func, select

from app.accounts.models import Department, User
from app.courses import assignments, building, learning, mapping, services
from app.courses.models import Assignment, Course, Enrolment
from app.extensions import db
from app.frameworks.models import Competence
from app.frameworks.profiles import default_framework

DATA = Path(__file__).parent / "data" / "demo_courses.json"
MANDATORY_DUE = {  # course key: days from today to the due date (negative: overdue)
    "datenschutz-arbeitsplatz": 21,
    "phishing-erkennen": -7,
    "urheberrecht-bildrechte-markenrecht": 60,
}


def load_demo_courses(actor):
    """Create and publish the demo courses; {key: Course}."""
    framework = default_framework()
    codes = {
        c.code: c
        for c in db.session.scalars(
            select(Competence).where(Competence.framework_id == framework.id)
        )
    }
    entries = json.loads(DATA.read_text(encoding="utf-8"))
    courses = {}
    for entry in entries:
        course = services.create_course(
            actor,
            services.CourseData(
                title=entry["title"],
                summary=entry["summary"],
                language=entry["language"],
                hours=float(entry["hours"]),
                mandatory=entry["mandatory"],
                validity_months=entry["validity_months"],
            ),
            key=entry["key"],
        )
        for module_entry in entry["modules"]:
            module = building.add_module(actor, course, module_entry["title"])
            for lesson in module_entry["lessons"]:
                links = [(link["title"], link["url"]) for link in lesson["links"]]
                building.add_lesson(actor, module, lesson["title"], lesson["body"], links)
        mapping.set_competences(
            actor,
            course,
            {codes[item["code"]].id: item["level"] for item in entry["competences"]},
            framework,
        )
        courses[entry["key"]] = course
    for entry in entries:
        needs = entry["prerequisites"]
        if needs["courses"] or needs["competences"]:
            mapping.set_prerequisites(
                actor,
                courses[entry["key"]],
                [courses[key].id for key in needs["courses"]],
                {codes[item["code"]].id: item["level"] for item in needs["competences"]},
            )
    for course in courses.values():
        db.session.refresh(course)
        services.publish(actor, course)
    return courses


def _work_through(user, course, day, lessons=None):
    """The person did `lessons` lessons of the course (all: None) on that day."""
    enrolment = learning.enrolment_of(user, course) or learning.new_enrolment(user, course)
    start = datetime.combine(day - timedelta(days=1), time(9))
    enrolment.enrolled_at = min(enrolment.enrolled_at, start)
    enrolment.round_started_at = start
    db.session.commit()
    for lesson_id in learning.lesson_ids(course)[:lessons]:
        learning.mark_done(user, course, lesson_id, today=day)


def seed_courses(today=None):
    """Load the demo courses once (when there are none): returns whether it did."""
    if db.session.scalar(select(func.count()).select_from(Course)) or default_framework() is None:
        return False
    today = today or date.today()
    trainer = db.session.scalar(select(User).where(User.email.like("trainer@%")))
    hr = db.session.scalar(select(User).where(User.email.like("hr@%")))
    courses = load_demo_courses(trainer)
    for course in courses.values():
        db.session.refresh(course, ["outline"])
    departments = db.session.scalars(select(Department).order_by(Department.name)).all()
    for key, days in MANDATORY_DUE.items():
        for department in departments:
            assignments.assign(
                hr,
                courses[key],
                "department",
                today + timedelta(days=max(days, 1)),
                department=department,
                today=today,
            )
        if days < 0:  # assigned weeks ago: the due date has passed
            due = today + timedelta(days=days)
            for model in (Assignment, Enrolment):
                db.session.execute(
                    model.__table__.update()
                    .where(model.course_id == courses[key].id)
                    .values(due_on=due)
                )
            db.session.commit()
    people = db.session.scalars(select(User).where(User.active).order_by(User.id)).all()
    for number, person in enumerate(people):
        if number % 3 == 0:  # data protection done eleven months ago: expiring soon
            _work_through(person, courses["datenschutz-arbeitsplatz"], today - timedelta(days=345))
        elif number % 3 == 1:
            _work_through(person, courses["datenschutz-arbeitsplatz"], today - timedelta(days=40))
        if number % 2 == 0:
            _work_through(person, courses["phishing-erkennen"], today - timedelta(days=20))
        if number % 4 == 1:
            _work_through(
                person, courses["netiquette-online-kommunikation"], today - timedelta(days=3), 2
            )
    return True
