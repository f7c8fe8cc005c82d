"""The project's own network JSON: reading and writing a network, and a schedule as JSON.

The format, one object::

    {"name": "Onboarding 2025", "deadline": 20, "start": "2025-03-03T08:00:00",
     "activities": [{"id": "A", "name": "Kick-off", "duration": 1, "notes": "..."}],
     "links": [{"from": "A", "to": "B", "type": "FS", "lag": 0}]}

``deadline`` and ``start`` are optional, ``links`` too; a link's ``type`` defaults to FS
and its ``lag`` to 0. Durations, lags and the deadline are working days and may be
fractional. Ids may be strings or numbers; numbers become strings (1 -> "1"). Keys this
module does not know are ignored. Every problem of a file is reported at once, each
naming its place (``activities[3].duration: not a number``); the network rules (unknown
ids, cycles, negative durations) are those of ``scheduling.validate``.
"""

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from app.projects import scheduling
from app.projects.scheduling import Activity, Link


@dataclass(frozen=True)
class Network:
    name: str
    deadline: float | None
    activities: tuple  # of scheduling.Activity
    links: tuple  # of scheduling.Link
    notes: dict = field(default_factory=dict)  # activity id -> text
    start: datetime | None = None  # the date of working day 0, when the source names one


class NetworkError(ValueError):
    """The file is not a usable network; ``problems`` lists every reason found."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def parse(source):
    """A Network from JSON text, UTF-8 bytes or an already decoded dict."""
    data = source if isinstance(source, Mapping) else _load(source)
    problems = []
    name = data.get("name", "")
    if not isinstance(name, str):
        problems.append("name: not a string")
    deadline = _optional_number(data, "deadline", "deadline", problems)
    start = _start(data.get("start"), problems)
    activities, notes = _activities(data, problems)
    links = _links(data, problems)
    if problems:
        raise NetworkError(problems)
    problems = scheduling.validate(activities, links, deadline)
    if problems:
        raise NetworkError(problems)
    return Network(name, deadline, tuple(activities), tuple(links), notes, start)


def dump(network, schedule=None):
    """The network as a dict of the input format (parse reads it back to an equal
    Network); with a schedule, its results under the key "schedule"."""
    data = {"name": network.name}
    if network.deadline is not None:
        data["deadline"] = _plain(network.deadline)
    if network.start is not None:
        data["start"] = network.start.isoformat()
    data["activities"] = []
    for activity in network.activities:
        entry = {"id": activity.id, "name": activity.name, "duration": _plain(activity.duration)}
        if activity.id in network.notes:
            entry["notes"] = network.notes[activity.id]
        data["activities"].append(entry)
    data["links"] = [
        {"from": link.source, "to": link.target, "type": link.type, "lag": _plain(link.lag)}
        for link in network.links
    ]
    if schedule is not None:
        data["schedule"] = schedule_json(schedule)
    return data


def schedule_json(schedule):
    """A schedule's results as JSON-ready data, numbers rounded to 6 decimals."""
    activities = []
    for ident, timing in schedule.timings.items():
        activity = schedule.activities.get(ident)
        activities.append(
            {
                "id": ident,
                "name": activity.name if activity else "",
                "duration": _rounded(activity.duration if activity else timing.ef - timing.es),
                "es": _rounded(timing.es),
                "ef": _rounded(timing.ef),
                "ls": _rounded(timing.ls),
                "lf": _rounded(timing.lf),
                "total_float": _rounded(timing.total_float),
                "free_float": _rounded(timing.free_float),
                "critical": timing.critical,
            }
        )
    return {
        "duration": _rounded(schedule.duration),
        "end": _rounded(schedule.end),
        "critical_path": schedule.critical_ids(),
        "activities": activities,
    }


def _plain(number):
    """An int when the number is integral (3, not 3.0), else the float itself."""
    number = float(number)
    return int(number) if number.is_integer() else number


def _rounded(number):
    return _plain(round(float(number), 6) + 0.0)


def _load(source):
    if isinstance(source, bytes | bytearray):
        try:
            source = bytes(source).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise NetworkError([f"not UTF-8 text: {error.reason} at byte {error.start}"])
    elif isinstance(source, str):
        source = source.removeprefix("\ufeff")
    else:
        raise NetworkError([f"expected JSON text, got {type(source).__name__}"])
    try:
        data = json.loads(source, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise NetworkError([f"not JSON: {error.msg} (line {error.lineno}, column {error.colno})"])
    except ValueError as error:
        raise NetworkError([f"not JSON: {error}"])
    if not isinstance(data, dict):
        raise NetworkError([f"the network must be a JSON object, not {_json_type(data)}"])
    return data


def _reject_constant(name):
    # Python's json reads NaN and Infinity, which JSON itself does not have.
    raise ValueError(f"{name} is not a JSON number")


def _json_type(value):
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")


def _number(value):
    """The value as a float, or None when it is not a finite JSON number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _optional_number(entry, key, place, problems, default=None):
    if entry.get(key) is None:
        return default
    number = _number(entry[key])
    if number is None:
        problems.append(f"{place}: not a number")
    return number


def _identifier(entry, key, place, problems):
    """Ids are strings; numbers are accepted and written as strings (1 -> "1")."""
    if key not in entry:
        problems.append(f"{place}: missing")
        return None
    value = entry[key]
    if isinstance(value, str) and value:
        return value
    if not isinstance(value, bool) and isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return str(int(value)) if value.is_integer() else str(value)
    problems.append(f"{place}: not a non-empty string or a number")
    return None


def _start(value, problems):
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    problems.append(f"start: {value!r} is not an ISO date")
    return None


def _entries(data, key, problems, required):
    entries = data.get(key)
    if entries is None:
        if required:
            problems.append(f"{key}: missing")
        return []
    if not isinstance(entries, list):
        problems.append(f"{key}: not a list")
        return []
    return entries


def _activities(data, problems):
    activities, notes = [], {}
    for position, entry in enumerate(_entries(data, "activities", problems, required=True)):
        place = f"activities[{position}]"
        if not isinstance(entry, dict):
            problems.append(f"{place}: not an object")
            continue
        ident = _identifier(entry, "id", f"{place}.id", problems)
        name = entry.get("name", "")
        if not isinstance(name, str):
            problems.append(f"{place}.name: not a string")
        duration = None
        if "duration" not in entry:
            problems.append(f"{place}.duration: missing")
        else:
            duration = _number(entry["duration"])
            if duration is None:
                problems.append(f"{place}.duration: not a number")
        text = entry.get("notes")
        if text is not None and not isinstance(text, str):
            problems.append(f"{place}.notes: not a string")
        if ident is not None and duration is not None and isinstance(name, str):
            activities.append(Activity(ident, duration, name))
            if isinstance(text, str):
                notes[ident] = text
    return activities, notes


def _links(data, problems):
    links = []
    for position, entry in enumerate(_entries(data, "links", problems, required=False)):
        place = f"links[{position}]"
        if not isinstance(entry, dict):
            problems.append(f"{place}: not an object")
            continue
        source = _identifier(entry, "from", f"{place}.from", problems)
        target = _identifier(entry, "to", f"{place}.to", problems)
        kind = entry.get("type", "FS")
        if not isinstance(kind, str):
            problems.append(f"{place}.type: not a string")
        lag = _optional_number(entry, "lag", f"{place}.lag", problems, default=0.0)
        if source is not None and target is not None and isinstance(kind, str) and lag is not None:
            links.append(Link(source, target, kind.strip().upper(), lag))
    return links
