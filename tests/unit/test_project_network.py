"""The project's network JSON: reading, the round trip, the schedule as JSON, and every
kind of bad file with the place it names."""

import json
from datetime import datetime

import pytest

from app.projects.network import Network, NetworkError, dump, parse, schedule_json
from app.projects.scheduling import Activity, Link, schedule

EXAMPLE = """{
  "name": "Medienkompetenz Onboarding",
  "deadline": 20,
  "owner": "HR",
  "activities": [
    {"id": "A", "name": "Kick-off", "duration": 1, "notes": "Raum 2.14"},
    {"id": 2, "name": "Datenschutz-Modul", "duration": 2.5, "room": "online"},
    {"id": 3.0, "name": "Abschluss", "duration": 0}
  ],
  "links": [
    {"from": "A", "to": 2},
    {"from": 2, "to": "3", "type": "ss", "lag": -0.5}
  ]
}"""


def test_example_reads_with_defaults_and_ids_as_strings():
    network = parse(EXAMPLE)
    assert network == Network(
        name="Medienkompetenz Onboarding",
        deadline=20.0,
        activities=(
            Activity("A", 1.0, "Kick-off"),
            Activity("2", 2.5, "Datenschutz-Modul"),
            Activity("3", 0.0, "Abschluss"),
        ),
        links=(Link("A", "2", "FS", 0.0), Link("2", "3", "SS", -0.5)),
        notes={"A": "Raum 2.14"},
    )


def test_bytes_with_a_byte_order_mark_and_a_decoded_dict_read_alike():
    assert parse(b"\xef\xbb\xbf" + EXAMPLE.encode()) == parse(EXAMPLE)
    assert parse(json.loads(EXAMPLE)) == parse(EXAMPLE)


def test_dump_is_the_input_format_with_plain_numbers():
    assert dump(parse(EXAMPLE)) == {
        "name": "Medienkompetenz Onboarding",
        "deadline": 20,
        "activities": [
            {"id": "A", "name": "Kick-off", "duration": 1, "notes": "Raum 2.14"},
            {"id": "2", "name": "Datenschutz-Modul", "duration": 2.5},
            {"id": "3", "name": "Abschluss", "duration": 0},
        ],
        "links": [
            {"from": "A", "to": "2", "type": "FS", "lag": 0},
            {"from": "2", "to": "3", "type": "SS", "lag": -0.5},
        ],
    }


def test_dump_then_parse_gives_the_same_network():
    network = Network(
        "Präsenztag",
        None,
        (Activity("x1", 0.1, "Ä"), Activity("x2", 1 / 3), Activity("x3", 7)),
        (Link("x1", "x2", "FF", 0.3), Link("x1", "x3", "SF", -2)),
        {"x3": ""},
        datetime(2025, 3, 3, 8, 30),
    )
    assert parse(json.dumps(dump(network))) == network
    assert parse(dump(network)) == network


def test_dump_with_a_schedule_adds_it():
    network = parse(EXAMPLE)
    result = schedule(network.activities, network.links, network.deadline)
    data = dump(network, result)
    assert data["schedule"] == schedule_json(result)
    assert parse(data) == network


def test_schedule_json_gives_exactly_the_agreed_fields():
    network = parse(EXAMPLE)
    data = schedule_json(schedule(network.activities, network.links, network.deadline))
    assert data == {
        "duration": 3.5,
        "end": 3.5,
        "critical_path": ["A", "2"],
        "activities": [
            {
                "id": "A",
                "name": "Kick-off",
                "duration": 1,
                "es": 0,
                "ef": 1,
                "ls": 0,
                "lf": 1,
                "total_float": 0,
                "free_float": 0,
                "critical": True,
            },
            {
                "id": "2",
                "name": "Datenschutz-Modul",
                "duration": 2.5,
                "es": 1,
                "ef": 3.5,
                "ls": 1,
                "lf": 3.5,
                "total_float": 0,
                "free_float": 0,
                "critical": True,
            },
            {
                "id": "3",
                "name": "Abschluss",
                "duration": 0,
                "es": 0.5,
                "ef": 0.5,
                "ls": 3.5,
                "lf": 3.5,
                "total_float": 3,
                "free_float": 3,
                "critical": False,
            },
        ],
    }
    assert json.loads(json.dumps(data)) == data


def test_schedule_json_numbers_are_ints_when_integral_and_rounded_to_six_places():
    activities = [Activity("A", 0.1), Activity("B", 0.2), Activity("C", 1 / 3)]
    data = schedule_json(schedule(activities, [Link("A", "B"), Link("B", "C")], deadline=2))
    b, c = data["activities"][1], data["activities"][2]
    assert (b["ef"], c["duration"], c["ef"]) == (0.3, 0.333333, 0.633333)
    assert type(data["end"]) is float and data["end"] == 0.633333
    assert (type(data["activities"][0]["es"]), type(b["ef"])) == (int, float)


def test_start_date_round_trips():
    data = json.loads(EXAMPLE) | {"start": "2025-03-03T08:00:00"}
    assert parse(data).start == datetime(2025, 3, 3, 8)
    assert dump(parse(data))["start"] == "2025-03-03T08:00:00"


# Bad files: the message names the place.


def problems_of(source):
    with pytest.raises(NetworkError) as caught:
        parse(source)
    assert str(caught.value) == "; ".join(caught.value.problems)
    return caught.value.problems


def test_not_json():
    assert problems_of('{"name": "x",}') == [
        "not JSON: Expecting property name enclosed in double quotes (line 1, column 14)"
    ]


def test_nan_and_infinity_are_not_json():
    assert problems_of('{"activities": [{"id": "A", "duration": NaN}]}') == [
        "not JSON: NaN is not a JSON number"
    ]


def test_not_utf8():
    assert problems_of(b'{"name": "\xfc"}') == ["not UTF-8 text: invalid start byte at byte 10"]


def test_not_an_object():
    assert problems_of("[1, 2]") == ["the network must be a JSON object, not a list"]


def test_missing_keys():
    assert problems_of('{"name": "x"}') == ["activities: missing"]
    text = '{"activities": [{"name": "A"}], "links": [{"from": "A"}]}'
    assert problems_of(text) == [
        "activities[0].id: missing",
        "activities[0].duration: missing",
        "links[0].to: missing",
    ]


def test_wrong_types_name_their_places():
    data = {
        "name": 7,
        "deadline": "friday",
        "start": "next week",
        "activities": [
            {"id": "A", "duration": 1},
            {"id": True, "duration": "3", "name": 5, "notes": []},
            "B",
            {"id": "", "duration": None},
        ],
        "links": [{"from": "A", "to": ["B"], "type": 1, "lag": "2"}, 3],
    }
    assert problems_of(data) == [
        "name: not a string",
        "deadline: not a number",
        "start: 'next week' is not an ISO date",
        "activities[1].id: not a non-empty string or a number",
        "activities[1].name: not a string",
        "activities[1].duration: not a number",
        "activities[1].notes: not a string",
        "activities[2]: not an object",
        "activities[3].id: not a non-empty string or a number",
        "activities[3].duration: not a number",
        "links[0].to: not a non-empty string or a number",
        "links[0].type: not a string",
        "links[0].lag: not a number",
        "links[1]: not an object",
    ]


def test_lists_that_are_not_lists():
    assert problems_of({"activities": {"A": 1}, "links": "A>B"}) == [
        "activities: not a list",
        "links: not a list",
    ]


def test_network_rules_come_from_the_scheduler_with_the_same_places():
    data = {
        "deadline": -1,
        "activities": [{"id": "A", "duration": -2}, {"id": "A", "duration": 1}],
        "links": [{"from": "A", "to": "Z", "type": "XX"}],
    }
    assert problems_of(data) == [
        "deadline: -1.0 is negative",
        "activity 'A': duration -2.0 is negative",
        "duplicate activity id 'A' (activities[0] and activities[1])",
        "links[0] (A -> Z): unknown activity 'Z'",
        "links[0] (A -> Z): unknown link type 'XX' (expected FS, SS, FF or SF)",
    ]


def test_cycle():
    data = {
        "activities": [{"id": n, "duration": 1} for n in ("A", "B", "C")],
        "links": [{"from": "A", "to": "B"}, {"from": "B", "to": "C"}, {"from": "C", "to": "A"}],
    }
    assert problems_of(data) == ["cycle: A -> B -> C -> A"]
