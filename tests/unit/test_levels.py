"""Level and gap rules: the highest level among evidence that counts on the day."""

from datetime import date

from app.frameworks.levels import EvidenceFact, counts_on, gap, levels_on

DAY = date(2026, 11, 22)


def fact(code="1.1", level=2, issued=date(2026, 1, 1), expires=None, revoked=None):
    return EvidenceFact(code, level, issued, expires, revoked)


def test_highest_level_wins():
    assert levels_on([fact(level=1), fact(level=3), fact(level=2)], DAY) == {"1.1": 3}


def test_expiry_on_the_day_still_counts_and_the_day_after_not():
    expiring = fact(level=3, expires=DAY)
    assert counts_on(expiring, DAY)
    assert levels_on([expiring, fact(level=1)], DAY) == {"1.1": 3}
    assert levels_on([expiring, fact(level=1)], date(2026, 11, 23)) == {"1.1": 1}


def test_revoked_higher_evidence_no_longer_counts():
    revoked = fact(level=4, revoked=date(2026, 6, 1))
    assert levels_on([revoked, fact(level=2)], DAY) == {"1.1": 2}
    assert levels_on([revoked, fact(level=2)], date(2026, 5, 31)) == {"1.1": 4}


def test_evidence_from_the_future_does_not_count():
    assert levels_on([fact(issued=date(2026, 12, 1))], DAY) == {}


def test_evidence_on_an_older_version_counts_for_the_same_code():
    # Versions differ, codes are the same: the computation knows only codes.
    old_version, new_version = fact(code="2.4", level=2), fact(code="2.4", level=1)
    assert levels_on([old_version, new_version], DAY) == {"2.4": 2}


def test_gap_lists_target_held_and_missing():
    rows = gap({"1.1": 3, "2.4": 2, "4.2": 1}, {"1.1": 1, "2.4": 3})
    assert [(r.code, r.target, r.held, r.missing, r.met) for r in rows] == [
        ("1.1", 3, 1, 2, False),
        ("2.4", 2, 3, 0, True),
        ("4.2", 1, 0, 1, False),
    ]
