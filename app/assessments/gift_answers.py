"""Reading the answer block of a GIFT question: its kind, answers, weights and feedback.

Pure: no Flask, no database. The type comes from the answer block, in Moodle's order:
`{}` essay, `{#...}` numeric, any `~` choice (single with an `=` answer, multiple without),
`=` with `->` matching, `T`/`TRUE`/`F`/`FALSE` true/false, anything else short text.
gift.py cuts the block out of its question; escaped characters are still placeholders in it
and are turned back here (gift_text.plain).
"""

import re

from app.messages import N_

from .gift_text import plain, with_format
from .questions import Answer

TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}

_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d*)?)%")


def _split(text, start, separators):
    """Pieces of text between separator characters, each with its offset; like Moodle,
    an empty piece before the first separator is dropped. A separator in `keep` stays."""
    pieces, begin = [], 0
    for i, char in enumerate(text):
        if char in separators:
            pieces.append((start + begin, text[begin:i]))
            begin = i if char == "=" and "~" in separators else i + 1
    pieces.append((start + begin, text[begin:]))
    if pieces and not pieces[0][1].strip():
        pieces.pop(0)
    return pieces


def _feedback(text):
    answer, _, feedback = text.partition("#")
    return answer, with_format(feedback)[1]


def _number(text):
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def _format_percent(value):
    return f"{value:g}" if abs(value) < 1e6 else str(value)


class AnswerReader:
    """Fills in questions from their answer blocks; problems go to problem(line, message)."""

    def __init__(self, problem):
        self.problem = problem

    def answers(self, question, block, start, line_at):
        """Fill in the question's kind and answers from its answer block (placeholders
        still in); False after reporting a problem."""
        if not block:
            question.kind = "essay"
            return True
        if block[0] == "#":
            return self.numeric(question, block[1:], start + 1, line_at)
        if "~" in block:
            return self.choice(question, block, start, line_at)
        if "=" in block and "->" in block:
            return self.matching(question, block, start, line_at)
        check = block.partition("#")[0].strip() if block.find("#") > 0 else block
        if check in TRUE_FALSE:
            answer, wrong, right = (block.split("#", 2) + ["", ""])[:3]
            question.kind = "true_false"
            question.correct = TRUE_FALSE[answer.strip()]
            wrong, right = with_format(wrong)[1], with_format(right)[1]
            if question.correct:
                question.feedback_true, question.feedback_false = right, wrong
            else:
                question.feedback_true, question.feedback_false = wrong, right
            return True
        return self.short_text(question, block, start, line_at)

    def choice(self, question, block, start, line_at):
        question.kind = "single_choice" if "=" in block else "multiple_choice"
        pieces = _split(block, start, "~=")
        if len(pieces) < 2:
            self.problem(line_at(start), N_("a choice question needs at least two answers"))
            return False
        for _, piece in pieces:
            piece = piece.strip()
            if piece.startswith("="):
                weight, piece = 100.0, piece[1:]
            else:
                weight, piece = self.weight(piece)
            text, feedback = _feedback(piece)
            answer_text = with_format(text)[1]
            question.answers.append(Answer(text=answer_text, weight=weight, feedback=feedback))
        weights = [answer.weight for answer in question.answers]
        if question.kind == "single_choice" and max(weights) != 100:
            self.problem(
                line_at(start),
                N_(
                    "the best answer of a single-choice question is worth %(weight)s%%, not 100%%",
                    weight=_format_percent(max(weights)),
                ),
            )
            return False
        total = sum(weight for weight in weights if weight > 0)
        if question.kind == "multiple_choice" and round(total / 100, 2) != 1:
            self.problem(
                line_at(start),
                N_(
                    "the positive weights of a multiple-choice question add up to "
                    "%(total)s%%, not 100%% (mark the one right answer with =)",
                    total=_format_percent(total),
                ),
            )
            return False
        return True

    def matching(self, question, block, start, line_at):
        question.kind = "matching"
        pieces = _split(block, start, "=")
        ok = True
        for offset, piece in pieces:
            left, arrow, right = piece.partition("->")
            if not arrow:
                self.problem(line_at(offset), N_("a matching pair without ->"))
                ok = False
                continue
            answer = Answer(text=with_format(left)[1], match=plain(right).strip())
            question.answers.append(answer)
        if ok and len(pieces) < 2:
            self.problem(line_at(start), N_("a matching question needs at least two pairs"))
            ok = False
        return ok

    def short_text(self, question, block, start, line_at):
        question.kind = "short_text"
        for offset, piece in _split(block, start, "="):
            weight, piece = self.weight(piece.strip(), default=100.0)
            text, feedback = _feedback(piece)
            text = with_format(text)[1]
            if not text:
                self.problem(line_at(offset), N_("a short answer without text"))
                return False
            question.answers.append(Answer(text=text, weight=weight, feedback=feedback))
        return True

    def numeric(self, question, block, start, line_at):
        question.kind = "numeric"
        block, tilde, wrong = block.partition("~")
        pieces = _split(block, start, "=")
        if not pieces:
            self.problem(line_at(start), N_("a numeric question without a number"))
            return False
        ok = True
        for offset, piece in pieces:
            weight, piece = self.weight(piece.strip(), default=100.0)
            text, feedback = _feedback(piece)
            answer = self.numeric_answer(plain(text).strip(), line_at(offset))
            if answer is None:
                ok = False
                continue
            answer.weight, answer.feedback = weight, feedback
            question.answers.append(answer)
        if tilde:
            question.answers.append(Answer(text="*", feedback=_feedback(wrong)[1]))
        return ok

    def numeric_answer(self, text, line):
        if text == "*":
            return Answer(text="*")
        if text.find("..") > 0:
            low, _, high = text.partition("..")
            low, high = _number(low.strip()), _number(high.strip())
            if low is not None and high is not None:
                if low > high:
                    self.problem(line, N_("the range %(range)s runs backwards", range=text))
                    return None
                return Answer(low=low, high=high)
        elif text.find(":") > 0:
            value, _, tolerance = text.partition(":")
            value, tolerance = _number(value.strip()), _number(tolerance.strip())
            if value is not None and tolerance is not None:
                return Answer(value=value, tolerance=abs(tolerance))
        elif _number(text) is not None:
            return Answer(value=_number(text))
        self.problem(
            line,
            N_("%(answer)r is not a number, a number:tolerance or a range low..high", answer=text),
        )
        return None

    @staticmethod
    def weight(piece, default=0.0):
        match = _WEIGHT.match(piece)
        if match:
            return float(match.group(1)), piece[match.end() :]
        return default, piece
