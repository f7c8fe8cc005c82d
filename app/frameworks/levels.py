"""How a person's level follows from evidence, and the gap to a requirement profile.

Pure: no Flask, no database. Competences are matched by code, so that evidence given for
an older version of a framework counts for the same code in a newer one.
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class EvidenceFact:
    code: str
    level: int
    issued_on: date
    expires_on: date | None = None  # last day on which it still counts
    revoked_on: date | None = None  # from this day on it no longer counts


def counts_on(evidence, day):
    """Evidence counts from its issue date through its expiry date, until it is revoked."""
    if evidence.issued_on > day:
        return False
    if evidence.expires_on is not None and day > evidence.expires_on:
        return False
    return evidence.revoked_on is None or day < evidence.revoked_on


def levels_on(evidence, day):
    """{code: level}: the highest level per competence among evidence that counts on day."""
    levels = {}
    for fact in evidence:
        if counts_on(fact, day) and fact.level > levels.get(fact.code, 0):
            levels[fact.code] = fact.level
    return levels


@dataclass(frozen=True)
class GapRow:
    code: str
    target: int
    held: int  # 0: no evidence that counts

    @property
    def missing(self):
        """Levels still to reach; 0 when the target is met."""
        return max(0, self.target - self.held)

    @property
    def met(self):
        return self.missing == 0


def gap(targets, held):
    """One GapRow per required competence, in the order of targets ({code: level})."""
    return [GapRow(code, target, held.get(code, 0)) for code, target in targets.items()]
