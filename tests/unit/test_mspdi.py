"""MSPDI: real files from MS Project, ProjectLibre and GanttProject (tests/data/mspdi,
sources in SOURCES.md), our writer read back, and every kind of bad file."""

import xml.etree.ElementTree as ET  # noqa: N817
from datetime import date, datetime
from pathlib import Path

import pytest

from app.projects import mspdi
from app.projects.mspdi import MspdiError, read, write
from app.projects.network import Network
from app.projects.scheduling import Activity, Link, schedule

DATA = Path(__file__).resolve().parents[1] / "data" / "mspdi"
NS = "{http://schemas.microsoft.com/project}"


def real(name):
    return read((DATA / name).read_bytes())


# file: (name, start, activities, links, T in days, critical path), counted from the XML.
FILES = {
    "msproject2003-task-links.xml": (
        "task-links-project2003-mspdi.xml",
        datetime(2014, 10, 17, 8),
        16,
        8,
        12,
        ["9", "10"],
    ),
    "projectlibre-little-project.xml": (
        "Little Project",
        datetime(2018, 4, 17, 8),
        6,
        6,
        3.375,
        ["5", "1", "3", "4", "6"],
    ),
    "ganttproject-issue2659.xml": ("Project1", datetime(2025, 1, 30), 1, 0, 1, ["1"]),
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_real_file_reads_and_schedules(name):
    title, start, activities, links, total, critical = FILES[name]
    network = real(name)
    assert (network.name, network.start) == (title, start)
    assert (len(network.activities), len(network.links)) == (activities, links)
    result = schedule(network.activities, network.links)
    assert result.duration == total
    assert result.critical_ids() == critical


def test_ms_project_links_of_every_type_and_their_lags():
    # LinkLag in tenths of a minute / 10 / 480; formats 7 (days) and 9 (weeks) alike.
    assert real("msproject2003-task-links.xml").links == (
        Link("1", "2", "FS", 0),
        Link("3", "4", "FS", 1),
        Link("5", "6", "FS", 2),
        Link("7", "8", "FS", 5),
        Link("9", "10", "FS", 10),
        Link("11", "12", "SF", 2),
        Link("13", "14", "SS", 2),
        Link("15", "16", "FF", 2),
    )


def test_ms_project_summary_task_is_skipped_and_durations_are_days():
    network = real("msproject2003-task-links.xml")
    assert [a.id for a in network.activities] == [str(uid) for uid in range(1, 17)]
    assert {a.duration for a in network.activities} == {1.0}
    assert network.activities[0].name == "Task 1"


def test_our_floats_equal_ms_projects_own_slack_for_every_task():
    # The file carries MS Project's TotalSlack and FreeSlack in tenths of a minute.
    root = ET.parse(DATA / "msproject2003-task-links.xml").getroot()  # noqa: S314 - our file
    network = real("msproject2003-task-links.xml")
    timings = schedule(network.activities, network.links).timings
    for task in root.iter(f"{NS}Task"):
        uid = task.findtext(f"{NS}UID")
        if uid == "0":
            continue
        total = int(task.findtext(f"{NS}TotalSlack")) / 4800
        free = int(task.findtext(f"{NS}FreeSlack")) / 4800
        assert (timings[uid].total_float, timings[uid].free_float) == (total, free), uid
        assert timings[uid].critical == (task.findtext(f"{NS}Critical") == "1")


def test_projectlibre_fractional_durations_and_milestones():
    network = real("projectlibre-little-project.xml")
    durations = {a.id: a.duration for a in network.activities}
    assert durations == {"1": 1, "2": 0.5, "3": 1.5, "4": 0.875, "5": 0, "6": 0}
    assert {a.id: a.name for a in network.activities}["5"] == "START_OPTIMIZATION"
    assert network.links[4] == Link("2", "4", "FS", 0.0)


def test_projectlibre_critical_flags_and_finish_agree_with_ours():
    root = ET.parse(DATA / "projectlibre-little-project.xml").getroot()  # noqa: S314
    network = real("projectlibre-little-project.xml")
    result = schedule(network.activities, network.links)
    flags = {
        t.findtext(f"{NS}UID"): t.findtext(f"{NS}Critical") == "1" for t in root.iter(f"{NS}Task")
    }
    assert {ident: timing.critical for ident, timing in result.timings.items()} == flags
    # Start 2018-04-17 08:00, finish 2018-04-20 11:00: three 8-hour days and 3 hours.
    assert result.duration == 3 + 3 / 8


def test_ganttproject_file_with_24_hour_days():
    network = real("ganttproject-issue2659.xml")
    assert network.activities == (Activity("1", 1.0, "task_0"),)


# Our writer, read back.


def sample_network(ids=("1", "2", "3", "4", "5")):
    first, second, third, fourth, fifth = ids
    activities = (
        Activity(first, 3, "Kick-off & <Planung>"),
        Activity(second, 0.5, "Räume buchen"),
        Activity(third, 1.875, "Schulung"),
        Activity(fourth, 2, "Nacharbeit"),
        Activity(fifth, 0, "Abschluss"),
    )
    links = (
        Link(first, second, "SS", 1.5),
        Link(second, third, "FS", -0.25),
        Link(first, fourth, "FF", 2),
        Link(third, fifth, "SF", 4),
        Link(fourth, fifth),
    )
    notes = {third: "Raum 2.14, Beamer\nmitbringen"}
    return Network("Medienkompetenz 2025", None, activities, links, notes, datetime(2025, 3, 3, 8))


def test_write_then_read_gives_the_same_network():
    network = sample_network(("10", "20", "30", "4", "5"))
    assert read(write(network)) == network


def test_write_with_other_day_lengths_reads_back_the_same():
    network = sample_network()
    for minutes in (450, 1440):
        assert read(write(network, minutes_per_day=minutes)) == network


def test_ids_that_are_not_positive_integers_are_numbered_and_kept_in_wbs():
    data = write(sample_network(("A", "B", "C", "D", "E")))
    root = ET.fromstring(data)  # noqa: S314 - our own output
    tasks = root.findall(f"{NS}Tasks/{NS}Task")[1:]
    assert [t.findtext(f"{NS}UID") for t in tasks] == ["1", "2", "3", "4", "5"]
    assert [t.findtext(f"{NS}WBS") for t in tasks] == ["A", "B", "C", "D", "E"]
    back = read(data)
    assert [a.id for a in back.activities] == ["1", "2", "3", "4", "5"]
    assert back.links[0] == Link("1", "2", "SS", 1.5)


def test_ids_with_leading_zeros_are_not_taken_as_uids():
    data = write(Network("x", None, (Activity("07", 1), Activity("8", 1)), ()))
    assert [a.id for a in read(data).activities] == ["1", "2"]


def test_written_document_has_what_ms_project_needs():
    data = write(sample_network(), start=date(2025, 3, 3))
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Project ')
    root = ET.fromstring(data)  # noqa: S314 - our own output
    assert root.tag == f"{NS}Project"
    assert [root.findtext(f"{NS}{name}") for name in ("Name", "Title", "MinutesPerDay")] == [
        "Medienkompetenz 2025",
        "Medienkompetenz 2025",
        "480",
    ]
    assert root.findtext(f"{NS}StartDate") == "2025-03-03T08:00:00"
    calendar = root.find(f"{NS}Calendars/{NS}Calendar")
    assert calendar.findtext(f"{NS}UID") == "1"
    assert len(calendar.findall(f".//{NS}WorkingTime")) == 10  # Monday to Friday, 2 spans
    summary, *tasks = root.findall(f"{NS}Tasks/{NS}Task")
    assert (summary.findtext(f"{NS}UID"), summary.findtext(f"{NS}Summary")) == ("0", "1")
    assert [t.findtext(f"{NS}Duration") for t in tasks] == [
        "PT24H0M0S",
        "PT4H0M0S",
        "PT15H0M0S",
        "PT16H0M0S",
        "PT0H0M0S",
    ]
    assert [t.findtext(f"{NS}Milestone") for t in tasks] == ["0", "0", "0", "0", "1"]
    assert {t.findtext(f"{NS}DurationFormat") for t in tasks} == {"7"}
    lags = [
        (
            link.findtext(f"{NS}PredecessorUID"),
            link.findtext(f"{NS}Type"),
            link.findtext(f"{NS}LinkLag"),
        )
        for link in root.iter(f"{NS}PredecessorLink")
    ]
    assert lags == [
        ("1", "3", "7200"),
        ("2", "1", "-1200"),
        ("1", "0", "9600"),
        ("3", "2", "19200"),
        ("4", "1", "0"),
    ]


def test_write_starts_today_without_any_start():
    network = Network("x", None, (Activity("1", 1),), ())
    root = ET.fromstring(write(network))  # noqa: S314 - our own output
    assert root.findtext(f"{NS}StartDate") == f"{date.today().isoformat()}T08:00:00"


# Reading rules on small hand-made files.


def document(tasks, project="<MinutesPerDay>480</MinutesPerDay>", namespace=True):
    xmlns = f' xmlns="{mspdi.NAMESPACE}"' if namespace else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Project{xmlns}><Name>p</Name>{project}'
        f"<Tasks>{''.join(tasks)}</Tasks></Project>"
    ).encode()


def task(uid, duration="PT8H0M0S", extra="", name=None):
    name = f"<Name>{name if name is not None else 'T' + str(uid)}</Name>" if name != "" else ""
    return f"<Task><UID>{uid}</UID>{name}<Duration>{duration}</Duration>{extra}</Task>"


def link(uid, kind=1, lag=0, lag_format=7):
    return (
        f"<PredecessorLink><PredecessorUID>{uid}</PredecessorUID><Type>{kind}</Type>"
        f"<LinkLag>{lag}</LinkLag><LagFormat>{lag_format}</LagFormat></PredecessorLink>"
    )


def test_files_without_the_namespace_are_read():
    network = read(document([task(1), task(2, extra=link(1))], namespace=False))
    assert network.links == (Link("1", "2", "FS", 0.0),)


def test_text_input_with_its_encoding_declared_is_read():
    text = document([task(1, name="Grüße")]).decode().replace("UTF-8", "ISO-8859-1")
    assert read(text).activities[0].name == "Grüße"


def test_null_and_summary_tasks_are_no_activities():
    tasks = [
        task(0, name=""),
        task(1, extra="<Summary>1</Summary>"),
        task(2, extra="<IsNull>1</IsNull>"),
        task(3),
    ]
    assert [a.id for a in read(document(tasks)).activities] == ["3"]


def test_defaults_type_fs_and_no_lag_and_480_minutes():
    data = document(
        [
            task(1),
            task(2, extra="<PredecessorLink><PredecessorUID>1</PredecessorUID></PredecessorLink>"),
        ],
        project="",
    )
    network = read(data)
    assert network.links == (Link("1", "2", "FS", 0.0),)
    assert network.activities[0].duration == 1


@pytest.mark.parametrize(
    ("duration", "days"),
    [
        ("PT8H0M0S", 1),
        ("PT4H30M0S", 0.5625),
        ("PT0H0M0S", 0),
        ("PT7.5H0M0S", 0.9375),
        ("PT0H1M30S", 0.003125),
        ("P1DT0H0M0S", 3),  # a D counts 24 hours, so 1440 minutes at 480 a day
        ("P2D", 6),
        ("-PT0H0M0S", 0),
    ],
)
def test_durations(duration, days):
    assert read(document([task(1, duration)])).activities[0].duration == days


def test_elapsed_lags_count_calendar_days_and_negative_lags_overlap():
    tasks = [
        task(1),
        task(2, extra=link(1, lag=14400, lag_format=8)),  # 1 elapsed day
        task(3, extra=link(2, lag=-2400, lag_format=5)),  # -4 hours of work
    ]
    assert [each.lag for each in read(document(tasks)).links] == [1.0, -0.5]


def test_notes_are_kept():
    network = read(document([task(1, extra="<Notes>Bitte Laptop mitbringen</Notes>")]))
    assert network.notes == {"1": "Bitte Laptop mitbringen"}


# Bad files, each with its message.


def problem(data):
    with pytest.raises(MspdiError) as caught:
        read(data)
    return str(caught.value)


def test_not_xml():
    assert problem(b"Name;Duration\nKick-off;1d\n") == (
        "not XML: not well-formed (invalid token): line 1, column 4"
    )


def test_doctype_is_refused_before_parsing():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b"<Project><Name>&lol2;</Name></Project>"
    )
    assert "declares a DOCTYPE or ENTITY" in problem(bomb)


def test_entity_declaration_in_utf16_is_refused_too():
    data = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE p [<!ENTITY e "x">]><Project/>'
    assert "DOCTYPE or ENTITY" in problem(data.encode("utf-16"))


def test_undeclared_entity_is_not_xml():
    assert problem(b"<Project><Name>&xxe;</Name></Project>").startswith("not XML: undefined entity")


def test_wrong_root():
    message = problem(b'<?xml version="1.0"?><APIBusinessObjects/>')
    assert message.startswith(
        "not a Microsoft Project XML file: the root element is <APIBusinessObjects>"
    )


def test_dangling_predecessor():
    message = problem(document([task(1), task(2, extra=link(99))]))
    assert message == "Task UID 2: PredecessorLink to UID 99: PredecessorUID 99 points to no task"


@pytest.mark.parametrize("duration", ["P", "PT", "8h", "PT8H0M0SX", "PTH"])
def test_bad_duration(duration):
    assert problem(document([task(12, duration)])) == (
        f"Task UID 12: Duration {duration!r} is not a duration"
    )


def test_negative_duration():
    assert (
        problem(document([task(3, "-PT8H0M0S")])) == "Task UID 3: Duration '-PT8H0M0S' is negative"
    )


def test_missing_duration_and_bad_uid_are_reported_together():
    data = document(["<Task><UID>7</UID></Task>", "<Task><UID>x</UID></Task>"])
    assert problem(data) == "Task #2: UID 'x' is not a number; Task UID 7: no Duration"


def test_bad_minutes_per_day():
    message = problem(document([task(1)], project="<MinutesPerDay>0</MinutesPerDay>"))
    assert message == "Project MinutesPerDay '0' is not a positive number"


def test_percent_lag_is_refused_but_a_zero_one_is_fine():
    message = problem(document([task(1), task(2, extra=link(1, lag=50, lag_format=19))]))
    assert message == (
        "Task UID 2: PredecessorLink to UID 1: LinkLag 50 is a percent lag (LagFormat 19), "
        "which is not supported; give the lag in time units"
    )
    assert read(document([task(1), task(2, extra=link(1, lag=0, lag_format=19))])).links


def test_links_with_summary_tasks_are_refused_naming_both():
    tasks = [task(1, extra="<Summary>1</Summary>"), task(2, extra=link(1))]
    assert problem(document(tasks)) == (
        "Task UID 2: PredecessorLink to UID 1: UID 1 is a summary task; links to summary tasks "
        "are not supported (link its activities instead)"
    )
    tasks = [task(1), task(2, extra="<Summary>1</Summary>" + link(1))]
    assert problem(document(tasks)) == (
        "Task UID 2: a summary task with predecessors; links to summary tasks are not "
        "supported (link its activities instead)"
    )


def test_bad_link_type_and_cross_project_links():
    tasks = [
        task(1),
        task(2, extra=link(1, kind=7)),
        task(3, extra=link(1).replace("<LinkLag>", "<CrossProject>1</CrossProject><LinkLag>")),
    ]
    assert problem(document(tasks)) == (
        "Task UID 2: PredecessorLink to UID 1: Type '7' is not 0 (FF), 1 (FS), 2 (SF) or 3 (SS); "
        "Task UID 3: PredecessorLink to UID 1 links another project, which is not supported"
    )


def test_duplicate_uid_and_cycle():
    assert problem(document([task(1), task(1)])) == "Task UID 1: the UID is used twice"
    tasks = [task(1, extra=link(2)), task(2, extra=link(1))]
    assert problem(document(tasks)) == "cycle: 1 -> 2 -> 1"


def test_bad_start_date():
    data = document([task(1)], project="<StartDate>soon</StartDate>")
    assert problem(data) == "Project StartDate 'soon' is not a date"
