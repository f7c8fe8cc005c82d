"""Company closures (Betriebsferien, Brückentage) as the project form writes them, one per
line: ``24.12.2026 - 01.01.2027 Betriebsferien`` or a single day ``02.10.2026 Brückentag``.
Dates as 24.12.2026 or 2026-12-24; the label is optional.

Pure: no Flask, no database. Problems are app.messages.N_ messages naming the line.
"""

import re
from datetime import date

from app.messages import N_

_DATE = r"\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{1,2}-\d{1,2}"
_LINE = re.compile(
    rf"(?P<first>{_DATE})(?:\s*(?:-|\u2013|bis|to)\s*(?P<last>{_DATE}))?(?:\s+(?P<label>.*))?",
    re.IGNORECASE,
)


class ClosureError(ValueError):
    def __init__(self, message):
        self.message = message
        super().__init__(message)


def _date(text):
    if "." in text:
        day, month, year = (int(part) for part in text.split("."))
    else:
        year, month, day = (int(part) for part in text.split("-"))
    return date(year, month, day)


def parse(text):
    """[(first, last, label)] from the lines of `text`, in the order written."""
    closures = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = _LINE.fullmatch(line)
        if match is None:
            raise ClosureError(
                N_(
                    'line %(line)d: "%(text)s" is not a closure (write e.g. '
                    '"24.12.2026 - 31.12.2026 Betriebsferien")',
                    line=number,
                    text=line,
                )
            )
        try:
            first = _date(match["first"])
            last = _date(match["last"]) if match["last"] else first
        except ValueError:
            raise ClosureError(N_("line %(line)d: no such date", line=number))
        if last < first:
            raise ClosureError(N_("line %(line)d: the closure ends before it begins", line=number))
        closures.append((first, last, (match["label"] or "").strip()[:80]))
    return closures


def format(closures, language="de"):  # noqa: A001 - the counterpart of parse
    """The lines for the form."""
    pattern = "%d.%m.%Y" if language == "de" else "%Y-%m-%d"
    lines = []
    for first, last, label in closures:
        text = first.strftime(pattern)
        if last != first:
            text += " - " + last.strftime(pattern)
        lines.append(f"{text} {label}".strip())
    return "\n".join(lines)


def to_json(closures):
    return [
        {"first": first.isoformat(), "last": last.isoformat(), "label": label}
        for first, last, label in closures
    ]


def from_json(data):
    return [
        (date.fromisoformat(item["first"]), date.fromisoformat(item["last"]), item.get("label", ""))
        for item in data or []
    ]
