"""The demo final quizzes shipped as GIFT files: one per demo course, each readable by our
own GIFT reader, of a sensible length, with varied question kinds, titled questions, at
most one essay and multiple-choice weights that add up to a full mark.

Pure: reads the data files only, no Flask, no database.
"""

import json
from collections import Counter
from pathlib import Path

import pytest

from app.assessments.gift import read_gift

ROOT = Path(__file__).resolve().parents[2]
DEMO_COURSES = ROOT / "app" / "courses" / "data" / "demo_courses.json"
DEMO_QUIZZES = ROOT / "app" / "assessments" / "data" / "demo"

COURSES = json.loads(DEMO_COURSES.read_text(encoding="utf-8"))
TITLES = {course["key"]: course["title"] for course in COURSES}


def quiz(key):
    return read_gift((DEMO_QUIZZES / f"{key}.gift").read_bytes())


def test_every_demo_course_is_covered():
    assert len(TITLES) == 8
    assert {path.stem for path in DEMO_QUIZZES.glob("*.gift")} == set(TITLES)


@pytest.mark.parametrize("key", sorted(TITLES))
def test_file_exists_and_parses_completely(key):
    assert (DEMO_QUIZZES / f"{key}.gift").is_file()
    gift = quiz(key)
    assert gift.skipped == []
    assert 8 <= len(gift.questions) <= 12


@pytest.mark.parametrize("key", sorted(TITLES))
def test_questions_are_varied_and_titled(key):
    questions = quiz(key).questions
    kinds = Counter(question.kind for question in questions)
    assert len(kinds) >= 4, kinds
    assert kinds["essay"] <= 1
    for question in questions:
        assert question.title.strip(), f"line {question.line}: question without a title"
        assert question.category == TITLES[key]


@pytest.mark.parametrize("key", sorted(TITLES))
def test_multiple_choice_weights_add_up_to_100(key):
    for question in quiz(key).questions:
        if question.kind == "multiple_choice":
            positive = sum(answer.weight for answer in question.answers if answer.weight > 0)
            assert positive == pytest.approx(100), question.title
