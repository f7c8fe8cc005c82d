"""The curriculum coverage of a framework: what the courses develop against what the job
roles require (service; the rules are in coverage.py)."""

from dataclasses import dataclass

from sqlalchemy import func, select

from app.courses.coverage import coverage_of
from app.courses.models import Course, CourseCompetence
from app.extensions import db
from app.frameworks.models import Competence, Framework, RequirementTarget


@dataclass
class FrameworkCoverage:
    framework: Framework
    coverage: object  # coverage.Coverage
    gaps: list  # CompetenceCoverage rows: required, and no published course develops them
    under: list  # CompetenceCoverage rows: developed, but below the required level


def _lineage_competences(framework):
    """Competences of every version of the framework: mappings and targets count by code."""
    return select(Competence.id).join(Framework).where(Framework.lineage == framework.lineage)


def coverage_for(framework):
    """The coverage of a framework by all courses that are not archived, in the same number
    of queries whatever the number of courses: competences, courses, mappings, targets and the
    scale, one query each.

    Mappings and requirement targets set on other versions of the same framework count by
    competence code, as they do in a learner's competence profile, so that a new framework
    version does not empty the picture until every course is mapped again."""
    competences = db.session.execute(
        select(Competence.code, Competence.title, Competence.depth)
        .where(Competence.framework_id == framework.id, Competence.depth <= 1)
        .order_by(Competence.position)
    ).all()
    courses = db.session.execute(
        select(Course.id, Course.title, Course.status).where(Course.status != "archived")
    ).all()
    # Drafts last, each group by title: the columns that count come first.
    courses = sorted(courses, key=lambda c: (c.status != "published", c.title.casefold(), c.id))
    cells = {}
    for course_id, code, level in db.session.execute(
        select(CourseCompetence.course_id, Competence.code, CourseCompetence.level)
        .join(CourseCompetence.competence)
        .join(CourseCompetence.course)
        .where(
            Course.status != "archived",
            Competence.id.in_(_lineage_competences(framework)),
        )
    ):
        cells[(course_id, code)] = max(level, cells.get((course_id, code), 0))
    required = dict(
        db.session.execute(
            select(Competence.code, func.max(RequirementTarget.level))
            .join(RequirementTarget.competence)
            .where(Competence.id.in_(_lineage_competences(framework)))
            .group_by(Competence.code)
        ).all()
    )
    level_names = [level.name for level in framework.scale.levels]
    coverage = coverage_of(
        [(c.code, c.title, c.depth == 0) for c in competences],
        [(c.id, c.title, c.status == "published") for c in courses],
        cells,
        required,
        len(level_names),
        level_names,
    )
    return FrameworkCoverage(framework, coverage, coverage.gaps, coverage.under)
