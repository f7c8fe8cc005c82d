"""Item statistics of a quiz, as plain functions: facility, discrimination and how often
each answer of a choice question was chosen.

Pure: no Flask, no database. Facility is the mean score on the item (0–100 %); the
discrimination index is the correlation of the item's score with the rest of the test
(the attempt's other items), as Moodle's quiz statistics compute it, so an item does not
correlate with itself."""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ItemResult:
    attempt_id: int
    question_id: int
    fraction: float  # 0..1
    mark: float
    chosen: tuple = ()  # choice questions: the answer indexes chosen


@dataclass
class ItemStatistics:
    question_id: int
    attempts: int
    facility: float | None  # percent
    discrimination: float | None  # -1..1; None when it cannot be computed
    choices: Counter = field(default_factory=Counter)  # answer index -> times chosen


def correlation(xs, ys):
    """Pearson's r; None when either side does not vary or there are fewer than 2 pairs."""
    n = len(xs)
    if n < 2:
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sx = sum((x - mean_x) ** 2 for x in xs)
    sy = sum((y - mean_y) ** 2 for y in ys)
    if sx == 0 or sy == 0:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / math.sqrt(
        sx * sy
    )


def item_statistics(results):
    """[ItemStatistics] per question, in order of first appearance."""
    by_attempt = defaultdict(float)
    for item in results:
        by_attempt[item.attempt_id] += item.fraction * item.mark
    by_question = defaultdict(list)
    for item in results:
        by_question[item.question_id].append(item)
    statistics = []
    for question_id, items in by_question.items():
        scores = [item.fraction for item in items]
        rest = [by_attempt[item.attempt_id] - item.fraction * item.mark for item in items]
        r = correlation(scores, rest)
        choices = Counter(index for item in items for index in item.chosen)
        statistics.append(
            ItemStatistics(
                question_id,
                len(items),
                round(100 * sum(scores) / len(scores), 1) if scores else None,
                round(r, 2) if r is not None else None,
                choices,
            )
        )
    return statistics
