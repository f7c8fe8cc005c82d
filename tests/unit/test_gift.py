"""The GIFT reader and writer: Moodle's types, every construct, errors, round trips."""

from collections import Counter
from dataclasses import asdict
from pathlib import Path

import pytest

from app.assessments.gift import GiftError, read_gift, write_gift
from app.assessments.questions import Answer, Question

DATA = Path(__file__).parent.parent / "data" / "gift"

# Counted by hand from each file (moodle_questions: Moodle's own Behat test imports 9).
EXPECTED = {
    "moodle_examples.gift.txt": {
        "single_choice": 16,
        "multiple_choice": 2,
        "true_false": 5,
        "short_text": 9,
        "numeric": 8,
        "matching": 3,
    },
    "moodle_questions.gift.txt": {
        "essay": 1,
        "matching": 1,
        "single_choice": 1,
        "multiple_choice": 1,
        "numeric": 1,
        "short_text": 1,
        "true_false": 3,
    },
    "moodle_questions_in_category.gift.txt": {
        "matching": 1,
        "single_choice": 1,
        "short_text": 1,
        "true_false": 1,
    },
    "moodle_questions_in_category_crlf_bom.gift.txt": {
        "matching": 1,
        "single_choice": 1,
        "short_text": 1,
        "true_false": 1,
    },
    "pegjs_giftFormatPhpExamples.gift": {
        "single_choice": 4,
        "true_false": 1,
        "short_text": 2,
        "numeric": 2,
        "matching": 1,
    },
    "pegjs_escapeAll.gift": {"single_choice": 1},
}


def one(text):
    questions = read_gift(text).questions
    assert len(questions) == 1
    return questions[0]


def problems(text):
    with pytest.raises(GiftError) as error:
        read_gift(text)
    return error.value.problems


def comparable(questions):
    return [{k: v for k, v in asdict(q).items() if k != "line"} for q in questions]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_files_count_by_type(name):
    gift = read_gift((DATA / name).read_bytes())
    assert dict(Counter(q.kind for q in gift.questions)) == EXPECTED[name]
    assert gift.skipped == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_files_round_trip(name):
    questions = read_gift((DATA / name).read_bytes()).questions
    assert comparable(read_gift(write_gift(questions)).questions) == comparable(questions)


def test_crlf_and_bom_read_like_the_plain_file():
    plain = read_gift((DATA / "moodle_questions_in_category.gift.txt").read_text())
    crlf = read_gift((DATA / "moodle_questions_in_category_crlf_bom.gift.txt").read_bytes())
    assert crlf == plain
    assert [q.line for q in crlf.questions] == [5, 14, 22, 27]


def test_moodle_fixture_as_moodle_reads_it():
    questions = read_gift((DATA / "moodle_questions.gift.txt").read_text()).questions
    essay, match, single, multi, numeric, short, tf_false, tf_t, tf_true = questions
    assert (essay.title, essay.text) == ("Q8", "How are you?")
    assert match.text_format == "html"
    assert [(a.text, a.match) for a in match.answers][-2:] == [
        ("A collection of web pages that anyone can add to or edit.", "Wiki"),
        ("", "Chat"),
    ]
    assert [(a.text, a.weight, a.feedback) for a in single.answers] == [
        ("yellow", 100, "right; good!"),
        ("red", 0, "wrong, it's yellow"),
        ("blue", 0, "wrong, it's yellow"),
    ]
    assert [a.weight for a in multi.answers] == [50, -100, 50, -100]
    assert numeric.answers == [
        Answer(weight=100, value=3, tolerance=2),
        Answer(text="*", weight=0, feedback="Completely wrong"),
    ]
    assert [(a.text, a.weight) for a in short.answers] == [("Frog", 100), ("Cat", 50), ("*", 0)]
    # Moodle: {FALSE#wrong#right}: the first feedback is for the wrong answer (true).
    assert tf_false.correct is False
    assert tf_false.feedback_true == "42 is the Ultimate Answer."
    assert tf_false.feedback_false == "You gave the right answer."
    assert tf_false.general_feedback.startswith("This is, of course")
    assert tf_t.correct is tf_true.correct is True


def test_true_feedbacks_follow_moodle_wrong_then_right():
    q = one("Grass is green.{T#No, look again.#Yes.}")
    assert (q.correct, q.feedback_true, q.feedback_false) == (True, "Yes.", "No, look again.")
    q = one("Snow is black.{FALSE#Wrong.}")
    assert (q.correct, q.feedback_true, q.feedback_false) == (False, "Wrong.", "")


def test_lower_case_true_is_a_short_answer_as_in_moodle():
    assert one("Grass is green.{true}").kind == "short_text"


def test_types_follow_moodle():
    assert one("Q {=a ~%50%b ~c}").kind == "single_choice"
    assert one("Q {~%50%a ~%50%b ~c}").kind == "multiple_choice"
    assert one("Q {=a =b}").kind == "short_text"
    assert one("Q {#1..5}").answers == [Answer(weight=100, low=1, high=5)]
    assert one("Q {=a -> 1 =b -> 2}").kind == "matching"
    assert one("Q {}").kind == "essay"
    assert one("Q {####Read the manual.}").general_feedback == "Read the manual."


def test_weights_negative_and_decimal():
    q = one("Q {~%33.33333%a ~%33.33333%b ~%33.33333%c ~%-25%d}")
    assert [a.weight for a in q.answers] == [33.33333, 33.33333, 33.33333, -25]
    text = write_gift([q])
    assert "~%33.33333%a" in text and "~%-25%d" in text


def test_numeric_answers_with_weights():
    q = one("Year? {#=%100%3:0=%50%3:1}")
    assert q.answers == [Answer(weight=100, value=3), Answer(weight=50, value=3, tolerance=1)]
    assert one("Pi? {#3.14:0.5}").answers == [Answer(weight=100, value=3.14, tolerance=0.5)]


def test_missing_word_keeps_a_blank():
    q = one("Grant is {~buried =entombed ~living} in Grant's tomb.")
    assert q.text == "Grant is _____ in Grant's tomb."
    assert write_gift([q]).startswith("Grant is {")
    assert comparable(read_gift(write_gift([q])).questions) == comparable([q])


def test_description_items_are_skipped_not_questions():
    gift = read_gift("::Intro:: Read this first.\n\nQ {T}\n")
    assert gift.skipped == [(1, "Read this first.")]
    assert [q.line for q in gift.questions] == [3]


def test_titles_comments_and_urls():
    text = "// a comment\n::Web:: See http://example.org/a // not a comment\n{=yes}\n"
    q = one(text)
    assert q.title == "Web"
    assert q.text == "See http://example.org/a // not a comment"
    assert q.line == 2


def test_comment_line_inside_an_answer_block_is_dropped():
    q = one("Q {\n=a\n// between answers\n~b\n}")
    assert [a.text for a in q.answers] == ["a", "b"]


def test_categories_apply_to_following_questions():
    text = (
        "Q0 {T}\n\n$CATEGORY: $course$/top/Datenschutz/Grundlagen\n\nQ1 {T}\n\n"
        "$CATEGORY: $system$/Recht\nQ2 {F}\n"
    )
    questions = read_gift(text).questions
    assert [q.category for q in questions] == ["", "Datenschutz/Grundlagen", "Recht"]
    written = write_gift(questions)
    assert "$CATEGORY: Datenschutz/Grundlagen" in written
    assert [q.category for q in read_gift(written).questions] == [q.category for q in questions]


def test_text_formats_and_prefixes_on_answers_and_feedback():
    q = one("[html]<b>Q</b>{=[plain]a#[html]good ~b####[markdown]**gf**}")
    assert (q.text_format, q.text) == ("html", "<b>Q</b>")
    assert (q.answers[0].text, q.answers[0].feedback) == ("a", "good")
    assert q.general_feedback == "**gf**"
    assert one("[markdown]Who's **there**?{=me}").text_format == "markdown"


def test_escapes_both_ways():
    q = one(r"::a\:b:: 1 \= 1\, \{x\} \~ \# c:\\d\nnew line {=\=}")
    assert q.title == "a:b"
    assert q.text == "1 = 1\\, {x} ~ # c:\\d\nnew line"
    assert q.answers[0].text == "="
    written = write_gift([q])
    assert r"\=" in written and r"\{x\}" in written and r"\n" in written
    assert comparable(read_gift(written).questions) == comparable([q])


def test_questions_over_several_lines_and_blank_lines():
    text = "\n\n::Q:: first line\nsecond line {\n  =a\n  =b\n}\n\n\n::R:: {T}\n"
    first, second = read_gift(text).questions
    assert first.text == "first line\nsecond line"
    assert (first.line, second.line) == (3, 10)


def test_writer_round_trips_every_kind():
    questions = [
        Question(
            "single_choice",
            "Pick",
            title="T: 1",
            answers=[Answer("a", 100, "ok")] + [Answer("%b", 0)],
            category="A/B",
        ),
        Question(
            "multiple_choice",
            "Pick two",
            text_format="html",
            answers=[Answer("[html] x", 50), Answer("y", 50), Answer("z", -100)],
        ),
        Question("short_text", "Say", answers=[Answer("T", 100), Answer("*", 0, "no")]),
        Question(
            "numeric",
            "N",
            answers=[
                Answer(weight=100, value=1.5, tolerance=0.1),
                Answer(weight=50, low=1, high=2),
                Answer("*", 0, "far off"),
            ],
        ),
        Question(
            "true_false",
            "//not a comment",
            correct=False,
            feedback_true="no",
            general_feedback="gf",
            category="A",
        ),
        Question("matching", "M", answers=[Answer("a", match="1"), Answer("", match="2")]),
        Question("essay", "$CATEGORY: not one", general_feedback="gf", category=""),
    ]
    assert comparable(read_gift(write_gift(questions)).questions) == comparable(questions)


def test_unclosed_block_names_its_line():
    assert problems((DATA / "bad_unclosed.gift").read_text()) == [
        (4, "the answer block is not closed: { without }")
    ]


def test_all_problems_of_a_file_are_collected():
    found = problems((DATA / "bad_several.gift").read_text())
    assert [line for line, _ in found] == [3, 5, 7, 11, 14, 16, 18]
    messages = dict(found)
    assert "'three:0.01' is not a number" in messages[3]
    assert messages[5] == "a matching question needs at least two pairs"
    assert "add up to 0%, not 100%" in messages[7]
    assert messages[11] == "a matching pair without ->"
    assert messages[14] == "a closing brace } without an opening {"
    assert messages[16].startswith("a second answer block")
    assert messages[18] == "a choice question needs at least two answers"
    assert messages[3].template.startswith("%(answer)r")  # translatable later


def test_two_questions_without_a_blank_line_are_read_as_two():
    gift = read_gift("::A:: a {T}\n::B:: b {F}\n")
    assert [(q.title, q.line) for q in gift.questions] == [("A", 1), ("B", 2)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Q {#}", "a numeric question without a number"),
        ("Q {#5..1}", "the range 5..1 runs backwards"),
        ("Q {=}", "a short answer without text"),
        ("Q {~%150%a =b}", "the best answer of a single-choice question is worth 150%, not 100%"),
    ],
)
def test_more_problems(text, message):
    assert problems(text) == [(1, message)]


def test_bytes_that_are_not_utf8_name_their_line():
    assert problems("Q {T}\n\nQ \xe4 {F}\n".encode("latin-1")) == [
        (3, "the file is not UTF-8 text")
    ]
