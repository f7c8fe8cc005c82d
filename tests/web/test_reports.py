"""HR's competence matrix and gap report: pages, heatmaps, CSV and XLSX read back cell by
cell, neutralised formulas, the minimum group size, audit and access."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.accounts.models import AuditEntry
from app.frameworks import evidence, profiles
from app.frameworks import services as framework_services
from app.frameworks.models import Competence
from tests.web.test_admin import count_queries


@pytest.fixture()
def company(db, factory):
    """Vertrieb: five clerks who must hold 2.4 at level 2 (two do); IT: two people."""
    framework_services.load_shipped()
    kmk = profiles.default_framework()
    netiquette = db.session.scalar(
        select(Competence).where(Competence.framework_id == kmk.id, Competence.code == "2.4")
    )
    clerk = factory.job_role("Sachbearbeitung")
    admin = factory.job_role("Administration")
    profiles.save_matrix(None, kmk, {(clerk.id, netiquette.id): 2})
    sales = factory.department("Vertrieb")
    it = factory.department("IT")
    names = ["Anna Schulz", '=HYPERLINK("http://x")', "Jonas Wagner", "Lea Braun", "Tim Wolf"]
    people = [factory.user(name=n, department=sales, job_role=clerk) for n in names]
    for person, level in zip(people, (3, 2, 1, 0, 0), strict=True):
        if level:
            evidence.add_evidence(person, netiquette, level, "course", date.today())
    factory.user(name="Ida Admin", department=it, job_role=admin)
    factory.user(name="Ivo Admin", department=it, job_role=clerk)
    db.session.commit()
    return kmk, sales, people


def test_the_matrix_shows_levels_filters_and_is_audited(db, company, client_as):
    kmk, sales, people = company
    hr = client_as("hr")
    page = hr.get(f"/reports/matrix?department={sales.id}").get_data(as_text=True)
    assert "Anna Schulz" in page and "Ida Admin" not in page
    assert "report-heatmap" in page and "&lt;script" not in page
    assert "Anna Schulz · 2.4 Umgangsregeln" in page  # the tooltip of a cell
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "report.matrix")
    ).all()
    # One entry per person shown, each naming the person, so that each can read it.
    assert {(e.subject_type, e.subject_id) for e in entries} == {
        ("user", str(person.id)) for person in people
    }
    assert all(e.details["department"] == sales.id for e in entries)
    for role in ("learner", "trainer"):
        assert client_as(role).get("/reports/matrix").status_code == 403


def test_the_matrix_page_runs_a_fixed_number_of_queries(db, company, factory, client_as):
    kmk, sales, people = company
    hr = client_as("hr")
    hr.get("/reports/matrix")
    with count_queries(db) as few:
        assert hr.get("/reports/matrix").status_code == 200
    for number in range(12):
        factory.user(name=f"Neu {number}", department=sales)
    with count_queries(db) as many:
        assert hr.get("/reports/matrix").status_code == 200
    real = lambda statements: [s for s in statements if "SAVEPOINT" not in s]  # noqa: E731
    assert len(real(many)) == len(real(few))


def test_matrix_exports_read_back_cell_by_cell(db, company, client_as):
    kmk, sales, people = company
    hr = client_as("hr")
    response = hr.get(f"/reports/matrix.xlsx?department={sales.id}")
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    codes = [c.code for c in framework_services.competences_in_order(kmk) if c.depth == 1]
    assert rows[0] == ["Name", "Department", "Job role", *codes]
    column = 3 + codes.index("2.4")
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Anna Schulz"][column] == 3 and by_name["Lea Braun"][column] == 0
    assert isinstance(by_name["Anna Schulz"][column], int)
    # A name that a spreadsheet would run as a formula stays text.
    assert '\'=HYPERLINK("http://x")' in by_name
    cell = next(c for c in sheet["A"] if str(c.value).startswith("'="))
    assert cell.data_type == "s"
    text = hr.get(f"/reports/matrix.csv?department={sales.id}").data.decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[0][:3] == ["Name", "Department", "Job role"]
    assert ['\'=HYPERLINK("http://x")', "Vertrieb", "Sachbearbeitung"] == next(
        row[:3] for row in parsed if row[0].startswith("'=")
    )
    # Each export is recorded once per person in it, with the person as the subject.
    exports = db.session.scalars(
        select(AuditEntry.subject_id).where(AuditEntry.action == "report.export")
    ).all()
    assert sorted(exports) == sorted(2 * [str(person.id) for person in people])


def test_the_gap_report_withholds_small_groups(db, company, client_as):
    hr = client_as("hr")
    page = hr.get("/reports/gaps").get_data(as_text=True)
    assert "Vertrieb: 5 people" in page
    assert "Withheld (fewer than 5 people):" in page and "IT" in page
    assert "Vertrieb · 2.4: 2 of 5 meet the required level" in page
    assert "IT · 2.4" not in page

    sheet = load_workbook(io.BytesIO(hr.get("/reports/gaps.xlsx").data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:6] == [
        "Department",
        "People",
        "Competence",
        "Required (people)",
        "Meeting the target",
        "Share in %",
    ]
    it = next(row for row in rows if row[0] == "IT")
    assert it == ["IT", None, "withheld: fewer than 5 people", None, None, None, None, None]
    vertrieb = next(row for row in rows if row[0] == "Vertrieb")
    assert vertrieb[1:6] == [5, vertrieb[2], 5, 2, 40]
    assert vertrieb[2].startswith("2.4 ") and vertrieb[6] == 2 and vertrieb[7] == 1.2

    by_role = hr.get("/reports/gaps.csv?by=job_role").data.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(by_role)))
    assert lines[0][0] == "Job role"
    clerks = next(row for row in lines if row[0] == "Sachbearbeitung")
    assert clerks[1:2] == ["6"] and clerks[3:5] == ["6", "2"]  # Ivo from IT counts here
    assert any(row[0] == "Administration" and row[2].startswith("withheld") for row in lines)
    assert client_as("learner").get("/reports/gaps").status_code == 403
