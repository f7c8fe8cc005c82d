"""The gap report's arithmetic and the minimum group size."""

import pytest

from app.mediapass.gaps import Person, gap_report, gaps_of


def person(number, department, targets, held, job_role="Sachbearbeitung"):
    return Person(number, f"P{number}", department, job_role, targets, held)


PEOPLE = [
    # Vertrieb: five people, 2.4 required at 2 of four, 1.1 at 1 of two.
    person(1, "Vertrieb", {"2.4": 2, "1.1": 1}, {"2.4": 3, "1.1": 1}),
    person(2, "Vertrieb", {"2.4": 2, "1.1": 1}, {"2.4": 1}),
    person(3, "Vertrieb", {"2.4": 2}, {"2.4": 2}),
    person(4, "Vertrieb", {"2.4": 2}, {}),
    person(5, "Vertrieb", {}, {"2.4": 4}),  # not required: not counted for 2.4
    # IT: two people only.
    person(6, "IT", {"2.4": 1}, {"2.4": 1}),
    person(7, "IT", {"2.4": 1}, {}),
    person(8, "", {"2.4": 1}, {}),  # no department: in no group
]


def test_shares_count_only_people_whose_job_role_requires_the_competence():
    (it, vertrieb) = gap_report(PEOPLE, lambda p: p.department, ["1.1", "2.4", "5.2"], 5)
    assert (vertrieb.name, vertrieb.size, vertrieb.withheld) == ("Vertrieb", 5, False)
    cell = vertrieb.cells["2.4"]
    assert (cell.required, cell.met, cell.share) == (4, 2, 0.5)
    assert cell.target == 2 and cell.held == pytest.approx((3 + 1 + 2 + 0) / 4)
    assert (vertrieb.cells["1.1"].required, vertrieb.cells["1.1"].met) == (2, 1)
    assert "5.2" not in vertrieb.cells  # nobody must hold it


def test_a_group_below_the_minimum_size_is_withheld_whole():
    (it, vertrieb) = gap_report(PEOPLE, lambda p: p.department, ["2.4"], 5)
    assert (it.name, it.size, it.withheld, it.cells) == ("IT", 2, True, {})
    (it, vertrieb) = gap_report(PEOPLE, lambda p: p.department, ["2.4"], 2)
    assert not it.withheld and it.cells["2.4"].share == 0.5


def test_groups_by_job_role_and_a_persons_gaps():
    (role,) = gap_report(PEOPLE, lambda p: p.job_role, ["2.4"], 5)
    assert (role.size, role.cells["2.4"].required, role.cells["2.4"].met) == (8, 7, 3)
    assert gaps_of(PEOPLE[1]) == {"2.4": 1, "1.1": 1}
    assert gaps_of(PEOPLE[0]) == {}
