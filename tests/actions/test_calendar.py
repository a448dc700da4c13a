"""actions/calendar.py: an .ics per action and feeds to subscribe to, read back with the icalendar
library."""

import datetime
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest

from actions.models import Action
from actions.seed import load_day_of_action
from tests.factories import ActionFactory, CampaignFactory, CityFactory, local

pytestmark = pytest.mark.django_db


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def test_a_chicago_action_reads_back_in_utc_with_its_spanish_text_intact(client):
    description = "Marcha, con velas; niñas y niños al frente.\nSegunda línea: «sí», todo."
    action = ActionFactory(
        city=CityFactory(country="US", time_zone="America/Chicago"),
        starts_at=local(2025, 11, 15, 10, 0, "America/Chicago"),
        ends_at=local(2025, 11, 15, 12, 0, "America/Chicago"),
        title_es="Marcha en Chicago, por la justicia; con todas y todos",
        description_es=description,
    )
    response = client.get(f"/es/actions/{action.slug}/calendar.ics")
    (event,) = events(response)
    assert event.decoded("dtstart") == datetime.datetime(2025, 11, 15, 16, 0, tzinfo=datetime.UTC)
    assert str(event["summary"]) == "Marcha en Chicago, por la justicia; con todas y todos"
    assert str(event["description"]) == description
    assert str(event["url"]) == f"http://testserver/es/actions/{action.slug}/"
    assert all(len(line) <= 75 for line in response.content.split(b"\r\n"))


def test_a_cancelled_action_says_so_drafts_have_none_and_no_meeting_link_is_public(client):
    cancelled = ActionFactory(status=Action.Status.CANCELLED, city=None, online_url="https://meet.example.org/secret")
    (event,) = events(client.get(f"/en/actions/{cancelled.slug}/calendar.ics"))
    assert str(event["status"]) == "CANCELLED"
    assert b"meet.example.org" not in client.get(f"/en/actions/{cancelled.slug}/calendar.ics").content
    draft = ActionFactory(status=Action.Status.DRAFT)
    assert client.get(f"/en/actions/{draft.slug}/calendar.ics").status_code == 404


def test_the_june_30_campaign_calendar_holds_all_its_actions_in_the_page_language(client):
    load_day_of_action()
    response = client.get("/es/campaigns/june-30-2023/calendar.ics")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["x-wr-calname"]) == "Jornada de acción del 30 de junio"
    titles = {str(event["summary"]) for event in events(response)}
    assert len(titles) == Action.objects.published().filter(campaign__slug="june-30-2023").count() > 5
    assert "Jornada de acción del 30 de junio en Tapachula" in titles


def test_upcoming_country_and_city_calendars_hold_what_they_say(client):
    mexico = CityFactory(country="MX")
    us = CityFactory(country="US", time_zone="America/New_York")
    soon_mx, soon_us = ActionFactory(city=mexico), ActionFactory(city=us)
    past = ActionFactory(
        city=mexico, starts_at=local(2024, 1, 1, 10, 0, "UTC"), ends_at=local(2024, 1, 1, 11, 0, "UTC")
    )
    ActionFactory(city=mexico, status=Action.Status.DRAFT)

    def uids(path):
        return {str(event["uid"]).split("@")[0] for event in events(client.get(path))}

    assert uids("/en/calendar/actions.ics") == {f"action-{soon_mx.pk}", f"action-{soon_us.pk}"}
    assert uids("/en/calendar/mx.ics") == {f"action-{soon_mx.pk}"}
    assert uids(f"/en/cities/{mexico.slug}/calendar.ics") == {f"action-{soon_mx.pk}", f"action-{past.pk}"}
    assert client.get("/en/calendar/xx.ics").status_code == 404


def test_the_action_page_offers_a_download_and_a_google_calendar_link(client):
    action = ActionFactory(
        campaign=CampaignFactory(),
        starts_at=local(2027, 5, 20, 18, 0, "America/Mexico_City"),
        ends_at=local(2027, 5, 20, 20, 0, "America/Mexico_City"),
    )
    html = client.get(f"/es/actions/{action.slug}/").content.decode()
    assert f'href="/es/actions/{action.slug}/calendar.ics"' in html
    google = html.split('href="https://calendar.google.com/calendar/render?')[1].split('"')[0].replace("&amp;", "&")
    query = parse_qs(google)
    assert query["dates"] == ["20270521T000000Z/20270521T020000Z"]
    assert query["text"] == [action.title_es]
    assert urlsplit(query["details"][0]).path == f"/es/actions/{action.slug}/"
