"""Demo quizzes for `flask seed demo`: the final quiz of every demo course, from the German
GIFT files of app/assessments/data/demo, testing the competences the course develops."""

from pathlib import Path

from sqlalchemy import func, select

from app.accounts.models import User
from app.assessments import quizzes, services
from app.assessments.models import Quiz
from app.courses.models import Course
from app.extensions import db

DATA = Path(__file__).parent / "data" / "demo"


def seed_quizzes():
    """Once (when there are no quizzes): a published final quiz per demo course."""
    if db.session.scalar(select(func.count()).select_from(Quiz)):
        return False
    trainer = db.session.scalar(select(User).where(User.email.like("trainer@%")))
    made = False
    for path in sorted(DATA.glob("*.gift")):
        course = db.session.scalar(select(Course).where(Course.key == path.stem))
        if course is None:
            continue
        bank, _counts, _skipped = services.import_gift(trainer, course.title, path.read_bytes())
        quiz = quizzes.save_quiz(
            trainer,
            None,
            f"Abschlussquiz: {course.title}",
            course=course,
            pass_mark=70,
            attempts_allowed=3,
            time_limit=30,
            review="answers",
            shuffle_answers=True,
        )
        quizzes.add_questions(trainer, quiz, services.bank_questions(bank))
        quizzes.set_competences(
            trainer, quiz, {mapping.competence: mapping.level for mapping in course.competences}
        )
        quizzes.publish(trainer, quiz)
        made = True
    return made
