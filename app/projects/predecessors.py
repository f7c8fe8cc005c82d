"""The predecessor notation of the activity editor: ``A; B NF+2; C AF-1,5; D EF; E SF+0.5``.

Each entry names a predecessor by its number (Nr.), optionally followed by the link type
and a signed lag in working days:

* types in the German terms of DIN 69900 or in English: NF (Normalfolge) = FS,
  AF (Anfangsfolge) = SS, EF (Endfolge) = FF, SF (Sprungfolge) = SF; upper or lower case;
  none means NF/FS;
* the lag carries its sign (``+2``, ``-1``), a decimal comma or point (``-1,5``,
  ``+0.5``); none means 0;
* entries are separated by semicolons (or line breaks) only: a comma is the German
  decimal sign, so ``A, B`` would be ambiguous next to ``A AF-1,5``.

Pure: no Flask, no database. Problems are app.messages.N_ messages that name the entry.
"""

import re

from app.messages import N_

GERMAN = {"NF": "FS", "AF": "SS", "EF": "FF", "SF": "SF"}
ENGLISH = {"FS": "FS", "SS": "SS", "FF": "FF", "SF": "SF"}
TYPES = {**GERMAN, **ENGLISH}
GERMAN_NAMES = {kind: name for name, kind in GERMAN.items()}

# An activity number: letters, digits, "_" and ".", never a sign, a separator or a space.
KEY = re.compile(r"[\w.]{1,20}")
_ENTRY = re.compile(
    r"(?P<id>[\w.]+)\s*(?:(?<=\s)(?P<type>[A-Za-z]{2})(?![\w.])\s*)?"
    r"(?P<lag>[+\-\u2212]\s*\d+(?:[.,]\d+)?)?"
)


class PredecessorError(ValueError):
    """The text cannot be read; the message names the entry."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


def parse(text, known_ids, own_id=None):
    """[(id, type, lag)] of the predecessors written in `text`, in the order written.
    `known_ids`: the numbers of the project's activities; `own_id`: the activity's own."""
    found, seen = [], set()
    for entry in re.split(r"[;\n]", text or ""):
        entry = " ".join(entry.split())
        if not entry:
            continue
        match = _ENTRY.fullmatch(entry)
        if match is None:
            if "," in entry and not re.search(r"\d,\d", entry):
                raise PredecessorError(
                    N_('"%(entry)s": separate predecessors with a semicolon (;)', entry=entry)
                )
            raise PredecessorError(
                N_(
                    '"%(entry)s" is not a predecessor (write e.g. "B", "B NF+2" or "B AF-1,5")',
                    entry=entry,
                )
            )
        ident = match["id"]
        kind = (match["type"] or "FS").upper()
        if kind not in TYPES:
            raise PredecessorError(
                N_(
                    '"%(entry)s": unknown link type %(type)s (NF, AF, EF, SF or FS, SS, FF, SF)',
                    entry=entry,
                    type=match["type"],
                )
            )
        if ident not in known_ids:
            raise PredecessorError(
                N_('"%(entry)s": there is no activity %(id)s', entry=entry, id=ident)
            )
        if ident == own_id:
            raise PredecessorError(N_('"%(entry)s": an activity cannot follow itself', entry=entry))
        if ident in seen:
            raise PredecessorError(N_("%(id)s is named twice", id=ident))
        seen.add(ident)
        lag = 0.0
        if match["lag"]:
            lag = float(re.sub(r"\s", "", match["lag"]).replace(",", ".").replace("\u2212", "-"))
        found.append((ident, TYPES[kind], lag + 0.0))
    return found


def _number(value, decimal):
    text = f"{abs(value):.4f}".rstrip("0").rstrip(".")
    return text.replace(".", decimal)


def format(links, language="de"):  # noqa: A001 - the counterpart of parse
    """The text for the editor: [(id, type, lag)] as "A; B NF+2" (German) or "A; B FS+2"."""
    german = language == "de"
    parts = []
    for ident, kind, lag in links:
        lag = float(lag or 0)
        text = ident
        if kind != "FS" or lag:
            text += " " + (GERMAN_NAMES[kind] if german else kind)
        if lag:
            text += ("+" if lag > 0 else "-") + _number(lag, "," if german else ".")
        parts.append(text)
    return "; ".join(parts)
