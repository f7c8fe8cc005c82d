"""Curriculum coverage: which competences the published courses develop, against the levels
the job roles' requirement profiles ask for. Pure: no Flask, no database.

Only published courses count. A draft is shown in the heatmap (dashed, in italics) so that the
trainer sees what is coming, but a learner cannot take it yet, so it closes no gap. The chart
itself is drawn by coverage_chart.heatmap_svg.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CourseColumn:
    id: int
    title: str
    published: bool


@dataclass(frozen=True)
class CompetenceCoverage:
    """One row: a competence (or an area heading) with the best level a published course
    develops and the highest level any job role requires (0: none)."""

    code: str
    title: str
    is_area: bool
    best: int
    required: int

    @property
    def is_required(self):
        return self.required > 0

    @property
    def gap(self):
        """Required, and no published course develops it at all."""
        return self.is_required and self.best == 0

    @property
    def under(self):
        """Developed, but by no published course up to the required level."""
        return self.is_required and 0 < self.best < self.required


@dataclass(frozen=True)
class Coverage:
    rows: tuple  # CompetenceCoverage in tree order, areas included
    courses: tuple  # CourseColumn in the order given
    cells: dict  # (course id, code) -> level, drafts included
    level_names: tuple = field(default_factory=tuple)

    @property
    def competences(self):
        return [row for row in self.rows if not row.is_area]

    @property
    def required(self):
        return [row for row in self.competences if row.is_required]

    @property
    def gaps(self):
        return [row for row in self.competences if row.gap]

    @property
    def under(self):
        return [row for row in self.competences if row.under]

    @property
    def published_courses(self):
        return [course for course in self.courses if course.published]

    @property
    def level_count(self):
        return len(self.level_names)

    def level_name(self, level):
        if 1 <= level <= len(self.level_names):
            return self.level_names[level - 1]
        return str(level)


def coverage_of(competences, courses, cells, required, level_count, level_names=()):
    """Coverage from plain data.

    competences: [(code, title, is_area)] in tree order; courses: [(id, title, published)];
    cells: {(course id, code): level}; required: {code: highest target level over all job
    roles}; level_count and level_names: the framework's scale. Cells of courses or codes
    not listed are left out. Areas are headings: they are never required or gaps.
    """
    columns = tuple(CourseColumn(int(cid), str(title), bool(pub)) for cid, title, pub in courses)
    published = {column.id for column in columns if column.published}
    known_courses = {column.id for column in columns}
    known_codes = {code for code, _title, _area in competences}
    kept = {
        (course_id, code): int(level)
        for (course_id, code), level in cells.items()
        if course_id in known_courses and code in known_codes and level
    }
    best = {}
    for (course_id, code), level in kept.items():
        if course_id in published:
            best[code] = max(level, best.get(code, 0))
    names = tuple(level_names)[:level_count]
    names += tuple(str(level) for level in range(len(names) + 1, level_count + 1))
    rows = tuple(
        CompetenceCoverage(
            code,
            title,
            bool(is_area),
            best.get(code, 0),
            0 if is_area else int(required.get(code, 0)),
        )
        for code, title, is_area in competences
    )
    return Coverage(rows, columns, kept, names)
