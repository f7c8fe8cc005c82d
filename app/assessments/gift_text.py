"""GIFT text below the question level: escaped control characters and the `[format]` prefix.

Pure: no Flask, no database. Shared by the question reader (gift.py) and the answer-block
reader (gift_answers.py). Escaped control characters are swapped for private-use characters
while parsing, as Moodle swaps them for placeholders, and turned back at the end.
"""

import re

from .questions import TEXT_FORMATS

_ESCAPES = {":": "\ue000", "#": "\ue001", "=": "\ue002", "{": "\ue003", "}": "\ue004"}
_ESCAPES |= {"~": "\ue005", "n": "\ue006"}
_UNESCAPE = {code: ("\n" if char == "n" else char) for char, code in _ESCAPES.items()}


def escape_line(line):
    """The line with each escaped control character (`\\:`, `\\{`, ...) as its placeholder."""
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


def plain(text):
    """The text with its placeholders turned back into the characters they stand for."""
    return "".join(_UNESCAPE.get(char, char) for char in text)


def with_format(text, default="moodle"):
    """Moodle's parse_text_with_format: an optional `[html]` prefix, then the text."""
    text = text.strip()
    match = re.match(r"\[(\w+)\]", text)
    if match and match.group(1) in TEXT_FORMATS:
        return match.group(1), plain(text[match.end() :]).strip()
    return default, plain(text).strip()
