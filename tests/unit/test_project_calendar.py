"""Working-day calendar rules: weekends, holidays, closures, and points mapped to dates."""

import time
from datetime import date, timedelta

import pytest

from app.projects.calendar import STATES, WEEKEND, WorkingCalendar, german_holidays

MONDAY = date(2027, 3, 1)


def test_weekends_are_not_worked_and_days_skip_them():
    calendar = WorkingCalendar(MONDAY)
    assert [calendar.day(i) for i in range(7)] == [
        date(2027, 3, 1),
        date(2027, 3, 2),
        date(2027, 3, 3),
        date(2027, 3, 4),
        date(2027, 3, 5),
        date(2027, 3, 8),
        date(2027, 3, 9),
    ]
    assert not calendar.is_working(date(2027, 3, 6))
    assert calendar.reason(date(2027, 3, 7)) == WEEKEND
    assert calendar.reason(date(2027, 3, 8)) is None


def test_a_holiday_is_skipped_and_named():
    calendar = WorkingCalendar(MONDAY, holidays={date(2027, 3, 3): "Betriebsfeier"})
    assert not calendar.is_working(date(2027, 3, 3))
    assert calendar.reason(date(2027, 3, 3)) == "Betriebsfeier"
    assert calendar.day(2) == date(2027, 3, 4)


def test_a_closure_period_is_skipped_inclusively_and_labelled():
    closure = (date(2027, 12, 24), date(2027, 12, 31), "Betriebsruhe")
    calendar = WorkingCalendar(date(2027, 12, 22), closures=(closure,))
    assert calendar.day(0) == date(2027, 12, 22)
    assert calendar.day(1) == date(2027, 12, 23)
    assert calendar.day(2) == date(2028, 1, 3)
    assert calendar.reason(date(2027, 12, 24)) == "Betriebsruhe"
    assert calendar.reason(date(2027, 12, 31)) == "Betriebsruhe"


def test_a_closure_that_ends_before_it_begins_is_refused():
    with pytest.raises(ValueError, match="ends"):
        WorkingCalendar(MONDAY, closures=((date(2027, 3, 5), date(2027, 3, 1), "x"),))


def test_day_and_index_of_are_inverse_and_free_dates_map_to_the_next_working_day():
    calendar = WorkingCalendar(MONDAY, holidays={date(2027, 3, 10): "Feiertag"})
    for index in range(-30, 300):
        assert calendar.index_of(calendar.day(index)) == index
    assert calendar.index_of(date(2027, 3, 6)) == 5  # Saturday -> Monday 8 March
    assert calendar.index_of(date(2027, 3, 10)) == calendar.index_of(date(2027, 3, 11))
    assert calendar.index_of(date(2027, 2, 27)) == 0  # the weekend before the start


def test_a_calendar_starting_on_a_saturday_begins_on_monday():
    calendar = WorkingCalendar(date(2027, 3, 6))
    assert calendar.day(0) == date(2027, 3, 8)
    assert calendar.start_date(0) == date(2027, 3, 8)
    assert calendar.day(-1) == date(2027, 3, 5)


def test_finish_dates_of_one_three_half_day_and_milestone_activities():
    calendar = WorkingCalendar(MONDAY)
    assert calendar.finish_date(1, 0) == date(2027, 3, 1)  # one day: same day
    assert calendar.finish_date(3, 0) == date(2027, 3, 3)  # days 0, 1, 2
    assert calendar.finish_date(6, 3) == date(2027, 3, 8)  # Thursday to Monday
    assert calendar.finish_date(0.5, 0) == date(2027, 3, 1)
    assert calendar.finish_date(1.0, 0.5) == date(2027, 3, 1)
    assert calendar.start_date(0.5) == date(2027, 3, 1)
    assert calendar.finish_date(3, 3) == calendar.start_date(3) == date(2027, 3, 4)


def test_sums_of_fractions_do_not_shift_a_date():
    calendar = WorkingCalendar(MONDAY)
    point = sum([0.1] * 30)  # 2.9999999999999996
    assert calendar.start_date(point) == date(2027, 3, 4)
    assert calendar.finish_date(point, 0) == date(2027, 3, 3)


def test_other_working_weeks():
    calendar = WorkingCalendar(MONDAY, weekdays=frozenset({0, 2, 4, 5}))
    assert [calendar.day(i).weekday() for i in range(5)] == [0, 2, 4, 5, 0]


def test_no_working_weekday_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="at least one working weekday"):
        WorkingCalendar(MONDAY, weekdays=frozenset())
    with pytest.raises(ValueError, match="0 \\(Monday\\) to 6"):
        WorkingCalendar(MONDAY, weekdays=frozenset({7}))


def test_ten_thousand_working_days_are_fast_and_calendars_compare():
    calendar = WorkingCalendar(MONDAY, holidays=german_holidays("NW", range(2027, 2068)))
    began = time.perf_counter()
    last = calendar.day(10_000)
    for index in range(0, 10_000, 7):
        assert calendar.index_of(calendar.start_date(index + 0.5)) == index
    assert time.perf_counter() - began < 0.5
    assert last > MONDAY + timedelta(days=13_000)
    same = WorkingCalendar(MONDAY, holidays=dict(calendar.holidays))
    assert same == calendar and hash(same) == hash(calendar)


def test_nrw_holidays_2027_by_name():
    found = german_holidays("NW", 2027)
    assert found == {
        date(2027, 1, 1): "Neujahr",
        date(2027, 3, 26): "Karfreitag",
        date(2027, 3, 29): "Ostermontag",
        date(2027, 5, 1): "Erster Mai",  # Tag der Arbeit
        date(2027, 5, 6): "Christi Himmelfahrt",
        date(2027, 5, 17): "Pfingstmontag",
        date(2027, 5, 27): "Fronleichnam",
        date(2027, 10, 3): "Tag der Deutschen Einheit",
        date(2027, 11, 1): "Allerheiligen",
        date(2027, 12, 25): "Erster Weihnachtstag",
        date(2027, 12, 26): "Zweiter Weihnachtstag",
    }
    calendar = WorkingCalendar(date(2027, 3, 25), holidays=found)
    assert calendar.day(1) == date(2027, 3, 30)  # over Easter
    assert calendar.reason(date(2027, 3, 26)) == "Karfreitag"


def test_states_are_the_sixteen_laender_and_differ():
    assert len(STATES) == 16 and STATES["NW"] == "Nordrhein-Westfalen"
    assert date(2027, 10, 31) in german_holidays("SN", 2027)  # Reformationstag
    assert date(2027, 10, 31) not in german_holidays("NW", 2027)
    with pytest.raises(ValueError, match="Unknown German state"):
        german_holidays("XX", 2027)
