"""The scheduler: published Netzplan solutions, the four link types with lags, deadlines,
milestones, fractions, every rejection, and properties of random networks."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.projects.scheduling import (
    LINK_TYPES,
    Activity,
    Link,
    ScheduleError,
    schedule,
    validate,
)


def network(durations, arrows):
    """Activities from {id: duration} and FS links from "A>B" strings."""
    activities = [Activity(ident, duration) for ident, duration in durations.items()]
    links = [Link(*arrow.split(">")) for arrow in arrows]
    return activities, links


def table(result):
    """id -> (FAZ, FEZ, SAZ, SEZ, GP, FP), the columns of a Netzplan exercise."""
    return {
        t.id: (t.es, t.ef, t.ls, t.lf, t.total_float, t.free_float) for t in result.timings.values()
    }


# Source: https://www.sowi-forum.com/forum/threads/23872-Gesamtpr%C3%BCfung-Februar-2009/page40
# (exam of February 2009, Aufgabe 12): A 3 days; B 1 and D 4 after A; C 2 after B; E 2
# after C and D. Published: A 0-3 (SAZ 0), B FAZ 3 FEZ 4 (SAZ 4 SEZ 5), C 4-6 (SAZ 5 SEZ 7),
# D 3-7 (SAZ 3; the post's "SEZ 3" is a slip for 7 = SAZ + 4), E 7-9 (SAZ 7 SEZ 9);
# critical path A-D-E, project duration 9 days, latest start of C day 5.
def test_published_exam_network_february_2009():
    activities, links = network(
        {"A": 3, "B": 1, "C": 2, "D": 4, "E": 2}, ["A>B", "A>D", "B>C", "C>E", "D>E"]
    )
    result = schedule(activities, links)
    assert table(result) == {
        "A": (0, 3, 0, 3, 0, 0),
        "B": (3, 4, 4, 5, 1, 0),
        "C": (4, 6, 5, 7, 1, 1),
        "D": (3, 7, 3, 7, 0, 0),
        "E": (7, 9, 7, 9, 0, 0),
    }
    assert (result.duration, result.end) == (9, 9)
    assert result.critical_ids() == ["A", "D", "E"]


# Source: https://de.gauthmath.com/solution/1824388943607845/p16-ehi-sg.gauthstatic.com
# (IHK-style task "Erstellen Sie den vollständigen Netzplan ... Musterknoten"): A 3 h,
# B 6 after A, C 5 after B, D 4 and E 1 after C, F 6 after D and E, G 2 after F. Published:
# FAZ/FEZ A 0/3, B 3/9, C 9/14, D 14/18, E 14/15, F 18/24, G 24/26; SAZ A 0, B 3, C 9,
# D 14, E 17, F 18, G 24; GP 3 for E, 0 for the rest; critical path A-B-C-D-F-G. The
# published FP of E is 3 (FAZ(F) 18 - FEZ(E) 15); its FP of F (3) is a slip: F's only
# successor G starts at FEZ(F) = 24, so FP(F) = 0.
def test_published_ihk_style_network():
    activities, links = network(
        {"A": 3, "B": 6, "C": 5, "D": 4, "E": 1, "F": 6, "G": 2},
        ["A>B", "B>C", "C>D", "C>E", "D>F", "E>F", "F>G"],
    )
    result = schedule(activities, links)
    assert table(result) == {
        "A": (0, 3, 0, 3, 0, 0),
        "B": (3, 9, 3, 9, 0, 0),
        "C": (9, 14, 9, 14, 0, 0),
        "D": (14, 18, 14, 18, 0, 0),
        "E": (14, 15, 17, 18, 3, 3),
        "F": (18, 24, 18, 24, 0, 0),
        "G": (24, 26, 24, 26, 0, 0),
    }
    assert result.critical_ids() == ["A", "B", "C", "D", "F", "G"]
    assert result.duration == 26


# P lasts 4 days, S 2; one link P -> S. Worked by hand from the module's formulas:
# (type, lag, ES/EF/LS/LF of S, LS/LF of P, T, GP of P and S, FP of P and S)
TWO_ACTIVITIES = [
    ("FS", 2, (6, 8, 6, 8), (0, 4), 8, (0, 0), (0, 0)),
    ("FS", -1, (3, 5, 3, 5), (0, 4), 5, (0, 0), (0, 0)),
    ("SS", 1, (1, 3, 2, 4), (0, 4), 4, (0, 1), (0, 1)),
    ("SS", -2, (0, 2, 2, 4), (0, 4), 4, (0, 2), (0, 2)),
    ("FF", 1, (3, 5, 3, 5), (0, 4), 5, (0, 0), (0, 0)),
    ("FF", -3, (0, 2, 2, 4), (0, 4), 4, (0, 2), (0, 2)),
    ("SF", 3, (1, 3, 2, 4), (0, 4), 4, (0, 1), (0, 1)),
    ("SF", 6, (4, 6, 4, 6), (0, 4), 6, (0, 0), (0, 0)),
    ("SF", -1, (0, 2, 2, 4), (0, 4), 4, (0, 2), (0, 2)),
]


@pytest.mark.parametrize(("kind", "lag", "succ", "pred", "total", "floats", "free"), TWO_ACTIVITIES)
def test_each_link_type_with_positive_and_negative_lag(kind, lag, succ, pred, total, floats, free):
    result = schedule([Activity("P", 4), Activity("S", 2)], [Link("P", "S", kind, lag)])
    p, s = result.timings["P"], result.timings["S"]
    assert (s.es, s.ef, s.ls, s.lf) == succ
    assert (p.es, p.ef, p.ls, p.lf) == (0, 4, *pred)
    assert result.duration == total
    assert (p.total_float, s.total_float) == floats
    assert (p.free_float, s.free_float) == free


# P lasts 2, S 5, and an unlinked Q of 10 days sets the end, so that the backward bound of
# each link type is what limits P. By hand: (type, lag, ES/LS of S, LS/LF of P, FP of P).
BACKWARD_BOUNDS = [
    ("FS", 1, (3, 5), (2, 4), 0),  # LF(P) = LS(S) - lag = 4
    ("SS", 1, (1, 5), (4, 6), 0),  # LF(P) = LS(S) - lag + D(P) = 6
    ("FF", 1, (0, 5), (7, 9), 2),  # LF(P) = LF(S) - lag = 9; FP = EF(S) - lag - EF(P)
    ("SF", 6, (1, 5), (4, 6), 0),  # LF(P) = LF(S) - lag + D(P) = 6
]


@pytest.mark.parametrize(("kind", "lag", "succ", "pred", "free"), BACKWARD_BOUNDS)
def test_backward_bound_of_each_link_type(kind, lag, succ, pred, free):
    activities = [Activity("P", 2), Activity("S", 5), Activity("Q", 10)]
    result = schedule(activities, [Link("P", "S", kind, lag)])
    p, s = result.timings["P"], result.timings["S"]
    assert (s.es, s.ls) == succ
    assert (p.ls, p.lf) == pred
    assert p.total_float == pred[0]
    assert p.free_float == free
    assert result.critical_ids() == ["Q"]


def exam_network():
    return network({"A": 3, "B": 1, "C": 2, "D": 4, "E": 2}, ["A>B", "A>D", "B>C", "C>E", "D>E"])


def test_missed_deadline_gives_negative_floats_and_widens_the_critical_set():
    result = schedule(*exam_network(), deadline=7)
    assert (result.duration, result.end) == (9, 7)
    assert table(result) == {
        "A": (0, 3, -2, 1, -2, 0),
        "B": (3, 4, 2, 3, -1, 0),
        "C": (4, 6, 3, 5, -1, 1),
        "D": (3, 7, 1, 5, -2, 0),
        "E": (7, 9, 5, 7, -2, -2),
    }
    assert result.critical_ids() == ["A", "B", "D", "C", "E"]


def test_deadline_later_than_the_earliest_end_changes_nothing():
    assert schedule(*exam_network(), deadline=12) == schedule(*exam_network())


def test_fractional_deadline():
    result = schedule(*exam_network(), deadline=8.5)
    assert result.end == 8.5
    assert result.timings["E"].total_float == -0.5
    assert result.timings["B"].total_float == 0.5
    assert result.critical_ids() == ["A", "D", "E"]


def test_milestones_take_no_time():
    activities = [Activity("start", 0), Activity("A", 3), Activity("done", 0)]
    result = schedule(activities, [Link("start", "A"), Link("A", "done")])
    assert table(result) == {
        "start": (0, 0, 0, 0, 0, 0),
        "A": (0, 3, 0, 3, 0, 0),
        "done": (3, 3, 3, 3, 0, 0),
    }


def test_fractional_durations_and_lags_come_out_without_float_noise():
    activities = [Activity("A", 0.1), Activity("B", 0.2), Activity("C", 0.7)]
    links = [Link("A", "B"), Link("B", "C", "FS", 0.1), Link("A", "C", "SS", 0.3)]
    result = schedule(activities, links)
    assert (result.timings["B"].es, result.timings["B"].ef) == (0.1, 0.3)
    assert (result.timings["C"].es, result.timings["C"].ef) == (0.4, 1.1)
    assert result.duration == 1.1
    assert result.timings["A"].total_float == 0.0


def test_half_days_stay_exact():
    result = schedule([Activity("A", 0.5), Activity("B", 1.5)], [Link("A", "B", "FS", 0.25)])
    assert (result.timings["B"].es, result.duration) == (0.75, 2.25)


def test_integers_in_give_integral_floats_out():
    result = schedule(*exam_network())
    values = [v for t in result.timings.values() for v in (t.es, t.ef, t.ls, t.lf)]
    assert all(type(v) is float and v.is_integer() for v in values)


def test_decimal_and_fraction_numbers_are_accepted():
    activities = [Activity("A", Decimal("1.5")), Activity("B", Fraction(1, 4))]
    result = schedule(activities, [Link("A", "B", "FS", Decimal("0.25"))], deadline=Decimal(3))
    assert (result.timings["B"].es, result.duration, result.end) == (1.75, 2.0, 2.0)


def test_empty_project():
    result = schedule([], [])
    assert (result.duration, result.end, result.timings, result.order) == (0, 0, {}, ())
    assert result.critical_ids() == []


def test_timings_keep_the_given_order_and_order_is_topological():
    activities, links = network({"E": 2, "D": 4, "C": 2, "B": 1, "A": 3}, exam_network_arrows())
    result = schedule(activities, links)
    assert list(result.timings) == ["E", "D", "C", "B", "A"]
    position = {ident: index for index, ident in enumerate(result.order)}
    assert sorted(result.order) == ["A", "B", "C", "D", "E"]
    assert all(position[link.source] < position[link.target] for link in links)


def exam_network_arrows():
    return ["A>B", "A>D", "B>C", "C>E", "D>E"]


def test_parallel_links_take_the_tighter_bound():
    activities = [Activity("A", 2), Activity("B", 1)]
    links = [Link("A", "B", "FS", 0), Link("A", "B", "SS", 5)]
    assert schedule(activities, links).timings["B"].es == 5


def test_schedule_keeps_the_activities_for_exports():
    activities = [Activity("A", 1, "Kick-off")]
    assert schedule(activities, []).activities == {"A": activities[0]}


# Rejections: each names its culprit, and all problems of one input come together.


def problems_of(activities, links, deadline=None):
    with pytest.raises(ScheduleError) as caught:
        schedule(activities, links, deadline)
    assert caught.value.problems == validate(activities, links, deadline)
    assert str(caught.value) == "; ".join(caught.value.problems)
    return caught.value.problems


def test_cycle_is_named_in_input_order():
    activities, links = network({"A": 1, "B": 1, "C": 1, "D": 1}, ["A>B", "B>C", "C>A", "C>D"])
    assert problems_of(activities, links) == ["cycle: A -> B -> C -> A"]


def test_cycle_behind_a_clean_start_is_found():
    activities, links = network({"S": 1, "X": 1, "Y": 1}, ["S>X", "X>Y", "Y>X"])
    assert problems_of(activities, links) == ["cycle: X -> Y -> X"]


def test_unknown_activity_names_link_and_id():
    activities, links = network({"A": 1}, ["A>Z"])
    assert problems_of(activities, links) == ["links[0] (A -> Z): unknown activity 'Z'"]


def test_duplicate_ids_name_both_places():
    activities = [Activity("A", 1), Activity("B", 1), Activity("A", 2)]
    assert problems_of(activities, []) == [
        "duplicate activity id 'A' (activities[0] and activities[2])"
    ]


def test_self_link():
    assert problems_of([Activity("A", 1)], [Link("A", "A")]) == [
        "links[0] (A -> A): links activity 'A' to itself"
    ]


def test_unknown_link_type():
    activities = [Activity("A", 1), Activity("B", 1)]
    assert problems_of(activities, [Link("A", "B", "EA")]) == [
        "links[0] (A -> B): unknown link type 'EA' (expected FS, SS, FF or SF)"
    ]


@pytest.mark.parametrize(
    ("duration", "message"),
    [
        (-1, "activity 'A': duration -1 is negative"),
        ("3", "activity 'A': duration '3' is not a number"),
        (None, "activity 'A': duration None is not a number"),
        (True, "activity 'A': duration True is not a number"),
        (float("nan"), "activity 'A': duration nan is not a finite number"),
        (float("inf"), "activity 'A': duration inf is not a finite number"),
    ],
)
def test_bad_duration(duration, message):
    assert problems_of([Activity("A", duration)], []) == [message]


@pytest.mark.parametrize(
    ("lag", "message"),
    [
        ("1", "links[0] (A -> B): lag '1' is not a number"),
        (False, "links[0] (A -> B): lag False is not a number"),
        (float("-inf"), "links[0] (A -> B): lag -inf is not a finite number"),
    ],
)
def test_bad_lag(lag, message):
    activities = [Activity("A", 1), Activity("B", 1)]
    assert problems_of(activities, [Link("A", "B", "FS", lag)]) == [message]


@pytest.mark.parametrize(
    ("deadline", "message"),
    [(-1, "deadline: -1 is negative"), ("soon", "deadline: 'soon' is not a number")],
)
def test_bad_deadline(deadline, message):
    assert problems_of([Activity("A", 1)], [], deadline) == [message]


def test_bad_ids_and_things_that_are_no_activities():
    assert problems_of([Activity(7, 1), Activity("", 1), "A"], []) == [
        "activities[0]: id 7 is not a non-empty string",
        "activities[1]: id '' is not a non-empty string",
        "activities[2]: not an activity (needs id and duration)",
    ]


def test_every_problem_is_reported_at_once_and_cycles_only_after():
    activities = [Activity("A", -2), Activity("B", 1), Activity("B", 1)]
    links = [Link("A", "B"), Link("B", "A"), Link("A", "X", "XX", "late")]
    assert problems_of(activities, links, deadline=-3) == [
        "deadline: -3 is negative",
        "activity 'A': duration -2 is negative",
        "duplicate activity id 'B' (activities[1] and activities[2])",
        "links[2] (A -> X): unknown activity 'X'",
        "links[2] (A -> X): unknown link type 'XX' (expected FS, SS, FF or SF)",
        "links[2] (A -> X): lag 'late' is not a number",
    ]


def test_validate_is_empty_for_a_good_network():
    assert validate(*exam_network(), deadline=0) == []


# Properties of random acyclic networks, checked against the constraints themselves and
# against a plain fixpoint iteration (Bellman-Ford style) as an independent reference.

STEP = 0.5  # durations and lags in half days keep the reference free of rounding


@st.composite
def random_networks(draw):
    count = draw(st.integers(1, 12))
    durations = draw(st.lists(st.integers(0, 16), min_size=count, max_size=count))
    activities = [Activity(f"a{i}", d * STEP) for i, d in enumerate(durations)]
    pairs = st.tuples(st.integers(0, count - 1), st.integers(0, count - 1)).filter(
        lambda pair: pair[0] < pair[1]
    )
    links = []
    if count > 1:
        for first, second in draw(st.lists(pairs, max_size=3 * count)):
            kind = draw(st.sampled_from(LINK_TYPES))
            lag = draw(st.integers(-10, 10)) * STEP
            links.append(Link(f"a{first}", f"a{second}", kind, lag))
    deadline = draw(st.none() | st.integers(0, 60).map(lambda n: n * STEP))
    return activities, links, deadline


def bound(kind, pred, succ_duration, lag):
    """The earliest start a link allows its successor (the forward rule of the module)."""
    es, ef = pred
    start = {"FS": ef, "SS": es, "FF": ef - succ_duration, "SF": es - succ_duration}[kind]
    return start + lag


def reference_earliest(activities, links):
    duration = {a.id: a.duration for a in activities}
    es = dict.fromkeys(duration, 0.0)
    for _ in activities:
        for link in links:
            pred = (es[link.source], es[link.source] + duration[link.source])
            candidate = bound(link.type, pred, duration[link.target], link.lag)
            es[link.target] = max(es[link.target], candidate)
    return es


@settings(max_examples=200, deadline=None, database=None)
@given(random_networks())
def test_random_networks_satisfy_every_constraint(case):
    activities, links, deadline = case
    result = schedule(activities, links, deadline)
    t = result.timings
    duration = {a.id: a.duration for a in activities}
    assert {i: t[i].es for i in t} == reference_earliest(activities, links)
    assert result.duration == max(x.ef for x in t.values())
    assert result.end == (result.duration if deadline is None else min(result.duration, deadline))
    for x in t.values():
        assert x.es >= 0
        assert x.ef == x.es + duration[x.id]
        assert x.lf == x.ls + duration[x.id]
        assert x.lf <= result.end
        assert x.total_float == x.ls - x.es
        assert x.critical == (x.total_float <= 0)
        assert x.free_float <= result.end - x.ef
    for link in links:
        p, s, lag = t[link.source], t[link.target], link.lag
        early = {"FS": (s.es, p.ef), "SS": (s.es, p.es), "FF": (s.ef, p.ef), "SF": (s.ef, p.es)}
        late = {"FS": (s.ls, p.lf), "SS": (s.ls, p.ls), "FF": (s.lf, p.lf), "SF": (s.lf, p.ls)}
        assert early[link.type][0] >= early[link.type][1] + lag
        assert late[link.type][0] >= late[link.type][1] + lag
        assert p.free_float <= early[link.type][0] - early[link.type][1] - lag
    if deadline is None:
        assert all(0 <= x.free_float <= x.total_float for x in t.values())
        assert any(x.total_float == 0 for x in t.values())
        assert result.critical_ids()


def test_bench_network_generator_schedules():
    from bench.schedule import random_network

    activities, links = random_network(200, 600, seed=7)
    assert len(activities) == 200
    assert len(links) == 600
    result = schedule(activities, links)
    assert len(result.timings) == 200
    assert result.critical_ids()
