"""Reading Moodle GIFT files into Questions, with the question types Moodle's importer gives.

Pure: no Flask, no database. The rules follow Moodle's own importer (qformat_gift):
questions are blocks separated by blank lines; a line whose first characters are `//` is a
comment (so `//` inside a URL in the text is not); `$CATEGORY:` sets the category of the
questions that follow. Here: the file, its categories and how it splits into questions,
each with title, text and answer block. The answer block, which gives the type and the
answers, is read in gift_answers.py; escapes and the `[format]` prefix are in gift_text.py.

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

from .gift_answers import TRUE_FALSE, AnswerReader
from .gift_text import escape_line, plain, with_format
from .gift_writer import BLANK, write_gift
from .questions import Question

__all__ = ["BLANK", "TRUE_FALSE", "GiftError", "GiftFile", "read_gift", "write_gift"]

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


class _Reader:
    def __init__(self):
        self.questions, self.skipped, self.problems = [], [], []
        self.category = ""
        self.answer_reader = AnswerReader(self.problem)

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
        text = "\n".join(escape_line(line) for _, line in lines)

        def line_at(position):
            return lines[bisect.bisect_right(starts, position) - 1][0]

        first = lines[0][0]
        title, body = "", 0
        if text.startswith("::"):
            end = text.find("::", 2)
            if end < 0:
                body = 2  # as Moodle: no title, the text starts after the `::`
            else:
                title, body = plain(text[2:end]).strip(), end + 2
        opening, closing = text.find("{", body), text.find("}", body)
        if opening < 0 and closing < 0:
            self.skipped.append((first, with_format(text[body:])[1]))
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
        text_format, question_text = with_format(question_text)
        block = text[opening + 1 : closing]
        general = block.rfind("####")
        general_feedback = ""
        if general >= 0:
            general_feedback = with_format(block[general + 4 :])[1]
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
        if self.answer_reader.answers(question, stripped, start, line_at):
            self.questions.append(question)
        return remaining
