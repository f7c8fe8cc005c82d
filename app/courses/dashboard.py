"""The learner's dashboard (service): assigned and enrolled courses with status and
progress, the competence gap of its job role, and the courses that would close it.
A fixed number of queries whatever the number of courses and lessons."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.courses import learning, rules
from app.courses.models import Course, CourseCompetence, Enrolment
from app.extensions import db
from app.frameworks import profiles
from app.frameworks.models import Competence, Framework


@dataclass
class CourseRow:
    enrolment: Enrolment
    status: str
    done: int
    total: int
    percent: int


@dataclass
class GapRow:
    competence: Competence
    target: int
    held: int
    courses: list = field(default_factory=list)  # [(Course, level it develops)]


@dataclass
class Dashboard:
    rows: list
    framework: Framework | None
    level_names: list
    gaps: list

    def count(self, *statuses):
        return sum(1 for row in self.rows if row.status in statuses)


def _order(row):
    urgency = {"overdue": 0, "due_soon": 1, "expiring": 2, "open": 3, "done": 4}
    return (urgency[row.status], row.enrolment.due_on or date.max, row.enrolment.course.title)


def dashboard(user, today=None):
    today = today or date.today()
    enrolments = db.session.scalars(
        select(Enrolment).where(
            Enrolment.user_id == user.id, Enrolment.course.has(Course.status != "draft")
        )
    ).all()
    done = learning.progress_counts(enrolments)
    rows = []
    for enrolment in enrolments:
        total = enrolment.course.lesson_count
        count = min(done.get(enrolment.id, 0), total)
        rows.append(
            CourseRow(
                enrolment,
                rules.status(
                    today,
                    enrolment.due_on,
                    enrolment.completed_at.date() if enrolment.completed_at else None,
                    enrolment.expires_on,
                ),
                count,
                total,
                round(100 * count / total) if total else 0,
            )
        )
    rows.sort(key=_order)
    framework = profiles.default_framework()
    if framework is None:
        return Dashboard(rows, None, [], [])
    profile = profiles.competence_profile(user, framework, today)
    gaps = [GapRow(row.competence, row.target, row.held) for row in profile.open_gaps]
    _recommend(
        gaps,
        framework,
        {row.enrolment.course_id for row in rows if row.status in ("done", "expiring")},
    )
    return Dashboard(rows, framework, profile.level_names, gaps)


def _recommend(gaps, framework, completed):
    """Published courses developing a gap competence above the level held (by code, in any
    version of the framework), best level first."""
    if not gaps:
        return
    by_code = {gap.competence.code: gap for gap in gaps}
    rows = db.session.execute(
        select(Course, Competence.code, CourseCompetence.level)
        .join(CourseCompetence, CourseCompetence.course_id == Course.id)
        .join(Competence, Competence.id == CourseCompetence.competence_id)
        .join(Framework, Framework.id == Competence.framework_id)
        .where(
            Course.status == "published",
            Framework.lineage == framework.lineage,
            Competence.code.in_(list(by_code)),
        )
        .order_by(CourseCompetence.level.desc(), Course.title)
    ).all()
    for course, code, level in rows:
        gap = by_code[code]
        if level > gap.held and course.id not in completed:
            gap.courses.append((course, level))
