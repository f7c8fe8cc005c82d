"""The working-day calendar of a training project: which dates are worked, and the mapping
between the scheduler's working-day time points and dates.

Time points are 0-based working days as the scheduler counts them: an activity with ES 0
and duration 3 has EF 3 and occupies working days 0, 1 and 2. Day 0 is the first working
day on or after the project start; negative points count working days before it.

Pure: no Flask, no database.
"""

import bisect
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import MappingProxyType

import holidays as holiday_data

WEEKEND = "weekend"  # the reason of a free weekday; the caller words it ("Wochenende")

# The sixteen Bundesländer by the subdivision codes of the holidays package (ISO 3166-2:DE).
STATES = {
    "BW": "Baden-Württemberg",
    "BY": "Bayern",
    "BE": "Berlin",
    "BB": "Brandenburg",
    "HB": "Bremen",
    "HH": "Hamburg",
    "HE": "Hessen",
    "MV": "Mecklenburg-Vorpommern",
    "NI": "Niedersachsen",
    "NW": "Nordrhein-Westfalen",
    "RP": "Rheinland-Pfalz",
    "SL": "Saarland",
    "SN": "Sachsen",
    "ST": "Sachsen-Anhalt",
    "SH": "Schleswig-Holstein",
    "TH": "Thüringen",
}

ONE_DAY = timedelta(days=1)
# Time points are sums of floats (durations, lags): 2.9999999999 means 3.
EPSILON = 1e-9


@dataclass(frozen=True)
class WorkingCalendar:
    """Weekdays worked, public holidays (date -> name) and company closures
    ((first, last, label), both inclusive)."""

    start: date
    weekdays: frozenset = frozenset({0, 1, 2, 3, 4})  # Monday = 0
    holidays: Mapping = field(default_factory=dict, hash=False)
    closures: tuple = ()
    # Working dates found so far, from day 0 forwards and from day -1 backwards. They grow
    # by doubling and are replaced, never changed in place, so a calendar shared between
    # threads stays consistent.
    _ahead: list = field(default=None, init=False, repr=False, compare=False)
    _behind: list = field(default=None, init=False, repr=False, compare=False)
    _closed: Mapping = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self):
        weekdays = frozenset(int(weekday) for weekday in self.weekdays)
        if not weekdays:
            raise ValueError("A working calendar needs at least one working weekday.")
        if not weekdays <= set(range(7)):
            raise ValueError("Weekdays are numbered 0 (Monday) to 6 (Sunday).")
        closures = tuple((first, last, str(label)) for first, last, label in self.closures)
        closed = {}
        for first, last, label in closures:
            if last < first:
                raise ValueError(f"The closure {label!r} ends ({last}) before it begins ({first}).")
            day = first
            while day <= last:
                closed.setdefault(day, label)
                day += ONE_DAY
        set_ = object.__setattr__
        set_(self, "weekdays", weekdays)
        set_(self, "holidays", MappingProxyType(dict(self.holidays)))
        set_(self, "closures", closures)
        set_(self, "_closed", MappingProxyType(closed))
        set_(self, "_ahead", [])
        set_(self, "_behind", [])

    def is_working(self, day: date) -> bool:
        return (
            day.weekday() in self.weekdays and day not in self.holidays and day not in self._closed
        )

    def reason(self, day: date) -> str | None:
        """Why a date is not worked: the holiday's name, the closure's label or WEEKEND;
        None on a working day."""
        if day in self.holidays:
            return self.holidays[day]
        if day in self._closed:
            return self._closed[day]
        return None if day.weekday() in self.weekdays else WEEKEND

    def day(self, index: int) -> date:
        """The date of working day number `index` (0-based; negative: before the start)."""
        index = int(index)
        if index >= 0:
            return self._grown_ahead(index + 1)[index]
        return self._grown_behind(-index)[-index - 1]

    def start_date(self, point: float) -> date:
        """The date on which work at time point `point` happens."""
        return self.day(math.floor(point + EPSILON))

    def finish_date(self, point: float, start_point: float) -> date:
        """The last date worked by an activity that ends at `point`; a milestone
        (`point == start_point`) falls on its start date."""
        if abs(point - start_point) < EPSILON:
            return self.start_date(start_point)
        return self.day(math.ceil(point - EPSILON) - 1)

    def index_of(self, day: date) -> float:
        """The working-day index of a date; a date not worked maps to the index of the next
        working day. A whole number."""
        ahead = self._grown_ahead(1)
        if day >= ahead[0]:
            while ahead[-1] < day:
                ahead = self._grown_ahead(2 * len(ahead))
            return bisect.bisect_left(ahead, day)
        behind = self._grown_behind(1)
        while behind[-1] >= day:
            behind = self._grown_behind(2 * len(behind))
        # behind runs backwards in time: count the working dates on or after `day`.
        return -bisect.bisect_right(behind, -day.toordinal(), key=lambda d: -d.toordinal())

    def _grown_ahead(self, count):
        found = self._ahead
        if len(found) >= count:
            return found
        found = list(found)
        current = found[-1] if found else self.start - ONE_DAY
        target = max(count, 2 * len(found), 256)
        while len(found) < target:
            current += ONE_DAY
            if self.is_working(current):
                found.append(current)
        object.__setattr__(self, "_ahead", found)
        return found

    def _grown_behind(self, count):
        found = self._behind
        if len(found) >= count:
            return found
        found = list(found)
        current = found[-1] if found else self._grown_ahead(1)[0]
        target = max(count, 2 * len(found), 64)
        while len(found) < target:
            current -= ONE_DAY
            if self.is_working(current):
                found.append(current)
        object.__setattr__(self, "_behind", found)
        return found


def german_holidays(state: str, years: int | Iterable[int]) -> dict[date, str]:
    """The public holidays of a Bundesland (a code of STATES) in the given years, named in
    German, in date order."""
    if state not in STATES:
        raise ValueError(f"Unknown German state {state!r}; known: {', '.join(STATES)}.")
    years = [years] if isinstance(years, int) else list(years)
    found = holiday_data.country_holidays("DE", subdiv=state, years=years, language="de")
    return dict(sorted(found.items()))
