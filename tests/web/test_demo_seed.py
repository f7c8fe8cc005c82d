"""The demo seed's learning content: courses published, assigned and partly completed, and
a final quiz per course; loading again changes nothing."""

from sqlalchemy import func, select

from app.assessments.demo import seed_quizzes
from app.assessments.models import Quiz
from app.courses.demo import seed_courses
from app.courses.models import Assignment, Course, Enrolment
from app.frameworks.services import load_shipped
from app.seed import seed_accounts, seed_profiles


def _count(db, model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_demo_courses_and_quizzes(db):
    load_shipped()
    seed_accounts()
    db.session.commit()
    seed_profiles()
    db.session.commit()
    assert seed_courses() is True
    assert seed_quizzes() is True
    assert _count(db, Course, Course.status == "published") == 8
    assert _count(db, Assignment) > 0
    assert _count(db, Enrolment, Enrolment.completed_at.is_not(None)) > 0
    assert _count(db, Enrolment, Enrolment.due_on < func.current_date()) > 0  # overdue ones
    quizzes = db.session.scalars(select(Quiz)).all()
    assert len(quizzes) == 8
    assert all(q.status == "published" and q.course_id and len(q.slots) >= 8 for q in quizzes)
    assert all(q.competences for q in quizzes)
    assert seed_courses() is False and seed_quizzes() is False
