"""Critical path scheduling of a training project (DIN 69900 precedence network, MPM).

Time points are 0-based working days: an activity that starts at 0 and lasts 3 days ends
at 3. The names map to the German terms of the Netzplan: ``es`` = FAZ (frühester
Anfangszeitpunkt), ``ef`` = FEZ, ``ls`` = SAZ, ``lf`` = SEZ, ``total_float`` = GP
(Gesamtpuffer), ``free_float`` = FP (freier Puffer).

Links carry one of the four DIN 69900 types with a lag (Zeitabstand) in working days,
negative for an overlap:

====  ==============  =========================  ============================
type  German          forward bound on ES(succ)   backward bound on LF(pred)
====  ==============  =========================  ============================
FS    Normalfolge     EF(pred) + lag              LS(succ) - lag
SS    Anfangsfolge    ES(pred) + lag              LS(succ) - lag + D(pred)
FF    Endfolge        EF(pred) + lag - D(succ)    LF(succ) - lag
SF    Sprungfolge     ES(pred) + lag - D(succ)    LF(succ) - lag + D(pred)
====  ==============  =========================  ============================

ES = max(0, forward bounds), T = max EF, the project end E = min(T, deadline) (T without
one), LF = min(E, backward bounds). Total float = LS - ES (negative when the deadline
cannot be met); an activity is critical when its total float is <= 0. Free float =
min(E - EF, the slack of each outgoing link).

Every link type is the same constraint ES(succ) >= ES(pred) + w with one weight
w = lag + (D(pred) if the link leaves the end) - (D(succ) if it enters the end), so both
passes are a single longest-path sweep over a topological order: O(activities + links).
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

LINK_TYPES = ("FS", "SS", "FF", "SF")

# Links that leave the predecessor's end (FS, FF) add its duration to the weight; links
# that enter the successor's end (FF, SF) subtract the successor's duration.
_FROM_END = {"FS": True, "SS": False, "FF": True, "SF": False}
_TO_END = {"FS": False, "SS": False, "FF": True, "SF": True}

CRITICAL_TOLERANCE = 1e-9
# Results are rounded to this many decimals so that 0.1 + 0.2 reads as 0.3; integer
# input stays exact because floats hold integers exactly.
_DIGITS = 9
_NUMBER_TYPES = (int, float, Decimal, Fraction)


@dataclass(frozen=True, slots=True)
class Activity:
    id: str
    duration: float
    name: str = ""


@dataclass(frozen=True, slots=True)
class Link:
    source: str
    target: str
    type: str = "FS"
    lag: float = 0.0


@dataclass(frozen=True, slots=True)
class Timing:
    id: str
    es: float
    ef: float
    ls: float
    lf: float
    total_float: float
    free_float: float
    critical: bool


@dataclass(frozen=True)
class Schedule:
    duration: float  # T, the earliest possible project end
    end: float  # E, the end the backward pass starts from
    timings: dict  # id -> Timing, in the order the activities were given
    order: tuple  # ids in a topological order
    # The activities as given (id -> Activity), so that exports can name them.
    activities: dict = field(default_factory=dict, repr=False, compare=False)

    def critical_ids(self):
        """The critical activities along the project, by earliest start."""
        position = {ident: index for index, ident in enumerate(self.order)}
        critical = [ident for ident in self.order if self.timings[ident].critical]
        return sorted(critical, key=lambda ident: (self.timings[ident].es, position[ident]))


class ScheduleError(ValueError):
    """The network cannot be scheduled; ``problems`` lists every reason found."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def validate(activities, links, deadline=None):
    """The problems of a network as messages naming the culprits; [] when it can be scheduled."""
    problems, graph = _check(list(activities), list(links), deadline)
    if problems:
        return problems
    _order, _earliest, cycle = _forward(graph)
    return [cycle] if cycle else []


def schedule(activities, links, deadline=None):
    """Forward and backward pass over the network; raises ScheduleError when it is invalid."""
    activities = list(activities)
    problems, graph = _check(activities, list(links), deadline)
    if problems:
        raise ScheduleError(problems)
    order, earliest, cycle = _forward(graph)
    if cycle:
        raise ScheduleError([cycle])
    ids, durations, successors, exact = graph
    finishes = [start + duration for start, duration in zip(earliest, durations, strict=True)]
    total = max(finishes, default=0.0)
    # + 0.0 because a deadline of -0.0 is allowed and would print as "-0".
    end = total if deadline is None else min(total, float(deadline)) + 0.0

    # Backward pass in reverse topological order; the free float needs the same links.
    latest = [end - duration for duration in durations]
    free_floats = [end - finish for finish in finishes]
    for node in reversed(order):
        late, start, free = latest[node], earliest[node], free_floats[node]
        for successor, weight in successors[node]:
            if latest[successor] - weight < late:
                late = latest[successor] - weight
            if earliest[successor] - start - weight < free:
                free = earliest[successor] - start - weight
        latest[node], free_floats[node] = late, free

    columns = [
        earliest,
        finishes,
        latest,
        [late + duration for late, duration in zip(latest, durations, strict=True)],
        [late - early for late, early in zip(latest, earliest, strict=True)],
        free_floats,
    ]
    if not exact:
        columns = [[_round(value) for value in column] for column in columns]
        total, end = _round(total), _round(end)
    timings = {
        ident: Timing(ident, *values, values[4] <= CRITICAL_TOLERANCE)
        for ident, *values in zip(ids, *columns, strict=True)
    }
    return Schedule(
        duration=total,
        end=end,
        timings=timings,
        order=tuple(ids[node] for node in order),
        activities={activity.id: activity for activity in activities},
    )


def _round(value):
    # Adding 0.0 turns the -0.0 that rounding a tiny negative leaves into 0.0.
    return round(value, _DIGITS) + 0.0


def _number_problem(value):
    """Why ``value`` is not a finite number, or None when it is one."""
    if isinstance(value, bool) or not isinstance(value, _NUMBER_TYPES):
        return f"{value!r} is not a number"
    if not math.isfinite(value):
        return f"{value!r} is not a finite number"
    return None


def _check(activities, links, deadline):
    """Every problem of the input, and the graph as int-indexed lists when there is none.

    The graph is (ids, durations, successors, exact): successors[node] lists
    (successor, weight) pairs, and exact says that every number is integral, so that
    the sums need no rounding.
    """
    problems = []
    if deadline is not None:
        reason = _number_problem(deadline)
        if reason:
            problems.append(f"deadline: {reason}")
        elif deadline < 0:
            problems.append(f"deadline: {deadline!r} is negative")
    index, ids, durations = _check_activities(activities, problems)
    successors, integral_lags = _check_links(links, index, durations, problems)
    if problems:
        return problems, None
    exact = (
        integral_lags
        and (deadline is None or float(deadline).is_integer())
        and all(duration.is_integer() for duration in durations)
    )
    return [], (ids, durations, successors, exact)


def _check_activities(activities, problems):
    index, first_position, ids, durations = {}, {}, [], []
    for position, activity in enumerate(activities):
        try:
            ident, duration = activity.id, activity.duration
        except AttributeError:
            problems.append(f"activities[{position}]: not an activity (needs id and duration)")
            continue
        # The common case, checked cheaply: 10,000 activities must validate in milliseconds.
        if (
            type(ident) is str
            and ident
            and ident not in index
            and type(duration) in (int, float)
            and 0 <= duration < math.inf
        ):
            index[ident] = len(ids)
            first_position[ident] = position
            ids.append(ident)
            durations.append(float(duration))
            continue
        if not isinstance(ident, str) or not ident:
            problems.append(f"activities[{position}]: id {ident!r} is not a non-empty string")
            continue
        label = f"activity {ident!r}"
        if ident in index:
            problems.append(
                f"duplicate activity id {ident!r} "
                f"(activities[{first_position[ident]}] and activities[{position}])"
            )
        else:
            index[ident] = len(ids)
            first_position[ident] = position
        reason = _number_problem(duration)
        if reason:
            problems.append(f"{label}: duration {reason}")
        elif duration < 0:
            problems.append(f"{label}: duration {duration!r} is negative")
        ids.append(ident)
        durations.append(float(duration) if reason is None and duration >= 0 else 0.0)
    return index, ids, durations


def _check_links(links, index, durations, problems):
    successors = [[] for _ in durations]
    integral = True
    for position, link in enumerate(links):
        try:
            source, target, kind, lag = link.source, link.target, link.type, link.lag
        except AttributeError:
            problems.append(f"links[{position}]: not a link (needs source, target, type, lag)")
            continue
        # The common case, checked cheaply: 30,000 links must validate in milliseconds.
        try:
            head, tail, from_end = index[source], index[target], _FROM_END[kind]
            fine = head != tail and type(lag) in (int, float) and -math.inf < lag < math.inf
        except (KeyError, TypeError):
            fine = False
        if not fine:
            if not _link_is_fine(position, source, target, kind, lag, index, problems):
                continue
            head, tail, from_end = index[source], index[target], _FROM_END[kind]
        if problems:
            continue
        weight = float(lag)
        integral = integral and weight.is_integer()
        if from_end:
            weight += durations[head]
        if _TO_END[kind]:
            weight -= durations[tail]
        successors[head].append((tail, weight))
    return successors, integral


def _link_is_fine(position, source, target, kind, lag, index, problems):
    """Adds the problems of one link; True when it has none (a Decimal lag, say)."""
    found = len(problems)
    label = f"links[{position}] ({source} -> {target})"
    for end in (source,) if source == target else (source, target):
        if not isinstance(end, str) or end not in index:
            problems.append(f"{label}: unknown activity {end!r}")
    if source == target:
        problems.append(f"{label}: links activity {source!r} to itself")
    if kind not in LINK_TYPES:
        problems.append(f"{label}: unknown link type {kind!r} (expected FS, SS, FF or SF)")
    reason = _number_problem(lag)
    if reason:
        problems.append(f"{label}: lag {reason}")
    return len(problems) == found


def _forward(graph):
    """Kahn's topological order with the earliest starts found on the way, and a message
    naming one cycle if there is one (then the order and starts are incomplete)."""
    ids, _durations, successors, _exact = graph
    waiting = [0] * len(ids)
    for outgoing in successors:
        for successor, _weight in outgoing:
            waiting[successor] += 1
    earliest = [0.0] * len(ids)
    order = [node for node, count in enumerate(waiting) if count == 0]
    position = 0
    while position < len(order):
        node = order[position]
        start = earliest[node]
        for successor, weight in successors[node]:
            # Every predecessor is done before a node enters the order, so its start is final.
            if start + weight > earliest[successor]:
                earliest[successor] = start + weight
            waiting[successor] -= 1
            if waiting[successor] == 0:
                order.append(successor)
        position += 1
    if len(order) == len(ids):
        return order, earliest, None
    return order, earliest, _cycle_message(ids, successors, waiting)


def _cycle_message(ids, successors, waiting):
    # Every node left over still waits for a predecessor that is left over too, so walking
    # from predecessor to predecessor must come back to a node already seen.
    predecessor = {}
    for node, outgoing in enumerate(successors):
        if waiting[node]:
            for successor, _weight in outgoing:
                if waiting[successor]:
                    predecessor[successor] = node
    node = next(node for node, count in enumerate(waiting) if count)
    seen, walk = {}, []
    while node not in seen:
        seen[node] = len(walk)
        walk.append(node)
        node = predecessor[node]
    cycle = walk[seen[node] :][::-1]
    # Start where the input does, so the message reads in the order the user wrote.
    first = cycle.index(min(cycle))
    cycle = cycle[first:] + cycle[:first]
    names = [ids[node] for node in cycle + cycle[:1]]
    return "cycle: " + " -> ".join(names)
