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
class QuizRow:
    quiz: object  # app.assessments.models.Quiz
    state: str  # not_started, in_progress, waiting, passed, failed
    best: float | None  # best percent of a finished attempt


@dataclass
class Dashboard:
    rows: list
    framework: Framework | None
    level_names: list
    gaps: list
    quizzes: list = field(default_factory=list)

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
    quizzes = _quizzes(user, {row.enrolment.course_id for row in rows})
    framework = profiles.default_framework()
    if framework is None:
        return Dashboard(rows, None, [], [], quizzes)
    profile = profiles.competence_profile(user, framework, today)
    gaps = [GapRow(row.competence, row.target, row.held) for row in profile.open_gaps]
    _recommend(
        gaps,
        framework,
        {row.enrolment.course_id for row in rows if row.status in ("done", "expiring")},
    )
    return Dashboard(rows, framework, profile.level_names, gaps, quizzes)


def _quizzes(user, course_ids):
    """Published quizzes open to the person: those on their own and the final quizzes of its
    courses, with how far it got (two queries)."""
    from app.assessments.models import Attempt, Quiz

    quizzes = db.session.scalars(
        select(Quiz)
        .where(
            Quiz.status == "published",
            Quiz.course_id.is_(None) | Quiz.course_id.in_(course_ids or [0]),
        )
        .order_by(Quiz.title)
    ).all()
    attempts = db.session.scalars(
        select(Attempt).where(
            Attempt.user_id == user.id, Attempt.quiz_id.in_([q.id for q in quizzes] or [0])
        )
    ).all()
    by_quiz = {}
    for attempt in attempts:
        by_quiz.setdefault(attempt.quiz_id, []).append(attempt)
    result = []
    for quiz in quizzes:
        mine = by_quiz.get(quiz.id, [])
        finished = [a for a in mine if a.state == "finished"]
        if any(a.passed for a in finished):
            state = "passed"
        elif any(a.state == "in_progress" for a in mine):
            state = "in_progress"
        elif any(a.state == "needs_grading" for a in mine):
            state = "waiting"
        elif finished:
            state = "failed"
        else:
            state = "not_started"
        best = max((a.percent for a in finished), default=None)
        result.append(QuizRow(quiz, state, best))
    return result


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
