"""What the Gantt chart and the network diagram share: their input rows and arrows, their
labels in German and English, colours, and how numbers and link types are printed.

Pure: no Flask, no database.
"""

from dataclasses import dataclass

CRITICAL = "#c62828"
BRAND = "#1d4f91"
TEXT = "#1f2933"
MUTED = "#6c7a89"
GRID = "#d5dce5"
FAINT = "#eef1f5"
WHITE = "#ffffff"
MINUS = "\u2212"
# Points are sums of floats (durations, lags): a float of 1e-12 is no float.
EPSILON = 1e-9


@dataclass(frozen=True)
class Row:
    """An activity as drawn: `timing` is the scheduler's Timing or anything with es, ef, ls,
    lf, total_float, free_float and critical."""

    id: str
    name: str
    duration: float
    timing: object


@dataclass(frozen=True)
class Arrow:
    """A link: type FS, SS, FF or SF (DIN 69900: NF, AF, EF, SF), lag in working days."""

    source: str
    target: str
    type: str = "FS"
    lag: float = 0


# German is the fallback; the view passes translated labels (missing keys fall back).
GERMAN = {
    "gantt_title": "Balkenplan",
    "network_title": "Netzplan",
    "number": "Nr.",
    "activity": "Vorgang",
    "duration": "Dauer",
    "duration_days": "Dauer (AT)",
    "es": "FAZ",
    "ef": "FEZ",
    "ls": "SAZ",
    "lf": "SEZ",
    "total_float": "GP",
    "free_float": "FP",
    "critical": "Kritischer Vorgang",
    "normal": "Vorgang",
    "critical_path": "Kritischer Pfad",
    "float": "Gesamtpuffer",
    "free": "Freier Puffer",
    "late": "Verzug",
    "milestone": "Meilenstein",
    "today": "Heute",
    "nonworking": "Arbeitsfrei",
    "weekend": "Wochenende",
    "legend": "Legende",
    "week": "KW",
    "months": "Jan Feb Mär Apr Mai Jun Jul Aug Sep Okt Nov Dez",
    "date": "%d.%m.%Y",
    "decimal": ",",
    "FS": "NF",
    "SS": "AF",
    "FF": "EF",
    "SF": "SF",
    "link_types": "NF Normalfolge · AF Anfangsfolge · EF Endfolge · SF Sprungfolge",
    "time_note": "Zeitpunkte in Arbeitstagen ab Projektbeginn (0)",
}

ENGLISH = {
    "gantt_title": "Gantt chart",
    "network_title": "Network diagram",
    "number": "No.",
    "activity": "Activity",
    "duration": "Duration",
    "duration_days": "Duration (wd)",
    "es": "ES",
    "ef": "EF",
    "ls": "LS",
    "lf": "LF",
    "total_float": "TF",
    "free_float": "FF",
    "critical": "Critical activity",
    "normal": "Activity",
    "critical_path": "Critical path",
    "float": "Total float",
    "free": "Free float",
    "late": "Behind schedule",
    "milestone": "Milestone",
    "today": "Today",
    "nonworking": "Non-working",
    "weekend": "Weekend",
    "legend": "Key",
    "week": "W",
    "months": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
    "date": "%Y-%m-%d",
    "decimal": ".",
    "FS": "FS",
    "SS": "SS",
    "FF": "FF",
    "SF": "SF",
    "link_types": "FS finish-to-start · SS start-to-start · FF finish-to-finish · "
    "SF start-to-finish",
    "time_note": "Time points in working days from the project start (0)",
}


def complete(labels):
    return {**GERMAN, **(labels or {})}


def number(value, decimal=","):
    """2 -> "2", 2.5 -> "2,5", -1 -> "−1" (a true minus sign)."""
    rounded = round(float(value), 2)
    digits = f"{abs(rounded):.2f}".rstrip("0").rstrip(".")
    return (MINUS if rounded < 0 else "") + digits.replace(".", decimal)


def link_label(arrow, labels):
    """ "" for a plain FS 0, else the type and a signed lag: "AF", "AF+2", "EF−1"."""
    lag = float(arrow.lag or 0)
    if arrow.type == "FS" and abs(lag) < EPSILON:
        return ""
    kind = labels.get(arrow.type, arrow.type)
    if abs(lag) < EPSILON:
        return kind
    return kind + ("+" if lag > 0 else "") + number(lag, labels["decimal"])


def is_tight(arrow, source, target):
    """The link leaves no room: the target starts (or ends) exactly as the link demands."""
    start = source.ef if arrow.type in ("FS", "FF") else source.es
    end = target.es if arrow.type in ("FS", "SS") else target.ef
    return abs(end - (start + float(arrow.lag or 0))) < EPSILON


def is_critical_link(arrow, source, target):
    return bool(source.critical and target.critical and is_tight(arrow, source, target))
