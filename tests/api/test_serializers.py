"""api/serializers.py and api/fields.py: both languages side by side, times in UTC and local with the
zone, a demand's history, no place for an online action."""

import pytest

from tests.api.lists import results
from tests.factories import ActionFactory, CityFactory, local

pytestmark = pytest.mark.django_db


def test_actions_list_both_languages_utc_and_local_time_with_the_zone(client):
    ActionFactory(
        slug="chicago-march",
        city=CityFactory(country="US", time_zone="America/Chicago", slug="chicago"),
        starts_at=local(2025, 11, 15, 10, 0, "America/Chicago"),
        ends_at=local(2025, 11, 15, 12, 0, "America/Chicago"),
        title_en="March in Chicago",
        title_es="Marcha en Chicago",
    )
    (action,) = results(client, "/api/v1/actions/")
    assert action["title"] == {"en": "March in Chicago", "es": "Marcha en Chicago"}
    assert action["starts_at"] == "2025-11-15T16:00:00Z"
    assert action["starts_at_local"] == "2025-11-15T10:00:00-06:00"
    assert (action["time_zone"], action["time_zone_abbreviation"]) == ("America/Chicago", "CST")
    assert (action["country"], action["city"], action["online"]) == ("US", "chicago", False)
    assert action["urls"]["es"].endswith("/es/actions/chicago-march/")


def test_a_summer_us_action_is_in_daylight_time_and_a_mexican_one_is_not(client):
    ActionFactory(
        city=CityFactory(country="US", time_zone="America/New_York"),
        starts_at=local(2027, 7, 1, 18, 0, "America/New_York"),
    )
    ActionFactory(
        city=CityFactory(country="MX", time_zone="America/Mexico_City"),
        starts_at=local(2027, 7, 1, 18, 0, "America/Mexico_City"),
    )
    zones = {a["time_zone"]: (a["time_zone_abbreviation"], a["starts_at"]) for a in results(client, "/api/v1/actions/")}
    assert zones == {
        "America/New_York": ("EDT", "2027-07-01T22:00:00Z"),
        "America/Mexico_City": ("CST", "2027-07-02T00:00:00Z"),
    }


def test_demands_carry_their_history_and_outcomes_their_demands(client, june30):
    demand = client.get("/api/v1/demands/justice-ciudad-juarez-fire/").json()
    assert demand["status"] == "acknowledged"
    assert [(s["date"], s["status"], s["outcome"]) for s in demand["history"]] == [
        ("2023-06-30", "raised", None),
        (None, "acknowledged", "cndh-recommendation-ciudad-juarez-fire"),
    ]
    outcomes = results(client, "/api/v1/outcomes/?demand=peace-summit-follow-up")
    assert [o["slug"] for o in outcomes] == ["peace-summit-working-group-commitment"]
    assert outcomes[0]["institution"]["es"] == "Gobierno Federal de México"
    (campaign,) = results(client, "/api/v1/campaigns/")
    assert campaign["calendars"]["es"].endswith("/es/campaigns/june-30-2023/calendar.ics")
    assert len(results(client, "/api/v1/actions/?campaign=june-30-2023")) == 8
    assert {c["slug"] for c in results(client, "/api/v1/cities/")} >= {"tapachula", "new-york"}


def test_an_online_action_shows_no_place_whatever_was_typed(client):
    ActionFactory(city=None, slug="call", venue="Room 4", address="Calle 1")
    action = client.get("/api/v1/actions/call/").json()
    assert (action["venue"], action["address"], action["online"]) == ("", "", True)
