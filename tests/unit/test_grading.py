"""Grading rules per question kind, with the edge cases of the issue."""

import pytest

from app.assessments.grading import (
    Grade,
    ResponseError,
    attempt_score,
    grade,
    grade_essay,
    parse_number,
    score_by_competence,
)
from app.assessments.questions import Answer, Question


def choice(kind, *answers):
    return Question(kind, "?", answers=[Answer(t, w, f) for t, w, f in answers])


def numeric(*answers):
    return Question("numeric", "?", answers=list(answers))


def short(*answers):
    return Question("short_text", "?", answers=[Answer(t, w, f) for t, w, f in answers])


def matching(*pairs):
    return Question("matching", "?", answers=[Answer(text=a, match=b) for a, b in pairs])


CAPITAL = choice(
    "single_choice",
    ("Berlin", 100, "Richtig."),
    ("Bonn", 50, "Bis 1990."),
    ("Paris", -50, "Das ist Frankreich."),
    ("Wien", 0, ""),
)


# single choice


def test_single_choice_right_answer_is_correct_with_its_feedback():
    g = grade(CAPITAL, 0)
    assert g == Grade(1.0, "correct", ["Richtig."], "Berlin")


def test_single_choice_half_weight_is_partial():
    assert (grade(CAPITAL, 1).fraction, grade(CAPITAL, 1).state) == (0.5, "partial")


def test_single_choice_negative_weight_never_below_zero():
    g = grade(CAPITAL, 2)
    assert (g.fraction, g.state, g.feedback) == (0.0, "wrong", ["Das ist Frankreich."])


def test_single_choice_empty_feedback_is_left_out():
    assert grade(CAPITAL, 3).feedback == []


def test_single_choice_no_choice_is_empty():
    assert grade(CAPITAL, None) == Grade(0.0, "empty", [], "Berlin")


@pytest.mark.parametrize("response", [4, -1, True, "0", 0.0, [0]])
def test_single_choice_rejects_wrong_shapes(response):
    with pytest.raises(ResponseError):
        grade(CAPITAL, response)


# multiple choice

COLOURS = choice(
    "multiple_choice",
    ("Rot", 50, "Rot ist dabei."),
    ("Blau", 50, ""),
    ("Grün", 50, "Grün auch."),
    ("Gelb", -100, "Gelb nicht."),
    ("Lila", -25, ""),
)


def test_multiple_choice_all_right_is_correct():
    g = grade(COLOURS, [0, 1])
    assert (g.fraction, g.state) == (1.0, "correct")
    assert g.right_answer == "Rot; Blau; Grün"


def test_multiple_choice_one_of_two_is_partial():
    g = grade(COLOURS, {2})
    assert (g.fraction, g.state, g.feedback) == (0.5, "partial", ["Grün auch."])


def test_multiple_choice_over_100_percent_is_capped():
    assert grade(COLOURS, [0, 1, 2]).fraction == 1.0  # 150 %


def test_multiple_choice_negative_weights_subtract():
    assert grade(COLOURS, (0, 1, 4)).fraction == 0.75


def test_multiple_choice_negative_sum_never_below_zero():
    g = grade(COLOURS, [0, 3, 4])
    assert (g.fraction, g.state) == (0.0, "wrong")
    assert g.feedback == ["Rot ist dabei.", "Gelb nicht."]


def test_multiple_choice_all_wrong():
    assert grade(COLOURS, [3]).state == "wrong"


@pytest.mark.parametrize("response", [None, [], set()])
def test_multiple_choice_nothing_chosen_is_empty(response):
    assert grade(COLOURS, response).state == "empty"


@pytest.mark.parametrize("response", [0, "0,1", [0, 0], [5], [True], {0: 1}])
def test_multiple_choice_rejects_wrong_shapes(response):
    with pytest.raises(ResponseError):
        grade(COLOURS, response)


# true / false

TRUE = Question("true_false", "?", correct=True, feedback_true="Ja.", feedback_false="Nein.")


def test_true_false_right():
    assert grade(TRUE, True) == Grade(1.0, "correct", ["Ja."], "true")


def test_true_false_wrong_gets_the_feedback_of_the_answer_given():
    assert grade(TRUE, False) == Grade(0.0, "wrong", ["Nein."], "true")


def test_true_false_false_is_right_when_the_statement_is_false():
    question = Question("true_false", "?", correct=False)
    assert grade(question, False).state == "correct"
    assert grade(question, False).right_answer == "false"


def test_true_false_no_answer_is_empty():
    assert grade(TRUE, None).state == "empty"


@pytest.mark.parametrize("response", [1, "true", "wahr", 0])
def test_true_false_rejects_wrong_shapes(response):
    with pytest.raises(ResponseError):
        grade(TRUE, response)


# numeric

PI = numeric(
    Answer(value=3.14, tolerance=0.01, weight=100, feedback="Genau."),
    Answer(value=3, tolerance=0.5, weight=50, feedback="Ungefähr."),
)


def test_numeric_best_weight_wins_among_matching_answers():
    assert grade(PI, "3.14").fraction == 1.0
    assert grade(PI, "3,141").feedback == ["Genau."]


def test_numeric_best_weight_wins_whatever_the_order():
    question = numeric(PI.answers[1], PI.answers[0])
    assert grade(question, "3.14").fraction == 1.0


def test_numeric_only_the_wider_answer_is_partial():
    g = grade(PI, "2.8")
    assert (g.fraction, g.state, g.feedback) == (0.5, "partial", ["Ungefähr."])


def test_numeric_all_wrong():
    assert grade(PI, "4") == Grade(0.0, "wrong", [], "3.14 ± 0.01")


def test_numeric_catch_all_gives_its_feedback_to_any_other_number():
    """Moodle's answer `*` (GIFT's `~#feedback`) matches every number; the best weight
    still wins, so a right number keeps its own feedback."""
    question = numeric(*PI.answers, Answer(text="*", weight=0, feedback="Denken Sie an Kreise."))
    assert grade(question, "4") == Grade(0.0, "wrong", ["Denken Sie an Kreise."], "3.14 ± 0.01")
    assert grade(question, "3.14").feedback == ["Genau."]
    assert grade(question, "drei").feedback == []  # not a number: nothing matches
    worth = numeric(PI.answers[0], Answer(text="*", weight=10, feedback="Immerhin."))
    assert (grade(worth, "-7").fraction, grade(worth, "-7").state) == (0.1, "partial")


@pytest.mark.parametrize("typed", ["3.5", "2.5", "2,5", " 3 , 5 "])
def test_numeric_tolerance_borders_count(typed):
    question = numeric(Answer(value=3, tolerance=0.5, weight=100))
    assert grade(question, typed).state == "correct"


@pytest.mark.parametrize("typed", ["3.500001", "2.499999"])
def test_numeric_just_outside_the_tolerance_does_not(typed):
    question = numeric(Answer(value=3, tolerance=0.5, weight=100))
    assert grade(question, typed).state == "wrong"


def test_numeric_float_error_at_the_border_still_counts():
    assert grade(numeric(Answer(value=0.1 + 0.2, weight=100)), "0,3").state == "correct"
    assert grade(numeric(Answer(value=0.3, tolerance=0.1, weight=100)), "0.4").state == "correct"
    assert grade(numeric(Answer(value=0.3, tolerance=0.1, weight=100)), "0.2").state == "correct"


def test_numeric_slack_is_relative_so_tiny_values_stay_apart():
    question = numeric(Answer(value=1e-15, weight=100))
    assert grade(question, "1e-15").state == "correct"
    assert grade(question, "2e-15").state == "wrong"


def test_numeric_range_borders_count_and_outside_does_not():
    question = numeric(Answer(low=1.5, high=2.5, weight=100))
    assert [grade(question, x).state for x in ("1.5", "2,5", "2", "1.49", "2.51")] == [
        "correct",
        "correct",
        "correct",
        "wrong",
        "wrong",
    ]
    assert grade(question, "2").right_answer == "1.5..2.5"


def test_numeric_negative_weight_never_below_zero():
    question = numeric(
        Answer(value=42, weight=100), Answer(value=24, weight=-50, feedback="Dreher.")
    )
    assert grade(question, "24") == Grade(0.0, "wrong", ["Dreher."], "42")


@pytest.mark.parametrize(
    "typed", ["drei", "3,5.1", "1.000,5", "3,5,1", "inf", "nan", "1_000", "--3"]
)
def test_numeric_not_a_number_is_wrong_not_an_error(typed):
    assert grade(PI, typed).state == "wrong"


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_numeric_empty(typed):
    assert grade(PI, typed).state == "empty"


def test_numeric_rejects_a_number_instead_of_the_text_typed():
    with pytest.raises(ResponseError):
        grade(PI, 3.14)


@pytest.mark.parametrize(
    ("typed", "value"),
    [("3,5", 3.5), ("3.5", 3.5), ("-0,5", -0.5), ("\u22123", -3.0), ("1 000", 1000.0)],
)
def test_parse_number_accepts_comma_point_and_spaces(typed, value):
    assert parse_number(typed) == value


def test_parse_number_accepts_exponents_and_leading_point():
    assert parse_number("1,5e3") == 1500.0
    assert parse_number(",5") == 0.5


# short text

CITY = short(("Berlin", 100, "Richtig."), ("Berl*", 50, "Fast."), ("*", 0, "Leider nicht."))


def test_short_text_exact_answer_is_correct():
    assert grade(CITY, "Berlin") == Grade(1.0, "correct", ["Richtig."], "Berlin")


def test_short_text_ignores_case_and_surrounding_and_repeated_whitespace():
    assert grade(CITY, "  bERLIN ").state == "correct"
    assert grade(short(("New York", 100, "")), "new   york").state == "correct"


def test_short_text_wildcard_gives_partial_credit():
    assert (grade(CITY, "Berliner").fraction, grade(CITY, "Berliner").feedback) == (0.5, ["Fast."])


def test_short_text_catch_all_gives_its_feedback_when_nothing_else_matches():
    assert grade(CITY, "Hamburg") == Grade(0.0, "wrong", ["Leider nicht."], "Berlin")


def test_short_text_wildcard_in_the_middle_and_runs_of_stars():
    question = short(("Bundes**amt", 100, ""))
    assert grade(question, "Bundesverwaltungsamt").state == "correct"
    assert grade(question, "Bundesamt").state == "correct"
    assert grade(question, "Bundesamtes").state == "wrong"


def test_short_text_escaped_star_is_a_literal_asterisk():
    question = short((r"a\*b", 100, ""))
    assert grade(question, "a*b").state == "correct"
    assert grade(question, "axb").state == "wrong"
    assert grade(question, "a*b").right_answer == "a*b"


def test_short_text_other_regex_characters_are_literal():
    question = short(("C++ (ISO)", 100, ""), ("a.c", 100, ""))
    assert grade(question, "c++ (iso)").state == "correct"
    assert grade(question, "abc").state == "wrong"


def test_short_text_right_answer_shows_wildcards_as_ellipsis():
    assert grade(short(("Berl*", 100, "")), "x").right_answer == "Berl…"


def test_short_text_unicode_case():
    assert grade(short(("ärger", 100, "")), "ÄRGER").state == "correct"
    assert grade(short(("Straße", 100, "")), "STRAẞE").state == "correct"
    assert grade(short(("ΟΔΟΣ", 100, "")), "οδος").state == "correct"


def test_short_text_sharp_s_is_not_ss():
    # Case-insensitive, not spelling-insensitive: as in Moodle, unlike str.casefold.
    assert grade(short(("Straße", 100, "")), "STRASSE").state == "wrong"
    assert grade(short(("Straße", 100, "")), "Strasse").state == "wrong"


def test_short_text_turkish_dotted_capital_i_matches_plain_i():
    assert grade(short(("İstanbul", 100, "")), "istanbul").state == "correct"


def test_short_text_composed_and_decomposed_letters_match():
    decomposed = "A\u0308rger"  # A + combining diaeresis
    assert grade(short(("Ärger", 100, "")), decomposed).state == "correct"
    assert grade(short((decomposed, 100, "")), "ärger").state == "correct"


def test_short_text_negative_weight_never_below_zero():
    question = short(("Berlin", 100, ""), ("Bonn", -50, "Nicht mehr."))
    assert grade(question, "bonn") == Grade(0.0, "wrong", ["Nicht mehr."], "Berlin")


@pytest.mark.parametrize("typed", ["", "  \t ", None])
def test_short_text_empty(typed):
    assert grade(CITY, typed).state == "empty"


def test_short_text_zero_is_an_answer():
    assert grade(short(("0", 100, "")), "0").state == "correct"


@pytest.mark.parametrize("response", [1, ["Berlin"], b"Berlin"])
def test_short_text_rejects_wrong_shapes(response):
    with pytest.raises(ResponseError):
        grade(CITY, response)


# matching

ANIMALS = matching(("Katze", "miaut"), ("Hund", "bellt"), ("Kuh", "muht"), ("", "quakt"))


def test_matching_all_right():
    g = grade(ANIMALS, {0: "miaut", 1: "bellt", 2: "muht"})
    assert (g.fraction, g.state) == (1.0, "correct")
    assert g.right_answer == "Katze → miaut; Hund → bellt; Kuh → muht"


def test_matching_partial_credit_per_pair():
    g = grade(ANIMALS, {0: "miaut", 1: "muht", 2: "bellt"})
    assert (g.fraction, g.state) == (pytest.approx(1 / 3), "partial")


def test_matching_unanswered_pairs_count_as_wrong():
    assert grade(ANIMALS, {0: "miaut", 1: None, 2: ""}).fraction == pytest.approx(1 / 3)


def test_matching_distractor_is_offered_but_not_a_pair():
    g = grade(ANIMALS, {0: "quakt", 1: "quakt", 2: "quakt"})
    assert (g.fraction, g.state) == (0.0, "wrong")


@pytest.mark.parametrize("response", [None, {}, {0: None, 1: ""}])
def test_matching_nothing_given_is_empty(response):
    assert grade(ANIMALS, response).state == "empty"


@pytest.mark.parametrize(
    "response",
    [
        ["miaut", "bellt", "muht"],
        {3: "quakt"},
        {5: "miaut"},
        {"0": "miaut"},
        {0: "wiehert"},
        {0: 1},
    ],
)
def test_matching_rejects_wrong_shapes(response):
    with pytest.raises(ResponseError):
        grade(ANIMALS, response)


# essay

ESSAY = Question("essay", "Beschreiben Sie ...")


def test_essay_waits_for_a_trainer():
    assert grade(ESSAY, "Mein Text") == Grade(0.0, "needs_grading", [], "")


def test_essay_empty():
    assert grade(ESSAY, "  ").state == "empty"


def test_essay_rejects_wrong_shapes():
    with pytest.raises(ResponseError):
        grade(ESSAY, ["Mein Text"])


@pytest.mark.parametrize(("score", "state"), [(1, "correct"), (0.6, "partial"), (0, "wrong")])
def test_essay_grade_state_follows_the_score(score, state):
    g = grade_essay(score, "  Gut begründet. ")
    assert (g.fraction, g.state, g.feedback) == (score, state, ["Gut begründet."])


@pytest.mark.parametrize("justification", ["", "   ", None])
def test_essay_grade_requires_a_justification(justification):
    with pytest.raises(ResponseError, match="justification"):
        grade_essay(0.5, justification)


@pytest.mark.parametrize("score", [-0.1, 1.01, float("nan"), True, "0.5", None])
def test_essay_grade_requires_a_score_between_0_and_1(score):
    with pytest.raises(ResponseError):
        grade_essay(score, "Begründung")


# scores


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown question kind"):
        grade(Question("cloze", "?"), None)


def test_attempt_score_weights_each_fraction_by_its_mark():
    grades = [Grade(1.0, "correct"), Grade(0.5, "partial"), Grade(0.0, "needs_grading")]
    assert attempt_score(grades, [2, 4, 4]) == (4.0, 10, 40.0)


def test_attempt_score_rounds_away_float_noise():
    grades = [Grade(0.1, "partial"), Grade(0.2, "partial")]
    assert attempt_score(grades, [1, 1]) == (0.3, 2, 15.0)


def test_attempt_score_without_marks_is_zero_percent():
    assert attempt_score([], []) == (0, 0, 0.0)


def test_attempt_score_needs_one_mark_per_grade():
    with pytest.raises(ValueError):
        attempt_score([Grade(1.0, "correct")], [1, 2])


def test_score_by_competence_sums_per_competence():
    items = [("1.1", 1.0, 2), ("2.3", 0.0, 1), ("1.1", 0.5, 2), ("2.3", 1.0, 3), ("4.1", 1.0, 0)]
    assert score_by_competence(items) == {"1.1": 75.0, "2.3": 75.0}


def test_score_by_competence_rejects_negative_marks():
    with pytest.raises(ValueError):
        score_by_competence([("1.1", 1.0, -1)])
