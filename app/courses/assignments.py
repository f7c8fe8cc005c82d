"""Assigning courses (HR, trainers) to persons, departments and job roles, with a due date.

Assigning is idempotent: a person already enrolled keeps the one enrolment (the unique
constraint on enrolments holds under parallel requests), and an earlier due date stays.
New members of an assigned department or job role get the assignment when they join."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select

from app.accounts import audit
from app.accounts.models import Department, JobRole, User
from app.courses.learning import new_enrolment
from app.courses.models import Assignment, Course, Enrolment
from app.errors import DomainError
from app.extensions import db


def _people(target, users=(), department=None, job_role=None):
    if target == "person":
        return [user for user in users if user.active]
    column = User.department_id if target == "department" else User.job_role_id
    record = department if target == "department" else job_role
    return db.session.scalars(select(User).where(column == record.id, User.active)).all()


def _check(course, target, users, department, job_role, due_on, today):
    if course.status != "published":
        raise DomainError(_("Only a published course can be assigned."))
    if due_on is None:
        raise DomainError(_("Please give a due date."), where="due_on")
    if due_on < today:
        raise DomainError(_("The due date lies in the past."), where="due_on")
    if target == "person" and not users:
        raise DomainError(_("Please name at least one person."), where="emails")
    if target == "department" and department is None:
        raise DomainError(_("Please choose a department."), where="department_id")
    if target == "job_role" and job_role is None:
        raise DomainError(_("Please choose a job role."), where="job_role_id")
    if target not in ("person", "department", "job_role"):
        raise DomainError(_("Please choose whom to assign the course to."), where="target")


def people_by_email(text):
    """Users named in a text of e-mail addresses (one per line, or separated by , ;).
    A DomainError names every address that is unknown or deactivated."""
    emails = [part.strip().lower() for part in text.replace(";", "\n").replace(",", "\n").split()]
    emails = list(dict.fromkeys(email for email in emails if email))
    found = {
        user.email: user for user in db.session.scalars(select(User).where(User.email.in_(emails)))
    }
    unknown = [email for email in emails if email not in found or not found[email].active]
    if unknown:
        raise DomainError(
            _("No active person has this e-mail address: %(emails)s", emails=", ".join(unknown)),
            where="emails",
        )
    return [found[email] for email in emails]


def assign(actor, course, target, due_on, users=(), department=None, job_role=None, today=None):
    """Assign and enrol. Returns (newly enrolled, already enrolled)."""
    today = today or date.today()
    _check(course, target, users, department, job_role, due_on, today)
    by = actor.id if actor else None
    if target == "person":
        # One row per person, so that each keeps its own record of the assignment.
        rows = [
            Assignment(
                course_id=course.id,
                target="person",
                user_id=user.id,
                due_on=due_on,
                assigned_by_id=by,
            )
            for user in users
        ]
    else:
        rows = [
            Assignment(
                course_id=course.id,
                target=target,
                department_id=department.id if department else None,
                job_role_id=job_role.id if job_role else None,
                due_on=due_on,
                assigned_by_id=by,
            )
        ]
    db.session.add_all(rows)
    db.session.flush()
    people = _people(target, users, department, job_role)
    new, known = _enrol_all(people, course, rows, due_on)
    audit.record(
        actor,
        "course.assign",
        course,
        {
            "target": target,
            "department": department.id if department else None,
            "job_role": job_role.id if job_role else None,
            "people": [user.id for user in users] if target == "person" else None,
            "due_on": due_on.isoformat(),
            "enrolled": new,
            "already": known,
        },
    )
    db.session.commit()
    return new, known


def _enrol_all(people, course, rows, due_on):
    """Enrol the people, or move their due date forward.

    Parallel assignments of one course take turns: each first locks the course row with
    FOR NO KEY UPDATE (PostgreSQL; SQLite's write lock does the same). That lock does not
    block the key-share lock a learner's own enrolment takes on the course, so self-enrolment
    goes on; a person enrolled meanwhile is found by the unique constraint, not doubled."""
    locked = select(Course.id).where(Course.id == course.id)
    db.session.execute(locked.with_for_update(key_share=True))  # FOR NO KEY UPDATE
    by_user = {row.user_id: row for row in rows if row.user_id}
    people = sorted(people, key=lambda user: user.id)
    existing = {
        e.user_id: e
        for e in db.session.scalars(
            select(Enrolment)
            .where(
                Enrolment.course_id == course.id,
                Enrolment.user_id.in_([user.id for user in people]),
            )
            .order_by(Enrolment.user_id)
        )
    }
    new = known = 0
    for user in people:
        row = by_user.get(user.id, rows[0])
        enrolment = existing.get(user.id)
        if enrolment is None:
            enrolment = new_enrolment(user, course, assignment_id=row.id, due_on=due_on)
            if enrolment.assignment_id == row.id:
                new += 1
                continue
        known += 1
        if enrolment.due_on is None or due_on < enrolment.due_on:
            enrolment.due_on, enrolment.assignment_id = due_on, row.id
    return new, known


def apply_assignments(user):
    """Give a person the assignments of its department and job role (after joining one).
    The caller commits."""
    if not user.active or (user.department_id is None and user.job_role_id is None):
        return 0
    assignments = db.session.scalars(
        select(Assignment)
        .where(
            or_(
                (Assignment.target == "department")
                & (Assignment.department_id == user.department_id),
                (Assignment.target == "job_role") & (Assignment.job_role_id == user.job_role_id),
            )
        )
        .order_by(Assignment.course_id, Assignment.due_on)  # courses locked in one order
    ).all()
    count = 0
    for assignment in assignments:
        if assignment.course.status != "published":
            continue
        new, _known = _enrol_all([user], assignment.course, [assignment], assignment.due_on)
        count += new
    return count


def targets():
    """Departments and job roles to choose from."""
    return (
        db.session.scalars(select(Department).order_by(Department.name)).all(),
        db.session.scalars(select(JobRole).order_by(JobRole.name)).all(),
    )


def on_membership_changed(user, **_extra):
    """Receiver of accounts' membership_changed signal (inside the caller's transaction)."""
    apply_assignments(user)
