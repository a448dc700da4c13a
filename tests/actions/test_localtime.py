"""actions/localtime.py: wall-clock times in a zone, across the clocks' changes."""

import datetime
import zoneinfo

import pytest
from django.utils import translation

from actions.localtime import NonexistentLocalTime, aware_in_zone, zoned_text

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
MEXICO_CITY = zoneinfo.ZoneInfo("America/Mexico_City")


def test_a_time_the_clocks_skip_is_refused():
    with pytest.raises(NonexistentLocalTime):
        aware_in_zone(datetime.datetime(2026, 3, 8, 2, 30), NEW_YORK)


def test_a_time_that_occurs_twice_is_the_first_one():
    moment = aware_in_zone(datetime.datetime(2026, 11, 1, 1, 30), NEW_YORK)
    assert moment.astimezone(datetime.UTC).hour == 5  # 1:30 EDT, not 1:30 EST (06:00 UTC)


def test_mexico_keeps_standard_time_all_year():
    # Mexico's last DST change was on 2022-10-30; a date that used to be in the gap now exists.
    moment = aware_in_zone(datetime.datetime(2026, 4, 5, 2, 30), MEXICO_CITY)
    assert (moment.utcoffset(), moment.tzname()) == (datetime.timedelta(hours=-6), "CST")


def test_zoned_text_names_the_zone_even_in_the_repeated_hour():
    first = aware_in_zone(datetime.datetime(2026, 11, 1, 1, 30), NEW_YORK)
    second = (first.astimezone(datetime.UTC) + datetime.timedelta(hours=1)).astimezone(NEW_YORK)
    with translation.override("en"):
        assert zoned_text(first.astimezone(NEW_YORK)) == "November 1, 2026, 1:30 AM EDT"
        assert zoned_text(second) == "November 1, 2026, 1:30 AM EST"
    with translation.override("es"):
        assert zoned_text(second) == "1 de noviembre de 2026, 01:30 EST"
