"""The curriculum coverage page: competences × courses against the requirement profiles."""

import re

import pytest
from sqlalchemy import select

from app.courses.coverage_service import coverage_for
from app.courses.models import Course, CourseCompetence
from app.frameworks import profiles, services
from app.frameworks.models import Competence, RequirementTarget


@pytest.fixture()
def kmk(db):
    services.load_shipped()
    return profiles.default_framework()


def _competence(db, framework, code):
    return db.session.scalar(
        select(Competence).where(Competence.framework_id == framework.id, Competence.code == code)
    )


def _course(db, title, levels, status="published"):
    """A course developing {Competence: level}."""
    course = Course(title=title, status=status)
    course.competences = [
        CourseCompetence(competence_id=competence.id, level=level)
        for competence, level in levels.items()
    ]
    db.session.add(course)
    db.session.commit()
    return course


def _require(db, job_role, framework, targets):
    for code, level in targets.items():
        db.session.add(
            RequirementTarget(
                job_role_id=job_role.id, competence=_competence(db, framework, code), level=level
            )
        )
    db.session.commit()


def _table(page, table_id):
    match = re.search(rf'id="{table_id}".*?</table>', page, re.S)
    return match.group(0) if match else ""


def _row(report, code):
    return next(row for row in report.coverage.rows if row.code == code)


def test_the_page_lists_the_gap_and_not_the_covered_competence(db, kmk, client_as, factory):
    _require(db, factory.job_role(), kmk, {"1.1": 2, "4.2": 3})
    _course(db, "Recherche im Netz", {_competence(db, kmk, "1.1"): 2})
    response = client_as("trainer").get("/courses/coverage")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    gaps = _table(page, "coverage-gaps")
    assert "4.2" in gaps and _competence(db, kmk, "4.2").title in gaps
    assert "1.1" not in gaps
    assert "<svg" in page and "Recherche im Netz" in page


def test_a_competence_developed_below_its_target_is_listed_as_under(db, kmk, client_as, factory):
    _require(db, factory.job_role(), kmk, {"1.1": 3})
    _course(db, "Einstieg", {_competence(db, kmk, "1.1"): 1})
    page = client_as("admin").get("/courses/coverage").get_data(as_text=True)
    assert "1.1" in _table(page, "coverage-under")
    assert "1.1" not in _table(page, "coverage-gaps")


def test_the_highest_target_over_all_job_roles_counts(db, kmk, factory):
    _require(db, factory.job_role(), kmk, {"2.1": 1})
    _require(db, factory.job_role(), kmk, {"2.1": 3})
    _course(db, "Kommunikation", {_competence(db, kmk, "2.1"): 2})
    report = coverage_for(kmk)
    assert _row(report, "2.1").required == 3
    assert [row.code for row in report.under] == ["2.1"]


def test_drafts_are_shown_but_not_counted_and_archived_courses_not_shown(db, kmk, factory):
    _require(db, factory.job_role(), kmk, {"3.1": 2, "3.2": 2})
    _course(db, "Entwurf", {_competence(db, kmk, "3.1"): 2}, status="draft")
    _course(db, "Alt", {_competence(db, kmk, "3.2"): 2}, status="archived")
    report = coverage_for(kmk)
    assert [(c.title, c.published) for c in report.coverage.courses] == [("Entwurf", False)]
    assert {row.code for row in report.gaps} == {"3.1", "3.2"}


def test_a_course_mapped_to_an_older_version_counts_by_code(db, kmk, factory, client_as):
    older_competence = _competence(db, kmk, "5.1")
    _course(db, "Probleme lösen", {older_competence: 2})
    _require(db, factory.job_role(), kmk, {"6.1": 1})  # set on the older version too
    newer = services.new_version(None, kmk)
    services.publish(None, newer)
    assert profiles.default_framework().id == newer.id
    _require(db, factory.job_role(), newer, {"5.1": 2})
    report = coverage_for(newer)
    assert _row(report, "5.1").best == 2 and not _row(report, "5.1").gap
    assert [row.code for row in report.gaps] == ["6.1"]
    page = client_as("trainer").get("/courses/coverage").get_data(as_text=True)
    assert "5.1" not in _table(page, "coverage-gaps")
    assert "6.1" in _table(page, "coverage-gaps")


def test_without_courses_the_page_says_so_and_every_target_is_a_gap(db, kmk, client_as, factory):
    _require(db, factory.job_role(), kmk, {"1.2": 1, "4.1": 2})
    page = client_as("trainer").get("/courses/coverage").get_data(as_text=True)
    assert "There are no courses yet." in page
    gaps = _table(page, "coverage-gaps")
    assert "1.2" in gaps and "4.1" in gaps


def test_another_published_framework_is_chosen_by_its_id(db, kmk, client_as):
    others = [f for f in profiles.published_frameworks() if f.id != kmk.id]
    trainer = client_as("trainer")
    if others:
        page = trainer.get(f"/courses/coverage?framework={others[0].id}").get_data(as_text=True)
        assert others[0].title in page
    # An unknown or unpublished id falls back to the default framework.
    page = trainer.get("/courses/coverage?framework=999999").get_data(as_text=True)
    assert kmk.title in page


def test_the_page_runs_a_fixed_number_of_queries(db, kmk, client_as, factory):
    from tests.web.test_admin import count_queries

    _require(db, factory.job_role(), kmk, {"1.1": 2, "2.1": 2})
    codes = ["1.1", "1.2", "2.1", "3.1", "4.2", "5.3", "6.2"]
    competences = [_competence(db, kmk, code) for code in codes]
    for number in range(2):
        _course(db, f"Kurs {number}", {competences[number]: 1 + number % 4})
    trainer = client_as("trainer")
    with count_queries(db) as few:
        assert trainer.get("/courses/coverage").status_code == 200
    for number in range(2, 12):
        levels = {competences[(number + k) % len(codes)]: 1 + k for k in range(3)}
        _course(db, f"Kurs {number}", levels, status="draft" if number % 5 == 0 else "published")
    with count_queries(db) as many:
        page = trainer.get("/courses/coverage").get_data(as_text=True)
    assert "Kurs 11" in page
    assert len(many) == len(few)
