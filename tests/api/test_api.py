"""The read-only public API: what partners' sites read, and what they never get."""

import datetime
import json

import pytest
from django.core.cache import cache
from drf_spectacular.validation import validate_schema

from actions.models import Action
from actions.seed import load_day_of_action
from demands.services import demand_status_change
from tests.factories import ActionFactory, CampaignFactory, CityFactory, ConfirmedSignupFactory, local

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    cache.clear()  # the rate limit counts in the cache
    yield
    cache.clear()


@pytest.fixture
def june30():
    load_day_of_action()


def results(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()["results"]


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


def test_the_api_never_returns_a_draft_a_meeting_link_or_anything_about_a_signup(client):
    online = ActionFactory(city=None, online_url="https://meet.example.org/secret-room", slug="online")
    ConfirmedSignupFactory(action=online, name="Rosa Secreta", email="rosa@example.org", phone="+525512345678")
    ActionFactory(status=Action.Status.DRAFT, slug="draft-plan", title_en="Draft plan")
    assert [a["slug"] for a in results(client, "/api/v1/actions/")] == ["online"]
    assert client.get("/api/v1/actions/draft-plan/").status_code == 404
    for url in ["/api/v1/actions/", "/api/v1/actions/online/", "/api/v1/campaigns/", "/api/v1/cities/"]:
        body = client.get(url).content.decode()
        for secret in ("meet.example.org", "Rosa", "rosa@", "5512345678", "Draft plan", "signup", "capacity"):
            assert secret not in body, (url, secret)


def test_actions_filter_by_campaign_country_city_kind_online_and_date_range(client):
    campaign = CampaignFactory(slug="june")
    tapachula = CityFactory(country="MX", slug="tapachula")
    ActionFactory(
        slug="a",
        campaign=campaign,
        city=tapachula,
        kind="vigil",
        starts_at=local(2030, 6, 30, 18, 0, "America/Mexico_City"),
    )
    ActionFactory(
        slug="b",
        campaign=campaign,
        city=CityFactory(country="US", time_zone="America/New_York"),
        kind="rally",
        starts_at=local(2030, 7, 2, 10, 0, "America/New_York"),
    )
    ActionFactory(
        slug="c", city=None, kind="online_event", starts_at=datetime.datetime(2030, 7, 1, 15, tzinfo=datetime.UTC)
    )

    def slugs(query):
        return sorted(a["slug"] for a in results(client, f"/api/v1/actions/?{query}"))

    assert slugs("campaign=june") == ["a", "b"]
    assert slugs("country=MX") == ["a"] == slugs("city=tapachula") == slugs("kind=vigil")
    assert slugs("online=true") == ["c"] and slugs("online=false") == ["a", "b"]
    assert slugs("starts_after=2030-07-01&starts_before=2030-07-02") == ["a", "c"]  # dates are UTC days
    assert slugs("starts_after=2030-07-01T16:00:00Z") == ["b"]


def test_a_bad_filter_is_a_400_naming_the_field(client):
    response = client.get("/api/v1/actions/?starts_after=tomorrow&country=FR", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400
    assert set(response.json()) == {"starts_after", "country"}


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


def test_lists_are_paginated(client):
    campaign = CampaignFactory()
    for _ in range(55):
        ActionFactory(campaign=campaign)
    page = client.get("/api/v1/actions/").json()
    assert (page["count"], len(page["results"])) == (55, 50)
    assert len(client.get(page["next"]).json()["results"]) == 5


def test_a_partner_page_may_read_it_from_another_origin_without_cookies(client):
    ActionFactory()
    response = client.get("/api/v1/actions/", HTTP_ORIGIN="https://partner.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert response["Access-Control-Expose-Headers"] == "Retry-After"
    preflight = client.options(
        "/api/v1/actions/", HTTP_ORIGIN="https://partner.example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight.status_code == 200 and "GET" in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in client.get("/en/actions/", HTTP_ORIGIN="https://partner.example.org")


def test_it_is_read_only(client):
    action = ActionFactory(slug="x")
    assert client.post("/api/v1/actions/", {}).status_code == 405
    assert client.delete("/api/v1/actions/x/").status_code == 405
    assert Action.objects.filter(pk=action.pk).exists()


def test_it_is_rate_limited_per_visitor(client, settings):
    settings.API_RATE = "3/minute"
    assert [client.get("/api/v1/cities/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client.get("/api/v1/cities/", REMOTE_ADDR="10.9.9.9").status_code == 200


def test_its_schema_is_valid_openapi(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate_schema(schema)  # against the OpenAPI 3 JSON schema; raises on any error
    assert {"/api/v1/actions/", "/api/v1/actions/{slug}/", "/api/v1/outcomes/", "/api/v1/demands/{slug}/"} <= set(
        schema["paths"]
    )
    action = schema["components"]["schemas"]["Action"]["properties"]
    assert "online_url" not in action and action["title"]["required"] == ["en", "es"]


@pytest.mark.parametrize(
    "path", ["/api/v1/actions/", "/api/v1/campaigns/", "/api/v1/cities/", "/api/v1/demands/", "/api/v1/outcomes/"]
)
def test_a_list_runs_the_same_queries_however_many_rows(client, django_assert_max_num_queries, path):
    from tests.factories import DemandFactory, OrganizationFactory, OutcomeFactory

    campaign, city = CampaignFactory(), CityFactory()

    def add_rows(n):
        for _ in range(n):
            demand = DemandFactory()
            demand_status_change(demand=demand, status="raised", note={"en": "Raised."})
            campaign.demands.add(demand)
            action = ActionFactory(campaign=campaign, city=CityFactory())
            action.demands.add(demand)
            action.hosts.add(OrganizationFactory())
            OutcomeFactory(campaign=campaign).demands.add(demand)

    add_rows(2)
    with django_assert_max_num_queries(5):
        assert client.get(path).status_code == 200
    add_rows(20)
    with django_assert_max_num_queries(5):
        assert client.get(path).status_code == 200
    del city


def test_the_api_root_lists_its_routes(client):
    routes = client.get("/api/v1/").json()
    assert set(routes) == {"campaigns", "actions", "cities", "demands", "outcomes"}
    assert client.get("/api/v1/nothing-here/").json() == {"detail": "Not found."}


def test_an_online_action_shows_no_place_whatever_was_typed(client):
    ActionFactory(city=None, slug="call", venue="Room 4", address="Calle 1")
    action = client.get("/api/v1/actions/call/").json()
    assert (action["venue"], action["address"], action["online"]) == ("", "", True)


def test_an_unknown_slug_is_a_translated_404(client):
    response = client.get("/api/v1/actions/nope/", headers={"accept-language": "es"})
    assert response.status_code == 404 and response.json() == {"detail": "No encontrado."}
