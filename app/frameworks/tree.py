"""A framework as plain data, as the exchange formats read and write it, and its tree checks.

Pure: no Flask, no database. `key` is the identifier a node has in its file (CASE
identifier, Moodle idnumber); `code` is the human code such as "2.4".
"""

from dataclasses import dataclass, field

from app.messages import N_


@dataclass
class Node:
    key: str
    title: str
    code: str = ""
    description: str = ""
    parent: str | None = None  # key of the parent node; None: directly below the framework
    order: float | None = None  # sequence number within the parent, when the file gives one
    kind: str = ""  # CFItemType / taxonomy term, e.g. "Kompetenzbereich"
    title_en: str = ""
    description_en: str = ""
    where: str = ""  # where the node stands in its file: "line 7" or "item <identifier>"


def at_line(number):
    """Where a problem stands in a file read by lines: "line 7" (translatable)."""
    return N_("line %(line)d", line=number)


@dataclass
class FrameworkData:
    title: str
    nodes: list
    identifier: str = ""
    version: str = ""
    language: str = "de"
    description: str = ""
    source: str = ""
    title_en: str = ""
    scale: list = field(default_factory=list)  # level names, lowest first
    warnings: list = field(default_factory=list)  # (where, message): skipped, not fatal


class FormatError(Exception):
    """A file that cannot be read as a framework; problems: [(where, message)]."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(f"{where}: {message}" for where, message in self.problems))


def check_tree(nodes):
    """Problems of a node list as [(where, message)]: duplicates, missing titles, unknown
    parents, cycles. An empty list means the nodes form a forest below the framework."""
    problems = []
    by_key = {}
    for node in nodes:
        if node.key in by_key:
            problems.append((node.where, N_("duplicate identifier '%(key)s'", key=node.key)))
        else:
            by_key[node.key] = node
        if not (node.title or "").strip():
            problems.append((node.where, N_("'%(key)s' has no title", key=node.key)))
    for node in nodes:
        if node.parent is not None and node.parent not in by_key:
            message = N_(
                "parent '%(parent)s' of '%(key)s' does not exist", parent=node.parent, key=node.key
            )
            problems.append((node.where, message))
    problems.extend(_cycles(by_key))
    return problems


def _cycles(by_key):
    """Each cycle of the parent relation once, named by its members."""
    state, problems = {}, []  # key -> "active" while walking up, "done" afterwards
    for start in by_key:
        path, key = [], start
        while key is not None and key in by_key and state.get(key) is None:
            state[key] = "active"
            path.append(key)
            key = by_key[key].parent
        if key is not None and state.get(key) == "active":
            cycle = path[path.index(key) :]
            members = " → ".join(f"'{member}'" for member in [*cycle, key])
            message = N_("the parent relation has a cycle: %(members)s", members=members)
            problems.append((by_key[key].where, message))
        for member in path:
            state[member] = "done"
    return problems


def ordered(nodes):
    """[(node, depth)] depth first, siblings by sequence number, then by their order in the
    file. Assumes check_tree found nothing."""
    children = {}
    for position, node in enumerate(nodes):
        children.setdefault(node.parent, []).append((position, node))

    def sort_key(entry):
        position, node = entry
        return (node.order is None, node.order if node.order is not None else 0, position)

    result, stack = [], [(node, 0) for _p, node in sorted(children.get(None, []), key=sort_key)]
    stack.reverse()
    while stack:
        node, depth = stack.pop()
        result.append((node, depth))
        below = sorted(children.get(node.key, []), key=sort_key)
        stack.extend((child, depth + 1) for _p, child in reversed(below))
    return result


def shape(framework):
    """The tree as comparable data: (code, title, parent code, position among siblings)."""
    by_key = {node.key: node for node in framework.nodes}
    rows, seen = [], {}
    for node, _depth in ordered(framework.nodes):
        parent = by_key[node.parent] if node.parent is not None else None
        index = seen[node.parent] = seen.get(node.parent, -1) + 1
        rows.append((node.code, node.title, parent.code if parent else None, index))
    return rows
