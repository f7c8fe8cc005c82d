"""Writing Questions as Moodle GIFT text that reads back (gift.read_gift) to the same questions.

Pure: no Flask, no database. The layout follows Moodle's own exporter: one answer a line,
`=` for the right answer of a single-choice question, `~%w%` for weighted choices,
`=%w%` for short and numeric answers, `{TRUE#wrong feedback#right feedback}`.
"""

import re

from .questions import TEXT_FORMATS

BLANK = "_____"  # where a missing-word question's answer block stood
_SPECIAL = str.maketrans({c: "\\" + c for c in "\\~=#{}:"} | {"\n": "\\n", "\r": ""})
_FORMAT_PREFIX = re.compile(r"\[(\w+)\]")


def write_gift(questions):
    """GIFT text of the questions, with a `$CATEGORY:` line wherever the category changes."""
    parts, category = [], ""
    for question in questions:
        if question.category != category:
            category = question.category
            # `top` is Moodle's root category: it reads back as no category.
            parts.append(f"$CATEGORY: {' '.join(category.split()) or 'top'}\n")
        parts.append(_question(question))
    return "\n".join(parts)


def escape(text):
    return text.translate(_SPECIAL)


def _number(value):
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _needs_prefix(text):
    """Text that would read back differently without a format prefix: one that itself
    begins like a prefix, or like a comment or category line."""
    match = _FORMAT_PREFIX.match(text)
    starts = text.startswith(("//", "$CATEGORY:"))
    return bool(match and match.group(1) in TEXT_FORMATS) or starts


def _text(text, text_format):
    """Question text: the format prefix when not moodle (or when needed), then the text."""
    needs = text_format != "moodle" or _needs_prefix(text)
    return (f"[{text_format}]" if needs else "") + escape(text)


def _part(text, text_format):
    """An answer or feedback: read in the question's format unless a prefix says other."""
    return (f"[{text_format}]" if _needs_prefix(text) else "") + escape(text)


def _feedback(feedback, text_format):
    return "#" + _part(feedback, text_format) if feedback else ""


def _question(question):
    head = f"::{escape(question.title)}::" if question.title else ""
    text_format = question.text_format
    body = _text(question.text, text_format)
    before, after = body, ""
    blank = body.find(BLANK)
    if blank >= 0 and body[blank + len(BLANK) :].strip():
        before, after = body[:blank], body[blank + len(BLANK) :]
    general = ""
    if question.general_feedback:
        general = "####" + _part(question.general_feedback, text_format)
    block = _BLOCKS[question.kind](question)
    if block.endswith("\n") and general:
        block += f"\t{general}\n"
    else:
        block += general
    return f"{head}{before}{{{block}}}{after}\n"


def _choice(question):
    lines = []
    single = question.kind == "single_choice"
    for answer in question.answers:
        if single and answer.weight == 100:
            marker = "="
        elif answer.weight == 0 and not answer.text.startswith("%"):
            marker = "~"
        else:
            marker = f"~%{_number(answer.weight)}%"
        text = _part(answer.text, question.text_format)
        lines.append(f"\t{marker}{text}{_feedback(answer.feedback, question.text_format)}\n")
    return "\n" + "".join(lines)


def _short_text(question):
    lines = []
    for answer in question.answers:
        text = _part(answer.text, question.text_format)
        feedback = _feedback(answer.feedback, question.text_format)
        lines.append(f"\t=%{_number(answer.weight)}%{text}{feedback}\n")
    return "\n" + "".join(lines)


def _numeric(question):
    lines = []
    answers = list(question.answers)
    # Moodle reads everything after a `~` as the feedback for any other number.
    other = answers.pop() if answers and _catch_all(answers[-1], last=True) else None
    for answer in answers:
        if answer.text == "*":
            number = "*"
        elif answer.low is not None and answer.high is not None:
            number = f"{_number(answer.low)}..{_number(answer.high)}"
        else:
            number = f"{_number(answer.value)}:{_number(answer.tolerance)}"
        feedback = _feedback(answer.feedback, question.text_format)
        lines.append(f"\t=%{_number(answer.weight)}%{number}{feedback}\n")
    if other is not None:
        lines.append(f"\t~{_feedback(other.feedback, question.text_format) or '#'}\n")
    return "#\n" + "".join(lines)


def _catch_all(answer, last):
    return last and answer.text == "*" and answer.weight == 0


def _true_false(question):
    answer = "TRUE" if question.correct else "FALSE"
    right, wrong = question.feedback_true, question.feedback_false
    if not question.correct:
        right, wrong = wrong, right
    block = answer
    if wrong or right:
        block += "#" + _part(wrong, question.text_format) if wrong else "#"
    if right:
        block += "#" + _part(right, question.text_format)
    return block


def _matching(question):
    lines = []
    for answer in question.answers:
        left = _part(answer.text, question.text_format)
        lines.append(f"\t={left} -> {escape(answer.match)}\n")
    return "\n" + "".join(lines)


_BLOCKS = {
    "single_choice": _choice,
    "multiple_choice": _choice,
    "short_text": _short_text,
    "numeric": _numeric,
    "true_false": _true_false,
    "matching": _matching,
    "essay": lambda question: "",
}
