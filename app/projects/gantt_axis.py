"""The date axis of the Gantt chart and its shaded days not worked: months over days for a
short project, months over calendar weeks for a longer one, years over months for a long
one, so that the labels never crowd.

Pure: no Flask, no database; presentation attributes only, every text escaped (app.svg).
"""

from datetime import timedelta

from app import svg
from app.projects.calendar import WEEKEND
from app.projects.chart_parts import FAINT, GRID, MUTED, TEXT

BAND = 20  # the height of each of the axis' two bands
HEAD = 2 * BAND + 4
SHADE = "#e3e8ee"
ONE_DAY = timedelta(days=1)


def _months(first, last, step=1):
    day = first.replace(day=1)
    day = day.replace(month=(day.month - 1) // step * step + 1)
    while day <= last:
        month = day.month - 1 + step
        following = day.replace(year=day.year + month // 12, month=month % 12 + 1)
        yield day, following
        day = following


def _years(first, last):
    for year in range(first.year, last.year + 1):
        yield first.replace(year=year, month=1, day=1), first.replace(year=year + 1, month=1, day=1)


def _weeks(first, last):
    day = first - timedelta(days=first.weekday())
    while day <= last:
        yield day, day + 7 * ONE_DAY
        day += 7 * ONE_DAY


def _days(first, last):
    day = first
    while day <= last:
        yield day, day + ONE_DAY
        day += ONE_DAY


def _band(periods, names, scale, first, last, top, bottom, line, size=10, ink=None):
    """Ticks and the first of each period's names that fits between its ticks."""
    parts, end = [], last + ONE_DAY
    for begin, following in periods:
        left, right = scale.x(max(begin, first)), scale.x(min(following, end))
        if begin > first:
            parts.append(svg.line(left, top, left, bottom, line))
        for name in names(begin):
            if svg.width(name, size) <= right - left - 2:
                colour = ink(begin) if ink else TEXT
                parts.append(svg.text((left + right) / 2, top + 14, name, size, colour, "middle"))
                break
    return parts


def _scales(scale, first, last, labels):
    """(upper periods, their names, lower periods, their names, their ink, lines across the
    plot) for the width of a day."""
    months, week, day_width = labels["months"].split(), labels["week"], scale.day

    def month_names(day):
        name = months[day.month - 1]
        return (f"{name} {day.year}", name, name[0])

    if day_width >= 14:

        def ink(day):
            return TEXT if scale.calendar.is_working(day) else MUTED

        days = _days(first, last)
        return _months(first, last), month_names, days, lambda d: (str(d.day),), ink, "weeks"
    if day_width >= 2.5:

        def week_names(day):
            number = (day + 3 * ONE_DAY).isocalendar()[1]  # the ISO week of its Thursday
            return (f"{week} {number}", str(number))

        return _months(first, last), month_names, _weeks(first, last), week_names, None, "lower"

    def year_names(day):
        return (str(day.year), f"{day.year % 100:02d}")

    if day_width * 30 >= 12:
        lower = _months(first, last)

        def lower_names(day):
            return (months[day.month - 1], months[day.month - 1][0])
    elif day_width * 91 >= 12:
        lower = _months(first, last, 3)

        def lower_names(day):
            return (f"Q{(day.month + 2) // 3}",)
    else:
        lower, lower_names = (), None
    return _years(first, last), year_names, lower, lower_names, None, ""


def axis(scale, first, last, bottom, labels):
    """Two bands over the plot from `scale.left`. The ticks of the upper band run down to
    `bottom`; faint lines mark the weeks when days are shown, or the lower band's ticks."""
    upper, upper_names, lower, lower_names, ink, across = _scales(scale, first, last, labels)
    right = scale.x(last + ONE_DAY)
    parts = [svg.line(scale.left, BAND, right, BAND, GRID), svg.line(0, HEAD, right, HEAD, GRID)]
    lower = list(lower)
    lines = list(_weeks(first, last)) if across == "weeks" else lower if across else []
    for begin, _ in lines:
        if begin > first:
            parts.append(svg.line(scale.x(begin), HEAD, scale.x(begin), bottom, FAINT))
    size = 9 if scale.day < 18 else 10
    parts += _band(lower, lower_names, scale, first, last, BAND, HEAD, GRID, size, ink)
    parts += _band(upper, upper_names, scale, first, last, 0, bottom, GRID, 11)
    return parts


def shading(scale, first, last, top, bottom, labels):
    """A grey column over each run of days not worked; when a day is narrower than two
    pixels only company closures, so that a long project is not drowned in weekends."""
    calendar, narrow = scale.calendar, scale.day < 2
    runs, run = [], None
    day = first
    while day <= last:
        reason = calendar.reason(day)
        if reason is not None and narrow and (reason == WEEKEND or day in calendar.holidays):
            reason = None
        if reason is None:
            run = None
        elif run is None:
            run = [day, day, [reason]]
            runs.append(run)
        else:
            run[1] = day
            if reason not in run[2]:
                run[2].append(reason)
        day += ONE_DAY
    parts, shown = [], labels["date"]
    for begin, end, reasons in runs:
        words = ", ".join(labels["weekend"] if r == WEEKEND else r for r in reasons)
        span = begin.strftime(shown) + ("" if end == begin else f" – {end.strftime(shown)}")
        x, dates = scale.x(begin), dict(data_from=begin.isoformat(), data_to=end.isoformat())
        tip = svg.tip(f"{span}: {words}")
        w = scale.x(end + ONE_DAY) - x
        parts.append(svg.rect(x, top, w, bottom - top, SHADE, tip, class_="nonworking", **dates))
    return parts
