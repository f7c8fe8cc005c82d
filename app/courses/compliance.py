"""HR's compliance report: per mandatory course and department, how many people are done,
expiring, due and overdue; the persons behind a figure (audited); the CSV export.

What counts (Pflichtschulungen):

- Courses: published and mandatory. A published mandatory course that nobody is enrolled
  in still shows, with no rows, so that HR sees it has no population yet.
- Population of a course × department: the *active* people of the department who hold an
  enrolment in the course, assigned or self-enrolled. People without a department form a
  group of their own (department id 0 in URLs, an empty department in the CSV).
  Deactivated people leave the report; people not enrolled are not counted (the
  assignment makes them part of it).
- Status of a person: `rules.status(today, due_on, completed_at.date() or None,
  expires_on)` of the enrolment. Columns: done = done; expiring = expiring (the
  completion ends within rules.EXPIRING_DAYS, the last of them included); due = open +
  due_soon (not completed, not overdue, including enrolments without a due date);
  overdue = overdue (an expired completion is overdue from the day after it ended, or
  from a later due date).
- Compliance rate = (done + expiring) / total: whose completion counts today. It is
  given in whole percent, rounded down, so that 100 % means everybody.

The table is counted by the database: one query groups the enrolments by course,
department and a CASE expression that mirrors `rules.status` on dates (bound once per
request), so that the page costs two queries however many people there are. Loading
each enrolment's dates and applying `rules.status` in Python took two to three times as
long with 10,000 people (bench/dashboard.py). The drill-down applies `rules.status`
itself to the few rows of one group; the tests check that both agree on every boundary.

Reports on small groups are not withheld here: the page exists to name the people whose
mandatory training is missing, and the drill-down shows them anyway.
"""

from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa

from app.accounts import audit
from app.accounts.models import Department, JobRole, User
from app.courses import rules
from app.courses.models import Course, Enrolment
from app.extensions import db
from app.tabular import csv_text

NO_DEPARTMENT = 0  # the department id of people without a department, in URLs

# Drill-down order: what needs action first.
URGENCY = {"overdue": 0, "due_soon": 1, "expiring": 2, "open": 3, "done": 4}

CSV_COLUMNS = (
    "course_id",
    "course",
    "department_id",
    "department",
    "done",
    "expiring",
    "due",
    "overdue",
    "total",
    "compliance_percent",
)


@dataclass
class Counts:
    done: int = 0
    expiring: int = 0
    due: int = 0
    overdue: int = 0

    @property
    def total(self):
        return self.done + self.expiring + self.due + self.overdue

    @property
    def compliant(self):
        return self.done + self.expiring

    @property
    def rate(self):
        """Whole percent of people whose completion counts today, rounded down; None
        for an empty group."""
        return 100 * self.compliant // self.total if self.total else None

    def add(self, other):
        self.done += other.done
        self.expiring += other.expiring
        self.due += other.due
        self.overdue += other.overdue


@dataclass
class DepartmentRow:
    department_id: int  # NO_DEPARTMENT for people without one
    department_name: str | None
    counts: Counts


@dataclass
class CourseCompliance:
    course_id: int
    title: str
    validity_months: int | None
    rows: list = field(default_factory=list)  # [DepartmentRow] by department name
    totals: Counts = field(default_factory=Counts)


@dataclass(frozen=True)
class PersonStatus:
    user_id: int
    name: str
    email: str
    job_role: str | None
    status: str  # one of rules.STATUSES
    due_on: object
    completed_at: object
    expires_on: object


def _mandatory_courses():
    return sa.select(Course.id, Course.title, Course.validity_months).where(
        Course.status == "published", Course.mandatory.is_(True)
    )


def _column_sql(today):
    """The report column of an enrolment on `today` as SQL: rules.status, with open and
    due_soon taken together as "due". It must change when rules.status does; a test
    compares both around every limit."""
    expiring_until = today + timedelta(days=rules.EXPIRING_DAYS)
    completed = Enrolment.completed_at.is_not(None)
    counts = sa.and_(
        completed, sa.or_(Enrolment.expires_on.is_(None), Enrolment.expires_on >= today)
    )
    # An expired completion is due again from its end, or from a later due date.
    due_from = sa.case(
        (
            sa.and_(
                completed,
                sa.or_(Enrolment.due_on.is_(None), Enrolment.due_on < Enrolment.expires_on),
            ),
            Enrolment.expires_on,
        ),
        else_=Enrolment.due_on,
    )
    return sa.case(
        (sa.and_(counts, Enrolment.expires_on <= expiring_until), "expiring"),
        (counts, "done"),
        (due_from < today, "overdue"),
        else_="due",
    )


def compliance_table(today):
    """[CourseCompliance] of every published mandatory course by title, each with its
    departments by name (people without a department last) and its totals. Two queries."""
    courses = {
        row.id: CourseCompliance(row.id, row.title, row.validity_months)
        for row in db.session.execute(_mandatory_courses().order_by(Course.title, Course.id))
    }
    if not courses:
        return []
    per_enrolment = (
        sa.select(
            Enrolment.course_id,
            User.department_id,
            _column_sql(today).label("bucket"),
        )
        .join(User, User.id == Enrolment.user_id)
        .join(Course, Course.id == Enrolment.course_id)
        .where(User.active.is_(True), Course.status == "published", Course.mandatory.is_(True))
        .subquery()
    )
    grouped = (
        sa.select(
            per_enrolment.c.course_id,
            per_enrolment.c.department_id,
            Department.name,
            per_enrolment.c.bucket,
            sa.func.count(),
        )
        .outerjoin(Department, Department.id == per_enrolment.c.department_id)
        .group_by(
            per_enrolment.c.course_id,
            per_enrolment.c.department_id,
            Department.name,
            per_enrolment.c.bucket,
        )
    )
    groups = {}
    for course_id, department_id, name, bucket, number in db.session.execute(grouped):
        key = (course_id, department_id or NO_DEPARTMENT)
        if key not in groups:
            groups[key] = DepartmentRow(department_id or NO_DEPARTMENT, name, Counts())
        counts = groups[key].counts
        setattr(counts, bucket, getattr(counts, bucket) + number)
    for (course_id, _department), row in sorted(
        groups.items(), key=lambda item: _department_order(item[1])
    ):
        course = courses[course_id]
        course.rows.append(row)
        course.totals.add(row.counts)
    return list(courses.values())


def _department_order(row):
    return (row.department_name is None, (row.department_name or "").casefold(), row.department_id)


def mandatory_course(course_id):
    """The published mandatory course, or None: other courses are not in the report."""
    return db.session.execute(
        sa.select(Course).where(
            Course.id == course_id, Course.status == "published", Course.mandatory.is_(True)
        )
    ).scalar_one_or_none()


def department_of_report(department_id):
    """(found, department): NO_DEPARTMENT is found as None; an unknown id is not found."""
    if department_id == NO_DEPARTMENT:
        return True, None
    department = db.session.get(Department, department_id)
    return department is not None, department


def compliance_people(actor, course, department, today, covered=None):
    """The persons behind one cell of the table, most urgent first, each with its status.
    Reading them is recorded in the audit log, one entry per person shown; department
    None: people without one. covered: in works-council mode, an SQL condition on User
    limiting the list to the people an approval covers (app/council/approvals.py)."""
    query = (
        sa.select(
            User.id,
            User.name,
            User.email,
            JobRole.name,
            Enrolment.due_on,
            Enrolment.completed_at,
            Enrolment.expires_on,
        )
        .join(User, User.id == Enrolment.user_id)
        .outerjoin(JobRole, JobRole.id == User.job_role_id)
        .where(Enrolment.course_id == course.id, User.active.is_(True))
    )
    if department is None:
        query = query.where(User.department_id.is_(None))
    else:
        query = query.where(User.department_id == department.id)
    if covered is not None:
        query = query.where(covered)
    people = [
        PersonStatus(
            user_id,
            name,
            email,
            job_role,
            rules.status(today, due_on, completed_at.date() if completed_at else None, expires_on),
            due_on,
            completed_at,
            expires_on,
        )
        for user_id, name, email, job_role, due_on, completed_at, expires_on in db.session.execute(
            query
        )
    ]
    people.sort(key=lambda person: (URGENCY[person.status], person.name.casefold(), person.email))
    audit.record_people(
        actor,
        "compliance.view",
        [(person.user_id, person.email) for person in people],
        {"course": course.id, "department": department.id if department is not None else None},
    )
    db.session.commit()
    return people


def compliance_csv(actor, today, minimum=0):
    """The table as CSV text, one row per course × department; the export is audited.
    Groups of fewer than `minimum` people keep their name and lose their figures."""
    rows = [
        [course.course_id, course.title, row.department_id or "", row.department_name or ""]
        + (
            ["", "", "", "", "", ""]
            if row.counts.total < minimum
            else [
                row.counts.done,
                row.counts.expiring,
                row.counts.due,
                row.counts.overdue,
                row.counts.total,
                row.counts.rate,
            ]
        )
        for course in compliance_table(today)
        for row in course.rows
    ]
    audit.record(actor, "compliance.export", None, {"rows": len(rows), "day": today.isoformat()})
    db.session.commit()
    return csv_text(CSV_COLUMNS, rows)
