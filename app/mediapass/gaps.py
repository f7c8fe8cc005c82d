"""HR's competence reports as plain data: a person's row of the matrix, and the gap report
of groups (departments or job roles) against their requirement profiles.

Pure: no Flask, no database. A group smaller than the minimum group size is withheld as a
whole, so that no aggregate points at one or two people."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    department: str
    job_role: str
    targets: dict  # code -> required level (from the job role)
    held: dict  # code -> level held today


@dataclass(frozen=True)
class Cell:
    """One competence in one group: of the people whose job role requires it, how many
    meet the required level, and their mean held level."""

    required: int  # people with a target
    met: int
    target: float  # mean required level among them
    held: float  # mean held level among them

    @property
    def share(self):
        return self.met / self.required if self.required else None


@dataclass
class Group:
    name: str
    size: int
    withheld: bool
    cells: dict = field(default_factory=dict)  # code -> Cell, only if not withheld


def gap_report(people, key, codes, min_group):
    """[Group] by the group each person belongs to (key(person) -> name, or None: not
    counted), sorted by name; cells for the codes that anyone in the group must hold."""
    members = {}
    for person in people:
        name = key(person)
        if name:
            members.setdefault(name, []).append(person)
    groups = []
    for name in sorted(members, key=str.casefold):
        group = members[name]
        result = Group(name, len(group), len(group) < min_group)
        if not result.withheld:
            for code in codes:
                required = [p for p in group if p.targets.get(code)]
                if not required:
                    continue
                result.cells[code] = Cell(
                    required=len(required),
                    met=sum(1 for p in required if p.held.get(code, 0) >= p.targets[code]),
                    target=sum(p.targets[code] for p in required) / len(required),
                    held=sum(p.held.get(code, 0) for p in required) / len(required),
                )
        groups.append(result)
    return groups


def gaps_of(person):
    """{code: missing levels} where the person holds less than the job role requires."""
    return {
        code: target - person.held.get(code, 0)
        for code, target in person.targets.items()
        if person.held.get(code, 0) < target
    }
