"""What the load benchmark needs beyond bench/fill.py, written before the load starts: people
who log in (learners, trainers, HR), published final quizzes, a small department for bulk
passes and a few issued passes for visitors to verify. Returns the plan the load generator
reads (plain JSON data)."""

from pathlib import Path

from sqlalchemy import select, update

from app.accounts.auth import hash_password
from app.accounts.models import Department, User, UserRole
from app.assessments import quizzes, services
from app.courses.models import Course
from app.extensions import db
from app.mediapass import issuing

GIFT_FILES = sorted((Path(services.__file__).parent / "data" / "demo").glob("*.gift"))
SMALL_DEPARTMENT = "Lasttest-Team"
PERSONS_PER_ROLE = {"trainer": 5, "hr": 5}


def prepare(password, learners, small_department=8, passes=30, quiz_count=8):
    """Give `learners` learners, the trainers and HR people a password, make the final quizzes
    of the first courses, a department of `small_department` people and `passes` passes."""
    active = db.session.scalars(
        select(User.id).where(User.active.is_(True)).order_by(User.id)
    ).all()
    wanted = learners + sum(PERSONS_PER_ROLE.values()) + small_department
    if len(active) < wanted:
        raise RuntimeError(f"{len(active)} active people, the load needs {wanted}")
    # Person 1 is a learner, person 2 has HR already (bench/fill.py): roles go to the next ones.
    ids = {"learner": active[:learners]}
    rest = active[learners:]
    for role, count in PERSONS_PER_ROLE.items():
        ids[role], rest = rest[:count], rest[count:]
    team, rest = rest[:small_department], rest[small_department:]

    hashed = hash_password(password)
    everyone = [person for people in ids.values() for person in people]
    db.session.execute(update(User).where(User.id.in_(everyone)).values(password_hash=hashed))
    for role in PERSONS_PER_ROLE:
        have = set(
            db.session.scalars(
                select(UserRole.user_id).where(
                    UserRole.role == role, UserRole.user_id.in_(ids[role])
                )
            )
        )
        db.session.add_all(UserRole(user_id=i, role=role) for i in ids[role] if i not in have)
    department = Department(name=SMALL_DEPARTMENT)
    db.session.add(department)
    db.session.flush()
    db.session.execute(update(User).where(User.id.in_(team)).values(department_id=department.id))
    db.session.commit()

    trainer = db.session.get(User, ids["trainer"][0])
    quiz_ids, course_ids = _quizzes(trainer, quiz_count)
    serials = [issuing.issue(None, db.session.get(User, person)).serial for person in rest[:passes]]
    emails = dict(
        db.session.execute(select(User.id, User.email).where(User.id.in_(everyone))).all()
    )
    return {
        "password": password,
        "accounts": {role: [emails[i] for i in people] for role, people in ids.items()},
        "quizzes": quiz_ids,
        "courses": course_ids,
        "department": {"id": department.id, "name": department.name, "people": len(team)},
        "serials": serials,
    }


def _quizzes(trainer, count):
    """A published final quiz (no attempt limit, no time limit) on each of the first courses,
    from the demo question files; ([quiz id], [course id])."""
    courses = db.session.scalars(select(Course).order_by(Course.id).limit(count)).all()
    quiz_ids = []
    for number, (course, path) in enumerate(zip(courses, GIFT_FILES, strict=False)):
        bank, _counts, _skipped = services.import_gift(
            trainer, f"Lasttest {course.id}: {path.stem}", path.read_bytes()
        )
        # Every other quiz is a self-check that any submission passes, so that passes (and
        # the evidence and course completions they write) happen under load: the simulated
        # learners answer at random.
        quiz = quizzes.save_quiz(
            trainer, None, f"Abschlussquiz: {course.title}", course=course,
            pass_mark=0 if number % 2 == 0 else 60, review="answers",
        )  # fmt: skip
        quizzes.add_questions(trainer, quiz, services.bank_questions(bank))
        quizzes.set_competences(
            trainer, quiz, {mapping.competence: mapping.level for mapping in course.competences}
        )
        quizzes.publish(trainer, quiz)
        quiz_ids.append(quiz.id)
    return quiz_ids, [course.id for course in courses]
