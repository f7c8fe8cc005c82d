"""HR's compliance report: counts per mandatory course and department, the persons behind
them (audited), the CSV export, access and a fixed number of queries."""

import csv
import io
import itertools
from collections import Counter
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import AuditEntry
from app.courses import compliance, rules
from app.courses.models import Course, Enrolment
from tests.web.test_admin import count_queries

DAY = date(2026, 6, 15)
# rules.STATUSES -> the report's columns
COLUMN = {
    "done": "done",
    "expiring": "expiring",
    "open": "due",
    "due_soon": "due",
    "overdue": "overdue",
}


def _course(db, title="Datenschutz", mandatory=True, status="published"):
    course = Course(title=title, status=status, mandatory=mandatory, validity_months=12)
    db.session.add(course)
    db.session.flush()
    return course


def _enrol(db, person, course, due_on=None, completed_on=None, expires_on=None):
    completed_at = datetime.combine(completed_on, time(9, 30)) if completed_on else None
    enrolment = Enrolment(
        user_id=person.id,
        course_id=course.id,
        due_on=due_on,
        completed_at=completed_at,
        expires_on=expires_on,
    )
    db.session.add(enrolment)
    db.session.flush()
    return enrolment


def _counts(counts):
    return (counts.done, counts.expiring, counts.due, counts.overdue, counts.total, counts.rate)


def _audits(db, action):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


@pytest.fixture()
def sales(factory):
    return factory.department("Vertrieb")


@pytest.fixture()
def reported(db, factory, sales):
    """A mandatory course on DAY: in Vertrieb one person of each status, an expired
    completion and a deactivated person; one done in Einkauf, one overdue without a
    department; other courses that are not in the report."""
    course = _course(db)
    purchase = factory.department("Einkauf")

    def person(name, department=sales, **fields):
        return factory.user(name=name, department=department, password=None, **fields)

    _enrol(db, person("Dora Done"), course, None, date(2026, 3, 1), date(2027, 2, 28))
    _enrol(db, person("Erik Expiring"), course, None, date(2025, 7, 1), date(2026, 6, 30))
    _enrol(db, person("Otto Open"), course)
    _enrol(db, person("Susi Soon"), course, due_on=date(2026, 6, 20))
    _enrol(db, person("Olaf Overdue"), course, due_on=date(2026, 6, 1))
    _enrol(db, person("Xaver Expired"), course, None, date(2025, 5, 1), date(2026, 4, 30))
    _enrol(db, person("Ina Inactive", active=False), course, due_on=date(2026, 1, 1))
    _enrol(db, person("Paula Purchase", purchase), course, None, date(2026, 5, 1), None)
    loner = factory.user(name="Nora Nobody", password=None)
    loner.department = None
    _enrol(db, loner, course, due_on=date(2026, 6, 14))
    voluntary = _course(db, "Bildbearbeitung", mandatory=False)
    draft = _course(db, "Entwurf", status="draft")
    for other in (voluntary, draft):
        _enrol(db, person(f"Andere {other.title}"), other, due_on=date(2026, 1, 1))
    db.session.commit()
    return course, purchase


def test_counts_per_status_by_department_on_a_day(db, reported, sales):
    course, purchase = reported
    (table,) = compliance.compliance_table(DAY)
    assert (table.course_id, table.title, table.validity_months) == (course.id, "Datenschutz", 12)
    rows = {row.department_name: row for row in table.rows}
    assert [row.department_name for row in table.rows] == ["Einkauf", "Vertrieb", None]
    # Done, expiring; open and due soon are due; overdue and expired are overdue.
    assert _counts(rows["Vertrieb"].counts) == (1, 1, 2, 2, 6, 33)
    assert rows["Vertrieb"].department_id == sales.id
    assert _counts(rows["Einkauf"].counts) == (1, 0, 0, 0, 1, 100)
    assert rows[None].department_id == compliance.NO_DEPARTMENT
    assert _counts(rows[None].counts) == (0, 0, 0, 1, 1, 0)
    assert _counts(table.totals) == (2, 1, 2, 3, 8, 37)


def test_a_published_mandatory_course_without_enrolments_shows_empty(db):
    course = _course(db, "IT-Sicherheit")
    (table,) = compliance.compliance_table(DAY)
    assert table.course_id == course.id and table.rows == []
    assert table.totals.total == 0 and table.totals.rate is None


def test_the_counted_table_agrees_with_the_rules_on_every_boundary(db, factory, sales):
    """The database counts with a CASE expression; each person's status comes from
    rules.status. Both must agree around every limit of the rules."""
    course = _course(db)
    days = [None] + [
        DAY + timedelta(days=n)
        for n in (-400, -1, 0, 1, rules.DUE_SOON_DAYS, rules.DUE_SOON_DAYS + 1)
    ]
    ends = [None] + [
        DAY + timedelta(days=n) for n in (-1, 0, rules.EXPIRING_DAYS - 1, rules.EXPIRING_DAYS, 400)
    ]
    expected = Counter()
    for due_on, completed, expires_on in itertools.product(days, (False, True), ends):
        if expires_on is not None and not completed:
            continue  # only a completion has an end
        completed_on = DAY - timedelta(days=200) if completed else None
        person = factory.user(department=sales, password=None)
        _enrol(db, person, course, due_on, completed_on, expires_on)
        expected[COLUMN[rules.status(DAY, due_on, completed_on, expires_on)]] += 1
    db.session.commit()
    (table,) = compliance.compliance_table(DAY)
    (row,) = table.rows
    counted = {name: getattr(row.counts, name) for name in ("done", "expiring", "due", "overdue")}
    assert counted == {name: expected[name] for name in counted}
    assert set(expected) == {"done", "expiring", "due", "overdue"}
    people = compliance.compliance_people(None, course, sales, DAY)
    assert Counter(COLUMN[person.status] for person in people) == expected


def test_the_persons_of_a_group_most_urgent_first(db, reported, sales):
    course, _purchase = reported
    people = compliance.compliance_people(None, course, sales, DAY)
    assert [(person.name, person.status) for person in people] == [
        ("Olaf Overdue", "overdue"),
        ("Xaver Expired", "overdue"),
        ("Susi Soon", "due_soon"),
        ("Erik Expiring", "expiring"),
        ("Otto Open", "open"),
        ("Dora Done", "done"),
    ]
    (nobody,) = compliance.compliance_people(None, course, None, DAY)
    assert nobody.name == "Nora Nobody"


def test_the_page_shows_courses_and_departments(db, factory, client_as, sales):
    today = date.today()
    course = _course(db, "Datenschutz am Arbeitsplatz")
    late = factory.user(name="Lars Late", department=sales, password=None)
    _enrol(db, late, course, due_on=today - timedelta(days=3))
    done = factory.user(name="Dana Done", department=sales, password=None)
    _enrol(db, done, course, None, today, rules.expires_on(today, 12))
    db.session.commit()
    page = client_as("hr").get("/courses/compliance")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Datenschutz am Arbeitsplatz" in text and "Vertrieb" in text
    assert f"/courses/compliance/{course.id}/{sales.id}" in text
    assert "50&nbsp;%" in text
    assert _audits(db, "compliance.view") == []  # counts name nobody


def test_the_drill_down_names_the_persons_and_is_audited(db, factory, client_as, users, sales):
    today = date.today()
    course = _course(db, "IT-Sicherheit")
    late = factory.user(name="Lars Late", department=sales, password=None)
    _enrol(db, late, course, due_on=today - timedelta(days=3))
    db.session.commit()
    hr = client_as("hr")
    page = hr.get(f"/courses/compliance/{course.id}/{sales.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Lars Late" in text and "status-overdue" in text and "IT-Sicherheit" in text
    # One entry per person shown, naming the person ("who looked at my data").
    (entry,) = _audits(db, "compliance.view")
    assert entry.actor_id == users["hr"].id
    assert (entry.subject_type, entry.subject_id) == ("user", str(late.id))
    assert entry.details == {"course": course.id, "department": sales.id}


def test_the_drill_down_of_people_without_a_department(db, factory, client_as, users):
    course = _course(db)
    loner = factory.user(name="Nora Nobody", password=None)
    loner.department = None
    _enrol(db, loner, course)
    db.session.commit()
    page = client_as("admin").get(f"/courses/compliance/{course.id}/0")
    assert page.status_code == 200 and "Nora Nobody" in page.get_data(as_text=True)
    (entry,) = _audits(db, "compliance.view")
    assert entry.details == {"course": course.id, "department": None}
    assert entry.subject_id == str(loner.id)


def test_unknown_or_unreported_groups_are_not_found(db, client_as, sales):
    course = _course(db)
    voluntary = _course(db, "Bildbearbeitung", mandatory=False)
    db.session.commit()
    hr = client_as("hr")
    assert hr.get(f"/courses/compliance/{course.id + 999}/{sales.id}").status_code == 404
    assert hr.get(f"/courses/compliance/{course.id}/{sales.id + 999}").status_code == 404
    assert hr.get(f"/courses/compliance/{voluntary.id}/{sales.id}").status_code == 404
    assert _audits(db, "compliance.view") == []


@pytest.mark.parametrize("role", ["learner", "trainer"])
def test_learners_and_trainers_are_refused(db, client_as, sales, role):
    course = _course(db)
    db.session.commit()
    client = client_as(role)
    for url in (
        "/courses/compliance",
        f"/courses/compliance/{course.id}/{sales.id}",
        "/courses/compliance.csv",
    ):
        assert client.get(url).status_code == 403, url
    assert _audits(db, "compliance.view") == [] and _audits(db, "compliance.export") == []


def test_the_csv_export_is_audited_and_neutralises_formulas(db, factory, client_as, users, sales):
    course = _course(db, '=HYPERLINK("http://example.com")')
    late = factory.user(department=sales, password=None)
    _enrol(db, late, course, due_on=date.today() - timedelta(days=1))
    db.session.commit()
    response = client_as("hr").get("/courses/compliance.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert header == list(compliance.CSV_COLUMNS)
    assert rows == [
        [
            str(course.id),
            '\'=HYPERLINK("http://example.com")',
            str(sales.id),
            "Vertrieb",
            "0",
            "0",
            "0",
            "1",
            "1",
            "0",
        ]
    ]
    (entry,) = _audits(db, "compliance.export")
    assert entry.actor_id == users["hr"].id and entry.details["rows"] == 1


def _fill(db, factory, number):
    """`number` mandatory courses, each with one enrolment in a department of its own,
    one of each status in turn, and `number` enrolments of one department in the first."""
    today = date.today()
    shapes = [
        {},
        {"due_on": today + timedelta(days=3)},
        {"due_on": today - timedelta(days=3)},
        {"completed_on": today, "expires_on": today + timedelta(days=300)},
        {"completed_on": today - timedelta(days=350), "expires_on": today + timedelta(days=10)},
    ]
    department = factory.department()
    courses = [_course(db, f"Pflicht {index}") for index in range(number)]
    for index, course in enumerate(courses):
        person = factory.user(password=None)
        _enrol(db, person, course, **shapes[index % len(shapes)])
        member = factory.user(department=department, password=None)
        _enrol(db, member, courses[0], **shapes[index % len(shapes)])
    db.session.commit()
    return courses[0], department


def test_pages_and_export_run_a_fixed_number_of_queries(db, factory, client_as):
    hr = client_as("hr")
    statements = []
    for number in (5, 50):
        course, department = _fill(db, factory, number)
        counted = []
        for url in (
            "/courses/compliance",
            "/courses/compliance.csv",
            f"/courses/compliance/{course.id}/{department.id}",
        ):
            with count_queries(db) as queries:
                assert hr.get(url).status_code == 200, url
            counted.append(len(queries))
        statements.append(counted)
    few, many = statements
    assert few == many
