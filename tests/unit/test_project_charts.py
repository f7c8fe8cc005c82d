"""The Gantt chart and the network diagram, read back as XML: what they draw, where, and in
which colour."""

import random
import re
import time
import xml.etree.ElementTree as ET
from collections import namedtuple
from datetime import date

import pytest

from app.projects.calendar import WorkingCalendar
from app.projects.charts import (
    ENGLISH,
    NODE_HEIGHT,
    NODE_WIDTH,
    Arrow,
    Row,
    gantt_svg,
    link_label,
    network_layout,
    network_svg,
    number,
)

NS = {"s": "http://www.w3.org/2000/svg"}
RED, BLUE = "#c62828", "#1d4f91"
MONDAY = date(2027, 3, 1)
Timing = namedtuple("Timing", "id es ef ls lf total_float free_float critical")


def timing(ident, es, ef, ls, lf, free=0.0):
    return Timing(ident, es, ef, ls, lf, ls - es, free, ls - es <= 0)


# Worked by hand (forward and backward pass): A 3 days; B 2 and C 4 after A; E 1 day
# starts 1 day after B starts (SS+1); D 1 day after B, C and E.
HAND = {
    "A": (3, timing("A", 0, 3, 0, 3)),
    "B": (2, timing("B", 3, 5, 5, 7, free=0)),
    "C": (4, timing("C", 3, 7, 3, 7)),
    "E": (1, timing("E", 4, 5, 6, 7, free=2)),
    "D": (1, timing("D", 7, 8, 7, 8)),
}
HAND_ROWS = [Row(ident, f"Vorgang {ident}", d, t) for ident, (d, t) in HAND.items()]
HAND_ARROWS = [
    Arrow("A", "B"),
    Arrow("A", "C"),
    Arrow("B", "D"),
    Arrow("C", "D"),
    Arrow("B", "E", "SS", 1),
    Arrow("E", "D"),
]


def near(value):
    return pytest.approx(value, abs=0.02)  # coordinates carry two decimals


def parse(text):
    assert " style=" not in text
    root = ET.fromstring(text)  # noqa: S314  (our own output, not untrusted input)
    assert root.get("role") == "img" and root.get("width") == "100%"
    assert root.find("s:title", NS).text
    assert len(root.get("viewBox").split()) == 4
    return root


def size(root):
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    return width, height


def of_class(root, tag, name):
    return [e for e in root.iter(f"{{{NS['s']}}}{tag}") if name in e.get("class", "").split()]


def visible(element):
    """The text of an element without its tooltip (a <title> child)."""
    return (element.text or "") + "".join(child.tail or "" for child in element)


def texts(root):
    return [visible(e) for e in root.iter(f"{{{NS['s']}}}text")]


# The Gantt chart


def gantt(rows, arrows=(), today=None, labels=None, calendar=None):
    return parse(gantt_svg(rows, arrows, calendar or WorkingCalendar(MONDAY), today, labels))


def test_a_bar_per_activity_and_a_diamond_per_milestone_critical_ones_red():
    rows = HAND_ROWS + [Row("M", "Abnahme", 0, timing("M", 8, 8, 8, 8))]
    root = gantt(rows, HAND_ARROWS)
    bars = {bar.get("data-id"): bar for bar in of_class(root, "rect", "bar")}
    assert sorted(bars) == ["A", "B", "C", "D", "E"]
    assert {ident for ident, bar in bars.items() if bar.get("fill") == RED} == {"A", "C", "D"}
    assert {ident for ident, bar in bars.items() if bar.get("fill") == BLUE} == {"B", "E"}
    (diamond,) = of_class(root, "polygon", "milestone")
    assert diamond.get("data-id") == "M" and diamond.get("fill") == RED


def test_bars_sit_on_their_dates_ordered_by_start():
    root = gantt(HAND_ROWS, HAND_ARROWS)
    bars = {bar.get("data-id"): bar for bar in of_class(root, "rect", "bar")}
    x = {ident: float(bar.get("x")) for ident, bar in bars.items()}
    assert x["A"] < x["B"] == x["C"] < x["E"] < x["D"]
    day = float(bars["A"].get("width")) / 3  # Monday to Wednesday
    assert float(bars["C"].get("width")) == near(6 * day)  # Thu, Fri, Mon, Tue
    assert x["D"] - x["A"] == near(9 * day)  # day 7 is Wednesday 10 March


def test_weekends_are_shaded_columns_named_in_the_tip():
    calendar = WorkingCalendar(MONDAY, holidays={date(2027, 3, 10): "Betriebsfeier"})
    root = gantt(HAND_ROWS, calendar=calendar)
    bar = next(b for b in of_class(root, "rect", "bar") if b.get("data-id") == "A")
    day = float(bar.get("width")) / 3
    shades = of_class(root, "rect", "nonworking")
    shades = {(r.get("data-from"), r.get("data-to")): r for r in shades}
    weekend = shades[("2027-03-06", "2027-03-07")]
    assert float(weekend.get("x")) == near(float(bar.get("x")) + 5 * day)
    assert float(weekend.get("width")) == near(2 * day)
    assert "Wochenende" in weekend.find("s:title", NS).text
    assert "Betriebsfeier" in shades[("2027-03-10", "2027-03-10")].find("s:title", NS).text


def test_half_days_are_placed_within_their_day():
    rows = [
        Row("1", "Halber Tag", 0.5, timing("1", 0, 0.5, 0, 0.5)),
        Row("2", "Nachmittag", 0.5, timing("2", 0.5, 1, 0.5, 1)),
        Row("3", "Ein Tag", 1, timing("3", 1, 2, 1, 2)),
    ]
    bars = of_class(gantt(rows), "rect", "bar")
    x, width = [float(b.get("x")) for b in bars], [float(b.get("width")) for b in bars]
    day = width[2]
    assert width[0] == width[1] == near(day / 2)
    assert x[1] == near(x[0] + day / 2)
    assert x[2] == near(x[0] + day)


def test_names_are_escaped():
    rows = [Row("1", "Prüfung <Datenschutz & Recht>", 1, timing("1", 0, 1, 0, 1))]
    text = gantt_svg(rows, [], WorkingCalendar(MONDAY))
    assert "<Datenschutz" not in text
    assert "Prüfung <Datenschutz & Recht>" in texts(parse(text))


def test_the_today_line_only_within_the_span():
    assert of_class(gantt(HAND_ROWS, today=date(2027, 3, 4)), "line", "today")
    assert not of_class(gantt(HAND_ROWS, today=date(2027, 4, 30)), "line", "today")
    assert not of_class(gantt(HAND_ROWS, today=date(2027, 2, 1)), "line", "today")


def test_floats_are_thin_bars_and_a_negative_float_a_red_label_instead():
    rows = [
        Row("1", "Mit Puffer", 2, timing("1", 0, 2, 3, 5, free=1)),
        Row("2", "Zu spät", 3, timing("2", 2, 5, 0, 3)),
    ]
    root = gantt(rows)
    (total,) = of_class(root, "rect", "float")
    (free,) = of_class(root, "rect", "free-float")
    bar = of_class(root, "rect", "bar")[0]
    day = float(bar.get("width")) / 2
    assert float(total.get("x")) == near(float(bar.get("x")) + 2 * day)
    assert float(total.get("width")) == near(3 * day)
    assert float(free.get("width")) == near(day)
    (late,) = of_class(root, "text", "negative-float")
    assert visible(late) == "−2" and late.get("fill") == RED


def test_labels_switch_to_english_with_a_decimal_point():
    rows = [Row("1", "Kick-off", 0.5, timing("1", 0, 0.5, 0, 0.5))]
    german, english = texts(gantt(rows)), texts(gantt(rows, labels=ENGLISH))
    assert "Vorgang" in german and "0,5" in german and "Kritischer Vorgang" in german
    assert "Activity" in english and "0.5" in english and "Critical activity" in english


def test_a_long_project_stays_within_the_width_and_is_drawn_fast():
    spans = [(1000 * i, 1000 * i + 1000) for i in range(10)]
    rows = [
        Row(str(i), f"Phase {i}", 1000, timing(str(i), *span, *span))
        for i, span in enumerate(spans)
    ]
    arrows = [Arrow(str(i), str(i + 1)) for i in range(9)]
    began = time.perf_counter()
    root = gantt(rows, arrows)
    assert time.perf_counter() - began < 1
    assert size(root)[0] <= 1400
    shown = texts(root)
    assert "2030" in shown and "2064" in shown and not any("KW" in t for t in shown)


def test_links_are_drawn_as_arrows():
    root = gantt(HAND_ROWS, HAND_ARROWS)
    links = of_class(root, "path", "link")
    assert len(links) == len(HAND_ARROWS)
    assert {link.get("stroke") for link in links} == {RED, "#8a96a3"}


# The network diagram


def network(rows, arrows, labels=None):
    return parse(network_svg(rows, arrows, labels))


def fields(node):
    return {t.get("data-field"): visible(t) for t in node.iter(f"{{{NS['s']}}}text")}


def test_node_fields_hold_the_hand_computed_times():
    root = network(HAND_ROWS, HAND_ARROWS)
    nodes = {node.get("data-id"): fields(node) for node in of_class(root, "g", "node")}
    assert nodes["B"] == {
        "id": "B",
        "name": "Vorgang B",
        "es": "3",
        "ef": "5",
        "ls": "5",
        "lf": "7",
        "duration": "2",
        "total_float": "2",
        "free_float": "0",
    }
    assert (nodes["E"]["es"], nodes["E"]["ls"], nodes["E"]["free_float"]) == ("4", "6", "2")
    assert (nodes["D"]["es"], nodes["D"]["lf"], nodes["D"]["total_float"]) == ("7", "8", "0")
    critical = {node.get("data-id") for node in of_class(root, "g", "node")
                if "critical" in node.get("class")}  # fmt: skip
    assert critical == {"A", "C", "D"}


def test_a_network_at_its_own_size_for_a_scrolling_container():
    text = network_svg(HAND_ROWS, HAND_ARROWS, fit=False)
    root = ET.fromstring(text)  # noqa: S314  (our own output, not untrusted input)
    assert (float(root.get("width")), float(root.get("height"))) == size(root)


def test_columns_follow_the_earliest_start():
    layout = network_layout(HAND_ROWS, HAND_ARROWS)
    x = {ident: position[0] for ident, position in layout.items()}
    assert x["A"] < x["B"] == x["C"] < x["E"] < x["D"]


def test_links_carry_type_and_lag_and_critical_ones_are_red():
    arrows = HAND_ARROWS + [Arrow("A", "E", "FF", -2)]
    root = network(HAND_ROWS, arrows)
    links = {(g.get("data-source"), g.get("data-target")): g for g in of_class(root, "g", "link")}
    words = {key: "".join(texts(group)) for key, group in links.items()}
    assert words[("B", "E")] == "AF+1" and words[("A", "E")] == "EF−2"
    assert words[("A", "B")] == ""
    red = {key for key, group in links.items() if "critical" in group.get("class")}
    assert red == {("A", "C"), ("C", "D")}
    assert "SS+1" in texts(network(HAND_ROWS, arrows, ENGLISH))


def test_numbers_and_link_labels():
    shown = [number(v) for v in (3.0, 2.5, -1, 0.1 + 0.2, 1 / 3)]
    assert shown == ["3", "2,5", "−1", "0,3", "0,33"]
    assert number(2.5, ".") == "2.5"
    labels = {"FS": "NF", "SS": "AF", "FF": "EF", "SF": "SF", "decimal": ","}
    assert link_label(Arrow("a", "b"), labels) == ""
    assert link_label(Arrow("a", "b", "SS"), labels) == "AF"
    assert link_label(Arrow("a", "b", "FS", 0.5), labels) == "NF+0,5"
    assert link_label(Arrow("a", "b", "SF", -1), labels) == "SF−1"


def random_network(count, seed):
    rnd = random.Random(seed)
    durations = [rnd.choice([0, 0.5, 1, 2, 3, 5, 8]) for _ in range(count)]
    arrows = []
    for target in range(1, count):
        count_in = min(target, rnd.randint(1, 3))
        for source in rnd.sample(range(max(0, target - 10), target), k=count_in):
            arrows.append(Arrow(str(source), str(target), rnd.choice(["FS"] * 6 + ["SS", "FF"]),
                                rnd.choice([0, 0, 1, -1])))  # fmt: skip
    # Earliest starts along the links; the diagram only needs them consistent.
    es = [0.0] * count
    for arrow in sorted(arrows, key=lambda a: int(a.target)):
        source, target = int(arrow.source), int(arrow.target)
        start = es[source] + (durations[source] if arrow.type in ("FS", "FF") else 0)
        bound = start + arrow.lag - (durations[target] if arrow.type in ("FF", "SF") else 0)
        es[target] = max(es[target], bound)
    rows = [
        Row(str(i), f"Vorgang {i} mit einem langen Namen", durations[i],
            timing(str(i), es[i], es[i] + durations[i], es[i], es[i] + durations[i]))
        for i in range(count)
    ]  # fmt: skip
    return rows, arrows


def test_sixty_activities_are_boxes_that_do_not_overlap_within_bounds():
    rows, arrows = random_network(60, seed=3)
    root = network(rows, arrows)
    assert len(of_class(root, "g", "node")) == 60
    layout = network_layout(rows, arrows)
    boxes = sorted(layout.values())
    for index, (x, y) in enumerate(boxes):
        for other_x, other_y in boxes[index + 1 :]:
            apart = abs(x - other_x) >= NODE_WIDTH or abs(y - other_y) >= NODE_HEIGHT
            assert apart, ((x, y), (other_x, other_y))
    for arrow in arrows:  # every link points to the right
        assert layout[arrow.source][0] < layout[arrow.target][0]
    columns = len({x for x, _ in boxes})
    rows_used = len({y for _, y in boxes})
    width, height = size(root)
    assert columns * rows_used <= 4 * 60  # not a sparse grid
    assert width <= columns * (NODE_WIDTH + 80) + 60
    assert height <= rows_used * (NODE_HEIGHT + 40) + 200


def test_long_links_run_in_the_channels_between_rows_of_boxes():
    rows, arrows = random_network(40, seed=5)
    layout = network_layout(rows, arrows)
    root = network(rows, arrows)
    checked = 0
    for path in root.iter(f"{{{NS['s']}}}path"):
        found = re.search(r" ([0-9.]+),([0-9.]+) H([0-9.]+)", path.get("d"))
        if not found:
            continue
        left, y, right = (float(v) for v in found.groups())
        for x0, y0 in layout.values():
            crosses = x0 < right and left < x0 + NODE_WIDTH and y0 <= y <= y0 + NODE_HEIGHT
            assert not crosses
        checked += 1
    assert checked


def test_an_empty_project_and_odd_links_still_draw():
    assert not of_class(gantt([]), "rect", "bar")
    assert not of_class(network([], []), "g", "node")
    odd = [Arrow("A", "B"), Arrow("B", "A"), Arrow("A", "Z"), Arrow("C", "C")]  # a cycle too
    layout = network_layout(HAND_ROWS, odd)
    assert sorted(layout) == ["A", "B", "C", "D", "E"]
    assert len(set(layout.values())) == 5
