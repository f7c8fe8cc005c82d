"""Reading Moodle GIFT files into Questions, with the question types Moodle's importer gives.

Pure: no Flask, no database. The rules follow Moodle's own importer (qformat_gift):
questions are blocks separated by blank lines; a line whose first characters are `//` is a
comment (so `//` inside a URL in the text is not); `$CATEGORY:` sets the category of the
questions that follow. The type comes from the answer block, in Moodle's order: `{}` essay,
`{#...}` numeric, any `~` choice (single with an `=` answer, multiple without), `=` with
`->` matching, `T`/`TRUE`/`F`/`FALSE` true/false, anything else short text.

Where Moodle would silently import nonsense, we report a problem instead: a second answer
block on the line where one closed. Where a block runs on after its answer block on the
next line into another answer block (two questions with no blank line between them), we
read two questions. A `$CATEGORY:` line ends at its line end (Moodle reads the rest of the
block into the name). Problems of the whole file are collected, then raised together.
"""

import bisect
import re
from dataclasses import dataclass, field

from app.messages import N_

from .gift_writer import BLANK, write_gift
from .questions import TEXT_FORMATS, Answer, Question

__all__ = ["BLANK", "GiftError", "GiftFile", "read_gift", "write_gift"]

TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}

# Escaped control characters are swapped for private-use characters while parsing, as
# Moodle swaps them for placeholders, and turned back at the end.
_ESCAPES = {":": "\ue000", "#": "\ue001", "=": "\ue002", "{": "\ue003", "}": "\ue004"}
_ESCAPES |= {"~": "\ue005", "n": "\ue006"}
_UNESCAPE = {code: ("\n" if char == "n" else char) for char, code in _ESCAPES.items()}
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d*)?)%")
_CONTEXT = re.compile(r"^\$[a-z]+\$(/|$)")


class GiftError(ValueError):
    """A GIFT file that cannot be read; problems is [(line, message)], first line = 1."""

    def __init__(self, problems):
        self.problems = sorted(problems, key=lambda problem: problem[0])
        super().__init__("; ".join(f"line {line}: {msg}" for line, msg in self.problems))


@dataclass
class GiftFile:
    questions: list = field(default_factory=list)  # [Question]
    skipped: list = field(default_factory=list)  # [(line, text)]: description items


def read_gift(source):
    """Read GIFT text or bytes (UTF-8, with or without BOM; LF, CRLF or CR)."""
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8")
        except UnicodeDecodeError as error:
            line = source[: error.start].count(b"\n") + 1
            raise GiftError([(line, N_("the file is not UTF-8 text"))]) from None
    text = source.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    reader = _Reader()
    block = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            block.append((number, line.strip()))
        elif block:
            reader.block(block)
            block = []
    if block:
        reader.block(block)
    if reader.problems:
        raise GiftError(reader.problems)
    return GiftFile(reader.questions, reader.skipped)


def category_path(raw):
    """`$course$/top/Safety/Basics` -> `Safety/Basics`: the context and Moodle's `top`
    category are where the bank puts it anyway, so only the path below them is kept."""
    path = _CONTEXT.sub("", raw.strip())
    names = [name.strip() for name in path.split("/")]
    if names and names[0] == "top":
        names = names[1:]
    return "/".join(name for name in names if name)


def _escape_line(line):
    out, i = [], 0
    while i < len(line):
        char = line[i]
        if char == "\\" and i + 1 < len(line):
            following = line[i + 1]
            if following == "\\":
                out.append("\\")
                i += 2
                continue
            if following in _ESCAPES:
                out.append(_ESCAPES[following])
                i += 2
                continue
        out.append(char)
        i += 1
    return "".join(out)


def _plain(text):
    return "".join(_UNESCAPE.get(char, char) for char in text)


def _with_format(text, default="moodle"):
    """Moodle's parse_text_with_format: an optional `[html]` prefix, then the text."""
    text = text.strip()
    match = re.match(r"\[(\w+)\]", text)
    if match and match.group(1) in TEXT_FORMATS:
        return match.group(1), _plain(text[match.end() :]).strip()
    return default, _plain(text).strip()


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
    return answer, _with_format(feedback)[1]


def _number(text):
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def _format_percent(value):
    return f"{value:g}" if abs(value) < 1e6 else str(value)


class _Reader:
    def __init__(self):
        self.questions, self.skipped, self.problems = [], [], []
        self.category = ""

    def problem(self, line, message):
        self.problems.append((line, message))

    def block(self, lines):
        lines = [(number, line) for number, line in lines if not line.startswith("//")]
        while lines and lines[0][1].startswith("$CATEGORY:"):
            self.category = category_path(lines[0][1][len("$CATEGORY:") :])
            lines = lines[1:]
        while lines:
            lines = self.question(lines)

    def question(self, lines):
        """Read one question from the lines; returns the lines left for the next one."""
        starts, offset = [], 0
        for _, line in lines:
            starts.append(offset)
            offset += len(line) + 1
        text = "\n".join(_escape_line(line) for _, line in lines)

        def line_at(position):
            return lines[bisect.bisect_right(starts, position) - 1][0]

        first = lines[0][0]
        title, body = "", 0
        if text.startswith("::"):
            end = text.find("::", 2)
            if end < 0:
                body = 2  # as Moodle: no title, the text starts after the `::`
            else:
                title, body = _plain(text[2:end]).strip(), end + 2
        opening, closing = text.find("{", body), text.find("}", body)
        if opening < 0 and closing < 0:
            self.skipped.append((first, _with_format(text[body:])[1]))
            return []
        if closing < 0:
            self.problem(line_at(opening), N_("the answer block is not closed: { without }"))
            return []
        if opening < 0 or closing < opening:
            self.problem(line_at(closing), N_("a closing brace } without an opening {"))
            return []
        rest = text[closing + 1 :]
        newline = rest.find("\n")
        tail, remaining = rest, []
        if "{" in rest or "}" in rest:
            braces = [i for i in (rest.find("{"), rest.find("}")) if i >= 0]
            if newline < 0 or min(braces) < newline:
                self.problem(
                    line_at(closing),
                    N_("a second answer block: put each question in its own paragraph"),
                )
                return []
            tail = rest[:newline]
            remaining = lines[bisect.bisect_right(starts, closing + 1 + newline) :]
        before = text[body:opening]
        question_text = before + (BLANK + tail if tail.strip() else "")
        text_format, question_text = _with_format(question_text)
        block = text[opening + 1 : closing]
        general = block.rfind("####")
        general_feedback = ""
        if general >= 0:
            general_feedback = _with_format(block[general + 4 :])[1]
            block = block[:general]
        question = Question(
            kind="",
            text=question_text,
            title=title,
            text_format=text_format,
            general_feedback=general_feedback,
            category=self.category,
            line=first,
        )
        stripped = block.strip()
        start = opening + 1 + block.find(stripped) if stripped else opening + 1
        if self.answers(question, stripped, start, line_at):
            self.questions.append(question)
        return remaining

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
            wrong, right = _with_format(wrong)[1], _with_format(right)[1]
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
            answer_text = _with_format(text)[1]
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
            answer = Answer(text=_with_format(left)[1], match=_plain(right).strip())
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
            text = _with_format(text)[1]
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
            answer = self.numeric_answer(_plain(text).strip(), line_at(offset))
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
