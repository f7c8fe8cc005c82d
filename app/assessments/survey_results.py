"""Results of course feedback surveys (service): per item, and the course's averages over time.

Results are withheld below the minimum group size, free texts come sorted, never in the
order they came in, and averages over time leave out quarters with too few responses, so
that no answer can be traced to a person (see surveys.py for the other rules).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.assessments.models import Survey, SurveyAnswer, SurveyItem, SurveyResponse
from app.assessments.surveys import LIKERT_VALUES
from app.extensions import db


def response_count(survey):
    return db.session.scalar(
        select(func.count())
        .select_from(SurveyResponse)
        .where(SurveyResponse.survey_id == survey.id)
    )


@dataclass
class LikertResult:
    item: SurveyItem
    n: int
    average: float | None
    distribution: dict = field(default_factory=dict)  # value 1..5 -> count


@dataclass
class TextResult:
    item: SurveyItem
    texts: list


@dataclass
class SurveyResults:
    responses: int
    items: list  # LikertResult | TextResult, in the survey's order


def results(survey, min_group):
    """The survey's results, or None while fewer than min_group people answered.

    Free texts come sorted alphabetically, never in the order they were given, so that none
    can be matched to the moment someone answered; they carry no names (responses have none).
    """
    responses = response_count(survey)
    if responses < max(min_group, 1):
        return None
    counts = defaultdict(dict)
    for item_id, value, n in db.session.execute(
        select(SurveyAnswer.item_id, SurveyAnswer.value, func.count())
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyResponse.survey_id == survey.id, SurveyAnswer.value.is_not(None))
        .group_by(SurveyAnswer.item_id, SurveyAnswer.value)
    ):
        counts[item_id][value] = n
    texts = defaultdict(list)
    for item_id, text in db.session.execute(
        select(SurveyAnswer.item_id, SurveyAnswer.text)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyResponse.survey_id == survey.id, SurveyAnswer.text != "")
    ):
        texts[item_id].append(text)
    items = []
    for item in survey.items:
        if item.kind == "likert":
            distribution = {value: counts[item.id].get(value, 0) for value in LIKERT_VALUES}
            n = sum(distribution.values())
            total = sum(value * count for value, count in distribution.items())
            items.append(LikertResult(item, n, total / n if n else None, distribution))
        else:
            items.append(TextResult(item, sorted(texts[item.id], key=lambda t: (t.casefold(), t))))
    return SurveyResults(responses, items)


@dataclass
class Period:
    label: str  # "2026-Q3"
    responses: int
    average: float


def quarter(day):
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarterly_averages(days, min_group):
    """Per quarter, the average of all Likert answers, from per-day rows
    [(day, responses, sum of values, number of values)]; quarters with fewer than min_group
    responses are left out."""
    totals = defaultdict(lambda: [0, 0, 0])
    for day, responses, value_sum, value_count in days:
        total = totals[quarter(day)]
        total[0] += responses
        total[1] += value_sum or 0
        total[2] += value_count or 0
    return [
        Period(label, responses, value_sum / value_count)
        for label, (responses, value_sum, value_count) in sorted(totals.items())
        if responses >= max(min_group, 1) and value_count
    ]


def averages_over_time(course_id, min_group):
    """Per quarter, the average of all Likert answers to the course's surveys; only quarters
    in which at least min_group people answered."""
    likert = (
        select(
            SurveyAnswer.response_id,
            func.sum(SurveyAnswer.value).label("value_sum"),
            func.count(SurveyAnswer.value).label("value_count"),
        )
        .group_by(SurveyAnswer.response_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            SurveyResponse.day,
            func.count(SurveyResponse.id),
            func.sum(likert.c.value_sum),
            func.sum(likert.c.value_count),
        )
        .join(Survey, Survey.id == SurveyResponse.survey_id)
        .outerjoin(likert, likert.c.response_id == SurveyResponse.id)
        .where(Survey.course_id == course_id)
        .group_by(SurveyResponse.day)
    ).all()
    return quarterly_averages(rows, min_group)
