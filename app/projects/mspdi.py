"""Microsoft Project XML (MSPDI): reading a project's activities and links, and writing them.

Reading keeps what the scheduler needs and ignores the rest (calendars, resources,
assignments, dates other than the project's start):

* Activities are the tasks that are neither summary tasks (``<Summary>1``) nor blank rows
  (``<IsNull>1``); the project summary task (UID 0, usually ``Summary`` 1 anyway) is
  skipped when it has no name either. An activity's id is its ``UID`` as a string, its
  name ``<Name>``, its duration ``<Duration>`` in days of the file's ``<MinutesPerDay>``
  (480 when absent).
* Durations are ISO 8601 durations as MSPDI writes them (``PT8H0M0S``; fractional numbers
  allowed). A ``nD`` part counts 24 hours, as in ISO 8601 (MSPDI itself only writes
  hours), so ``P1D`` with 480 minutes a day is 3 working days. A leading ``-`` is read,
  and then rejected unless the duration is zero: durations cannot be negative.
* Links come from each ``<PredecessorLink>`` inside the successor task: ``Type`` 0 = FF,
  1 = FS (also when missing), 2 = SF, 3 = SS; ``LinkLag`` is in tenths of a minute
  whatever ``LagFormat`` says, so lag days = LinkLag / 10 / MinutesPerDay. Elapsed lag
  formats (4, 6, 8, 10, 12 and their estimated forms 36 ... 44) count calendar minutes,
  which are divided by 1,440 instead: an elapsed day stays one day.
* Percent lags (LagFormat 19 = %, 20 = elapsed %, 51 and 52 their estimated forms) are
  rejected unless the lag is 0: their LinkLag is a share of the predecessor's duration,
  and the tools disagree on its unit (MPXJ, behind ProjectLibre and GanttProject, writes
  whole percent; other importers read tenths), so no guess would be safe.
* A link from or to a summary task is rejected with a message naming both tasks: it
  stands for the summary's whole group, which the flat network here cannot say.
* The project's name is ``<Title>`` when given, else ``<Name>`` (MS Project writes the
  file name there); ``<StartDate>`` becomes ``Network.start``. There is no project
  deadline in MSPDI (task ``<Deadline>`` elements are ignored).

Writing produces a file for MS Project and ProjectLibre, its elements in the order of MS
Project's schema: the project with a standard calendar (UID 1, Monday to Friday), the
project summary task (UID 0) and one auto-scheduled task per activity. UIDs: when every
activity id is a positive integer in plain form ("12", not "012"), the UIDs are those
ids, so the file reads back to the same network; otherwise the tasks are numbered 1..n in
order and each original id is kept in the task's ``<WBS>`` for people to see (reading
still takes the UID: foreign files use WBS for outline codes).

The file is parsed with the standard library, but only after making sure it declares no
DOCTYPE or ENTITY, so that no entity expansion ("billion laughs") can happen.
"""

import re
import xml.etree.ElementTree as ET  # noqa: N817 - the usual name
from datetime import date, datetime, time

from app.projects import scheduling
from app.projects.network import Network

NAMESPACE = "http://schemas.microsoft.com/project"
LINK_TYPES = {"0": "FF", "1": "FS", "2": "SF", "3": "SS"}
PERCENT_LAG_FORMATS = {"19", "20", "51", "52"}
ELAPSED_LAG_FORMATS = {"4", "6", "8", "10", "12", "36", "38", "40", "42", "44"}
DEFAULT_MINUTES_PER_DAY = 480

_DURATION = re.compile(
    r"(?P<sign>-)?P(?:(?P<days>\d+(?:\.\d*)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:\.\d*)?)H)?(?:(?P<minutes>\d+(?:\.\d*)?)M)?"
    r"(?:(?P<seconds>\d+(?:\.\d*)?)S)?)?"
)
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class MspdiError(ValueError):
    """The file is not a usable MSPDI project; ``problems`` lists every reason found."""

    def __init__(self, problems):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


def read(data):
    """A network.Network from MSPDI bytes (or text)."""
    root = _parse(data)
    prefix = root.tag[: -len("Project")]

    def text(element, name):
        found = element.find(prefix + name)
        return found.text.strip() if found is not None and found.text else None

    minutes_per_day = _positive_number(text(root, "MinutesPerDay"), "Project MinutesPerDay")
    start = text(root, "StartDate")
    try:
        start = datetime.fromisoformat(start) if start else None
    except ValueError:
        raise MspdiError(f"Project StartDate {start!r} is not a date")

    problems, tasks, summaries = [], {}, {}
    for position, task in enumerate(root.iterfind(f"{prefix}Tasks/{prefix}Task")):
        uid = text(task, "UID")
        if uid is None or not uid.lstrip("-").isdigit():
            problems.append(f"Task #{position + 1}: UID {uid!r} is not a number")
            continue
        if uid in tasks or uid in summaries:
            problems.append(f"Task UID {uid}: the UID is used twice")
        if text(task, "IsNull") == "1":
            continue
        if text(task, "Summary") == "1" or (uid == "0" and not text(task, "Name")):
            summaries[uid] = task
        else:
            tasks[uid] = task

    activities, links, notes = [], [], {}
    for uid, task in tasks.items():
        where = f"Task UID {uid}"
        duration = _duration(text(task, "Duration"), minutes_per_day, where, problems)
        activities.append(scheduling.Activity(uid, duration, text(task, "Name") or ""))
        if text(task, "Notes"):
            notes[uid] = task.find(prefix + "Notes").text
        for link in task.iterfind(prefix + "PredecessorLink"):
            fields = {name: text(link, name) for name in _LINK_FIELDS}
            found = _link(uid, fields, tasks, summaries, minutes_per_day, problems)
            if found:
                links.append(found)
    for uid, task in summaries.items():
        if task.find(prefix + "PredecessorLink") is not None:
            problems.append(
                f"Task UID {uid}: a summary task with predecessors; links to summary tasks "
                "are not supported (link its activities instead)"
            )
    if problems:
        raise MspdiError(problems)
    problems = scheduling.validate(activities, links)
    if problems:
        raise MspdiError(problems)
    name = text(root, "Title") or text(root, "Name") or ""
    return Network(name, None, tuple(activities), tuple(links), notes, start)


_LINK_FIELDS = ("PredecessorUID", "Type", "CrossProject", "LinkLag", "LagFormat")


def _parse(data):
    if isinstance(data, str):
        data = data.encode("utf-8")
        data = re.sub(rb"^(<\?xml[^>]*?)\s+encoding=[\"'][^\"']*[\"']", rb"\1", data)
    if not isinstance(data, bytes | bytearray):
        raise MspdiError(f"expected XML bytes, got {type(data).__name__}")
    data = bytes(data)
    probe = data
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        # UTF-16 hides the markup from a byte search; read it as text for the check.
        probe = data.decode("utf-16", errors="replace").encode("utf-8")
    if _DECLARATION.search(probe):
        raise MspdiError(
            "the file declares a DOCTYPE or ENTITY, which MSPDI never needs; "
            "refused because entities can expand without bound"
        )
    try:
        root = ET.fromstring(data)  # noqa: S314 - no DOCTYPE, so no entities (checked above)
    except ET.ParseError as error:
        raise MspdiError(f"not XML: {error}")
    if root.tag not in ("Project", f"{{{NAMESPACE}}}Project"):
        raise MspdiError(
            f"not a Microsoft Project XML file: the root element is <{root.tag}>, "
            f"not <Project> (namespace {NAMESPACE})"
        )
    return root


def _positive_number(value, where):
    if value is None:
        return DEFAULT_MINUTES_PER_DAY
    try:
        number = float(value)
    except ValueError:
        number = 0.0
    if not 0 < number < float("inf"):
        raise MspdiError(f"{where} {value!r} is not a positive number")
    return number


def _duration(value, minutes_per_day, where, problems):
    """Working days of an ISO duration; 0.0 (with a problem) when it is not one."""
    if value is None:
        problems.append(f"{where}: no Duration")
        return 0.0
    match = _DURATION.fullmatch(value)
    parts = match and [match["days"], match["hours"], match["minutes"], match["seconds"]]
    if not parts or not any(parts) or value.endswith("T"):
        problems.append(f"{where}: Duration {value!r} is not a duration")
        return 0.0
    days, hours, minutes, seconds = (float(part or 0) for part in parts)
    total = (days * 24 + hours) * 60 + minutes + seconds / 60
    if match["sign"] and total:
        problems.append(f"{where}: Duration {value!r} is negative")
        return 0.0
    return total / minutes_per_day


def _integer(value, default, where, problems):
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        problems.append(f"{where} {value!r} is not a whole number")
        return None


def _link(uid, fields, tasks, summaries, minutes_per_day, problems):
    """The scheduling.Link of one PredecessorLink, or None (with the problem noted)."""
    source = fields["PredecessorUID"]
    where = f"Task UID {uid}: PredecessorLink"
    if source is None:
        problems.append(f"{where} has no PredecessorUID")
        return None
    where = f"Task UID {uid}: PredecessorLink to UID {source}"
    if fields["CrossProject"] == "1":
        problems.append(f"{where} links another project, which is not supported")
        return None
    if source in summaries:
        problems.append(
            f"{where}: UID {source} is a summary task; links to summary tasks are not "
            "supported (link its activities instead)"
        )
        return None
    if source not in tasks:
        problems.append(f"{where}: PredecessorUID {source} points to no task")
        return None
    kind = LINK_TYPES.get(fields["Type"] or "1")
    if kind is None:
        problems.append(f"{where}: Type {fields['Type']!r} is not 0 (FF), 1 (FS), 2 (SF) or 3 (SS)")
    lag = _integer(fields["LinkLag"], 0, f"{where}: LinkLag", problems)
    if lag and fields["LagFormat"] in PERCENT_LAG_FORMATS:
        problems.append(
            f"{where}: LinkLag {lag} is a percent lag (LagFormat {fields['LagFormat']}), "
            "which is not supported; give the lag in time units"
        )
        return None
    if kind is None or lag is None:
        return None
    per_day = 1440 if fields["LagFormat"] in ELAPSED_LAG_FORMATS else minutes_per_day
    return scheduling.Link(source, uid, kind, lag / 10 / per_day)


def write(network, start=None, minutes_per_day=DEFAULT_MINUTES_PER_DAY):
    """The network as an MSPDI document (UTF-8 bytes) that starts on ``start``: a date or
    datetime, else the network's own start, else today; a bare date starts at 08:00."""
    start = start or network.start or date.today()
    if not isinstance(start, datetime):
        start = datetime.combine(start, time(8))
    uids = _uids([activity.id for activity in network.activities])
    minutes_per_day = int(minutes_per_day)

    ET.register_namespace("", NAMESPACE)
    project = ET.Element(f"{{{NAMESPACE}}}Project")

    def add(parent, name, value=None):
        element = ET.SubElement(parent, f"{{{NAMESPACE}}}{name}")
        if value is not None:
            element.text = str(value)
        return element

    # MS Project reads the elements in the order of its schema, so they come in that order.
    for name, value in (
        ("SaveVersion", 14),
        ("Name", network.name),
        ("Title", network.name),
        ("ScheduleFromStart", 1),
        ("StartDate", start.isoformat(timespec="seconds")),
        ("CalendarUID", 1),
        ("DefaultStartTime", "08:00:00"),
        ("MinutesPerDay", minutes_per_day),
        ("MinutesPerWeek", 5 * minutes_per_day),
        ("DaysPerMonth", 20),
        ("DurationFormat", 7),
        ("NewTasksAreManual", 0),
    ):
        add(project, name, value)
    _calendar(add(add(project, "Calendars"), "Calendar"), add, minutes_per_day)

    tasks = add(project, "Tasks")
    summary = add(tasks, "Task")
    for name, value in (("UID", 0), ("ID", 0), ("Name", network.name), ("Type", 1)):
        add(summary, name, value)
    for name, value in (("IsNull", 0), ("OutlineNumber", 0), ("OutlineLevel", 0)):
        add(summary, name, value)
    add(summary, "Summary", 1)

    predecessors = {}
    for link in network.links:
        predecessors.setdefault(link.target, []).append(link)
    types = {kind: code for code, kind in LINK_TYPES.items()}
    for number, activity in enumerate(network.activities, start=1):
        task = add(tasks, "Task")
        add(task, "UID", uids[activity.id])
        add(task, "ID", number)
        add(task, "Name", activity.name)
        add(task, "Manual", 0)
        add(task, "Type", 0)
        add(task, "IsNull", 0)
        if str(uids[activity.id]) != activity.id:
            add(task, "WBS", activity.id)
        add(task, "OutlineNumber", number)
        add(task, "OutlineLevel", 1)
        add(task, "Duration", _iso_duration(activity.duration * minutes_per_day))
        add(task, "DurationFormat", 7)
        add(task, "Milestone", int(activity.duration == 0))
        add(task, "Summary", 0)
        add(task, "ConstraintType", 0)
        if activity.id in network.notes:
            add(task, "Notes", network.notes[activity.id])
        for link in predecessors.get(activity.id, ()):
            element = add(task, "PredecessorLink")
            add(element, "PredecessorUID", uids[link.source])
            add(element, "Type", types[link.type])
            add(element, "CrossProject", 0)
            add(element, "LinkLag", round(link.lag * minutes_per_day * 10))
            add(element, "LagFormat", 7)
    ET.indent(project)
    declaration = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    return declaration + ET.tostring(project, encoding="utf-8", xml_declaration=False) + b"\n"


def _uids(ids):
    if all(ident.isdigit() and ident == str(int(ident)) and int(ident) > 0 for ident in ids):
        return {ident: int(ident) for ident in ids}
    return {ident: number for number, ident in enumerate(ids, start=1)}


def _calendar(calendar, add, minutes_per_day):
    """The standard calendar: Monday to Friday, minutes_per_day from 08:00 (with an hour
    at noon for the usual 8 hours; a 24-hour day runs from midnight to midnight)."""
    for name, value in (("UID", 1), ("Name", "Standard"), ("IsBaseCalendar", 1)):
        add(calendar, name, value)
    add(calendar, "BaseCalendarUID", -1)
    if minutes_per_day == 480:
        spans = [(8 * 60, 12 * 60), (13 * 60, 17 * 60)]
    elif minutes_per_day <= 16 * 60:
        spans = [(8 * 60, 8 * 60 + minutes_per_day)]
    else:
        spans = [(0, minutes_per_day % 1440)]
    week = add(calendar, "WeekDays")
    for day in range(1, 8):  # 1 = Sunday ... 7 = Saturday
        weekday = add(week, "WeekDay")
        add(weekday, "DayType", day)
        add(weekday, "DayWorking", int(day not in (1, 7)))
        if day not in (1, 7):
            times = add(weekday, "WorkingTimes")
            for begin, end in spans:
                span = add(times, "WorkingTime")
                add(span, "FromTime", f"{begin // 60:02d}:{begin % 60:02d}:00")
                add(span, "ToTime", f"{end // 60:02d}:{end % 60:02d}:00")


def _iso_duration(minutes):
    """PTnHnMnS, as MS Project writes durations; seconds keep up to three decimals."""
    milliseconds = round(minutes * 60_000)
    hours, rest = divmod(milliseconds, 3_600_000)
    whole_minutes, rest = divmod(rest, 60_000)
    seconds = f"{rest / 1000:.3f}".rstrip("0").rstrip(".")
    return f"PT{hours}H{whole_minutes}M{seconds}S"
