"""Wall-clock time in a city's zone: which zones exist, typed times to instants, instants to text.

Times are stored as aware datetimes in UTC and shown in the action's zone (see Action.zone).
"""

import datetime
import functools
import importlib.resources
import zoneinfo

from django.utils.formats import date_format, get_format
from django.utils.translation import gettext as _


@functools.cache
def known_time_zones() -> frozenset[str]:
    """The IANA zone names the tzdata package ships: the same set on every machine, whatever the
    operating system has in /usr/share/zoneinfo. "Factory" is left out: it is a placeholder, not a
    place ("-00")."""
    return frozenset(importlib.resources.files("tzdata").joinpath("zones").read_text().split()) - {"Factory"}


class NonexistentLocalTime(ValueError):
    """A wall-clock time the clocks skip in that zone (the spring-forward gap)."""


def aware_in_zone(naive: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """`naive`, read as wall-clock time in `zone`, as an aware datetime.

    A time that occurs twice (clocks fall back) is taken as the first, daylight-time one. Raises
    NonexistentLocalTime for a time that never occurs there, OverflowError within a day of the
    ends of datetime's range (year 1, year 9999).
    """
    aware = naive.replace(tzinfo=zone, fold=0)
    if aware.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise NonexistentLocalTime(f"{naive:%Y-%m-%d %H:%M} does not occur in {zone.key}")
    return aware


def zoned_text(moment: datetime.datetime, *, with_date: bool = True) -> str:
    """`moment` (aware, already in the zone to show) in the active language's format, followed by
    the zone's abbreviation: "June 30, 2023, 6:00 PM CDT", "30 de junio de 2023, 18:00 CST".

    The abbreviation is added here rather than with the "T" format character, which Django leaves
    empty for the hour that occurs twice when clocks fall back."""
    time_format = get_format("TIME_FORMAT")
    fmt = f"{get_format('DATE_FORMAT')}, {time_format}" if with_date else time_format
    return f"{date_format(moment, fmt)} {moment.tzname()}"


def local_start_text(action) -> str:
    """When `action` starts, in its own zone: "June 30, 2023, 6:00 PM CDT", or the date alone and
    "time to be announced"."""
    if action.time_to_be_announced:
        return _("%(date)s, time to be announced") % {"date": date_format(action.local_starts_at, "DATE_FORMAT")}
    return zoned_text(action.local_starts_at)


def relative_start_text(action, now) -> str:
    """When `action` starts, seen from `now` (aware), for a subject line: "tomorrow 6:00 PM CST",
    "hoy 18:00 CST", "June 30, 6:00 PM CDT"; "tomorrow, time to be announced"."""
    local = action.local_starts_at
    days = (local.date() - now.astimezone(action.zone).date()).days
    day = {0: _("today"), 1: _("tomorrow")}.get(days)
    if action.time_to_be_announced:
        return _("%(day)s, time to be announced") % {"day": day or date_format(local, "MONTH_DAY_FORMAT")}
    if day:
        return f"{day} {zoned_text(local, with_date=False)}"
    return f"{date_format(local, 'MONTH_DAY_FORMAT')}, {zoned_text(local, with_date=False)}"


def span_parts(start, end) -> list[tuple[str, str]]:
    """[(ISO 8601, text)] for a start and an end, aware and already in the zone to show; the end's
    date only if it differs."""
    return [
        (start.isoformat(), zoned_text(start)),
        (end.isoformat(), zoned_text(end, with_date=start.date() != end.date())),
    ]


def span_text(start, end) -> str:
    """A start and an end (aware, in the zone to show): "June 30, 2023, 6:00 PM CDT – 8:00 PM CDT"."""
    return " – ".join(text for _iso, text in span_parts(start, end))


def when_parts(action) -> list[tuple[str, str]]:
    """[(ISO 8601, text)] for the start and, when a time is known, the end, in the action's zone."""
    if action.time_to_be_announced:
        return [(action.local_starts_at.date().isoformat(), local_start_text(action))]
    return span_parts(action.local_starts_at, action.local_ends_at)
