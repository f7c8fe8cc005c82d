"""What changed between two versions of a framework, matched by code.

Pure: no Flask, no database. Nodes are compared by their code, as levels carry over by code.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    code: str
    title: str
    parent_code: str | None
    description: str = ""


@dataclass
class Difference:
    added: list  # Entry of the newer version
    removed: list  # Entry of the older version
    changed: list  # (older Entry, newer Entry, [field names])

    @property
    def empty(self):
        return not (self.added or self.removed or self.changed)


def compare(older, newer):
    """Difference between two lists of Entry; entries without code are matched by title."""

    def key(entry):
        return entry.code or f"title:{entry.title}"

    old = {key(entry): entry for entry in older}
    new = {key(entry): entry for entry in newer}
    added = [entry for k, entry in new.items() if k not in old]
    removed = [entry for k, entry in old.items() if k not in new]
    changed = []
    for k, before in old.items():
        after = new.get(k)
        if after is None:
            continue
        fields = [
            name
            for name in ("title", "parent_code", "description")
            if getattr(before, name) != getattr(after, name)
        ]
        if fields:
            changed.append((before, after, fields))
    return Difference(added, removed, changed)
