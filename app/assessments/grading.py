"""Grading: a learner's response to one Question becomes a Grade; grades become scores.

Pure: no Flask, no database. The rules follow Moodle's question types where the issue
is silent. Weights are percentages (see questions.py); a Grade's fraction is the share of
the question's mark, always within 0..1 ("never below 0", over 100 % capped at 1).

Response shapes, one per kind (anything else raises ResponseError):

- single_choice: the index of the chosen answer (int), or None for no choice;
- multiple_choice: a list, tuple or set of distinct chosen indexes (empty or None: none);
- true_false: True, False, or None;
- numeric: the text as typed (str) or None. Spaces are removed, "3,5" and "3.5" both
  mean 3.5, "−" counts as a minus, "1e3" is allowed. Text that is not one number
  ("3,5.1", "drei") is graded wrong, not rejected;
- short_text, essay: str or None;
- matching: a dict {pair index: chosen right-side text or None}. The pair index is the
  index in Question.answers; pairs left out or None are unanswered. An Answer with an
  empty left side is a distractor: its right side is offered, but it is not a pair.

Rules where Moodle and the issue left room:

- numeric: among the answers that accept the number, the best weight wins (Moodle takes
  the first; with equal weights the first still wins). The borders count, with a slack
  of 1e-12 relative to the numbers compared, so 0.1 + 0.2 lies within 0.3 ± 0. Moodle
  adds an absolute 1e-14 × max(1, |value|), which cannot tell 1e-15 from 2e-15.
  An answer `*` (GIFT's `~#feedback`) accepts any number, so its feedback reaches every
  number no better answer takes; a text that is no number matches nothing.
- short_text: like Moodle, surrounding whitespace is ignored and both sides are NFC
  normalised; unlike Moodle, runs of inner whitespace count as one space. `*` stands
  for any characters, `\\*` for an asterisk. The best weight wins (ties: the first).
  Case is ignored letter by letter, as Moodle's regular expression does: Ä/ä, ẞ/ß and
  Σ/σ/ς are alike, but "STRASSE" does not match "Straße" (str.casefold would, and so
  accept the Swiss spelling the author never gave). Python also treats I, i, İ and ı
  as case variants, so "istanbul" matches "İstanbul"; PCRE in Moodle does not.
- matching: each pair right earns 1/number of pairs, compared by exact right-side text
  (Moodle merges equal right sides into one choice too).
- state: above 0.9999999 correct, below 0.0000001 wrong, between partial (Moodle's
  thresholds); "empty" when nothing was given; essays "needs_grading" until grade_essay.
- feedback lists the feedback of the chosen (single, multiple), matched (numeric,
  short text) or given (true/false) answer; the general feedback stays on Question.
"""

import math
import re
import unicodedata
from collections.abc import Set
from dataclasses import dataclass, field

from app.assessments.questions import Question

STATES = ("correct", "partial", "wrong", "empty", "needs_grading")
_RIGHT, _WRONG = 0.9999999, 0.0000001
_SLACK = 1e-12
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_UNESCAPED_STARS = re.compile(r"(?<!\\)\*+")


class ResponseError(ValueError):
    """A response of the wrong shape, or a trainer's grade that cannot be accepted."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class Grade:
    fraction: float
    state: str
    feedback: list = field(default_factory=list)  # [str]
    right_answer: str = ""


def state_for(fraction):
    if fraction > _RIGHT:
        return "correct"
    if fraction < _WRONG:
        return "wrong"
    return "partial"


def grade(question: Question, response) -> Grade:
    grader = _GRADERS.get(question.kind)
    if grader is None:
        raise ValueError(f"unknown question kind {question.kind!r}")
    return grader(question, response)


def grade_essay(score_fraction, justification) -> Grade:
    """A trainer's grade of an essay: the justification becomes the feedback."""
    if isinstance(score_fraction, bool) or not isinstance(score_fraction, int | float):
        raise ResponseError("The score must be a number between 0 and 1.")
    if not 0 <= score_fraction <= 1:  # also rejects NaN
        raise ResponseError("The score must be between 0 and 1.")
    if not isinstance(justification, str) or not justification.strip():
        raise ResponseError("A grade for an essay needs a justification.")
    fraction = float(score_fraction)
    return Grade(fraction, state_for(fraction), [justification.strip()])


def attempt_score(grades, marks):
    """(points, max_points, percent) of an attempt; essays not yet graded count 0."""
    grades, marks = list(grades), list(marks)
    if len(grades) != len(marks):
        raise ValueError("one mark per grade")
    if any(mark < 0 for mark in marks):
        raise ValueError("marks cannot be negative")
    points = sum(g.fraction * mark for g, mark in zip(grades, marks, strict=True))
    max_points = sum(marks)
    return round(points, 7), round(max_points, 7), _percent(points, max_points)


def score_by_competence(items):
    """{competence: percent} from [(competence, fraction, mark)], in order of first
    appearance. A competence whose questions carry no marks has no score and is left
    out: zero marks are no evidence, neither for nor against."""
    points, marks = {}, {}
    for competence, fraction, mark in items:
        if mark < 0:
            raise ValueError("marks cannot be negative")
        points[competence] = points.get(competence, 0.0) + fraction * mark
        marks[competence] = marks.get(competence, 0.0) + mark
    return {c: _percent(points[c], marks[c]) for c in points if marks[c] > 0}


def _percent(points, max_points):
    return round(100 * points / max_points, 7) if max_points > 0 else 0.0


def _clamp(weight):
    return min(max(weight / 100, 0.0), 1.0)


def _graded(fraction, feedback, right_answer):
    return Grade(fraction, state_for(fraction), [f for f in feedback if f], right_answer)


def _empty(right_answer):
    return Grade(0.0, "empty", [], right_answer)


def _best(answers):
    """The answers carrying the best positive weight: the right answer(s) to show."""
    top = max((a.weight for a in answers), default=0)
    return [a for a in answers if a.weight == top] if top > 0 else []


def _index(question, value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise ResponseError("A choice must be given by its number.")
    if not 0 <= value < len(question.answers):
        raise ResponseError("There is no such choice.")
    return value


def _text(response, kind):
    if response is not None and not isinstance(response, str):
        raise ResponseError(f"A {kind} answer must be text.")
    return " ".join((response or "").split())


def _single_choice(question, response):
    right = "; ".join(a.text for a in _best(question.answers))
    if response is None:
        return _empty(right)
    chosen = question.answers[_index(question, response)]
    return _graded(_clamp(chosen.weight), [chosen.feedback], right)


def _multiple_choice(question, response):
    right = "; ".join(a.text for a in question.answers if a.weight > 0)
    if response is None:
        response = ()
    if not isinstance(response, list | tuple | Set):
        raise ResponseError("The choices must be given as a list of numbers.")
    indexes = sorted(_index(question, value) for value in response)
    if len(set(indexes)) != len(indexes):
        raise ResponseError("A choice was given twice.")
    if not indexes:
        return _empty(right)
    chosen = [question.answers[i] for i in indexes]
    fraction = _clamp(sum(a.weight for a in chosen))
    return _graded(fraction, [a.feedback for a in chosen], right)


def _true_false(question, response):
    right = "" if question.correct is None else str(question.correct).lower()
    if response is None:
        return _empty(right)
    if not isinstance(response, bool):
        raise ResponseError("A true/false answer must be true or false.")
    feedback = question.feedback_true if response else question.feedback_false
    return _graded(1.0 if response == question.correct else 0.0, [feedback], right)


def parse_number(text):
    """The number a learner typed, or None if it is not one number."""
    text = "".join(text.split()).replace("\u2212", "-")
    if "," in text:
        if "." in text or text.count(",") > 1:
            return None  # "1.000,5" or "1,000.5": which one is the decimal mark?
        text = text.replace(",", ".")
    if not _NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def _accepts(answer, x):
    if answer.text == "*":  # Moodle's catch-all: any other number
        return True
    if answer.value is not None:
        tolerance = abs(answer.tolerance)
        slack = _SLACK * max(abs(x), abs(answer.value), tolerance)
        return abs(x - answer.value) <= tolerance + slack
    if answer.low is not None and answer.high is not None:
        low, high = sorted((answer.low, answer.high))
        slack = _SLACK * max(abs(low), abs(high))
        return low - slack <= x <= high + slack
    return False


def _format_number(value):
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e16 else repr(value)


def _numeric_summary(answer):
    if answer.value is not None:
        value = _format_number(answer.value)
        if answer.tolerance:
            return f"{value} ± {_format_number(abs(answer.tolerance))}"
        return value
    if answer.low is not None and answer.high is not None:
        low, high = sorted((answer.low, answer.high))
        return f"{_format_number(low)}..{_format_number(high)}"
    return ""


def _numeric(question, response):
    right = "; ".join(filter(None, map(_numeric_summary, _best(question.answers))))
    text = _text(response, "numeric")
    if not text:
        return _empty(right)
    x = parse_number(text)
    matching = [] if x is None else [a for a in question.answers if _accepts(a, x)]
    if not matching:
        return _graded(0.0, [], right)
    best = max(matching, key=lambda a: a.weight)  # max keeps the first of equals
    return _graded(_clamp(best.weight), [best.feedback], right)


def _pattern(answer_text):
    """A short_text answer as a regular expression: `*` any characters, `\\*` an
    asterisk, everything else literal, letter case ignored."""
    text = unicodedata.normalize("NFC", " ".join(answer_text.split()))
    bits = _UNESCAPED_STARS.split(text)
    literal = [re.escape(bit.replace("\\*", "*")) for bit in bits]
    return re.compile(".*".join(literal), re.IGNORECASE | re.DOTALL)


def _short_text_summary(answer_text):
    bits = _UNESCAPED_STARS.split(" ".join(answer_text.split()))
    return "…".join(bit.replace("\\*", "*") for bit in bits)


def _short_text(question, response):
    right = "; ".join(_short_text_summary(a.text) for a in _best(question.answers))
    text = unicodedata.normalize("NFC", _text(response, "short text"))
    if not text:
        return _empty(right)
    matching = [a for a in question.answers if _pattern(a.text).fullmatch(text)]
    if not matching:
        return _graded(0.0, [], right)
    best = max(matching, key=lambda a: a.weight)
    return _graded(_clamp(best.weight), [best.feedback], right)


def _matching(question, response):
    pairs = {i: a for i, a in enumerate(question.answers) if a.text.strip()}
    right = "; ".join(f"{a.text} → {a.match}" for a in pairs.values())
    if response is None:
        response = {}
    if not isinstance(response, dict):
        raise ResponseError("A matching answer must map each item to its choice.")
    offered = {a.match for a in question.answers}
    given = {}
    for index, chosen in response.items():
        if isinstance(index, bool) or index not in pairs:
            raise ResponseError("There is no such item to match.")
        if chosen is not None and not isinstance(chosen, str):
            raise ResponseError("A matching choice must be text.")
        if chosen and chosen not in offered:
            raise ResponseError("There is no such choice to match.")
        if chosen:
            given[index] = chosen
    if not given:
        return _empty(right)
    right_count = sum(1 for i, chosen in given.items() if chosen == pairs[i].match)
    return _graded(right_count / len(pairs), [], right)


def _essay(question, response):
    if not _text(response, "essay"):
        return _empty("")
    return Grade(0.0, "needs_grading", [], "")


_GRADERS = {
    "single_choice": _single_choice,
    "multiple_choice": _multiple_choice,
    "true_false": _true_false,
    "numeric": _numeric,
    "short_text": _short_text,
    "matching": _matching,
    "essay": _essay,
}
