"""api/views.py: the read-only public API, what partners' sites read and what they never get: published
rows only, pages of 50, any origin without cookies, a rate limit, a fixed number of queries."""

import pytest

from actions.models import Action
from demands.services import demand_status_change
from tests.api.lists import results
from tests.factories import (
    ENGLISH_ORDER,
    SPANISH_ORDER,
    ActionFactory,
    CampaignFactory,
    CityFactory,
    ConfirmedSignupFactory,
    cities_to_sort,
)

pytestmark = pytest.mark.django_db


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


@pytest.mark.parametrize(
    ("headers", "lang", "expected"),
    [
        ({"accept-language": "es"}, "es", SPANISH_ORDER),
        ({"accept-language": "en"}, "en", ENGLISH_ORDER),
        ({}, "en", ENGLISH_ORDER),  # no language asked for: English
    ],
)
def test_cities_come_by_country_then_by_name_as_read_in_the_requests_language(client, headers, lang, expected):
    cities = [CityFactory(name_en="Austin", name_es="Austin", country="US", time_zone="America/Chicago")]
    for city in [*cities, *cities_to_sort()]:
        ActionFactory(city=city)  # a city is listed once it has a public action
    CityFactory(name_en="Proposed only", country="MX")
    response = client.get("/api/v1/cities/", headers=headers)
    other = "en" if lang == "es" else "es"
    assert [city["name"][lang] or city["name"][other] for city in response.json()["results"]] == [*expected, "Austin"]


def test_a_city_without_a_public_action_is_not_listed(client):
    proposed, drafted = CityFactory(slug="proposed"), CityFactory(slug="drafted")
    ActionFactory(city=drafted, status=Action.Status.DRAFT)
    ActionFactory(city=CityFactory(slug="cancelled"), status=Action.Status.CANCELLED)
    assert [city["slug"] for city in results(client, "/api/v1/cities/")] == ["cancelled"]
    assert client.get(f"/en/cities/{proposed.slug}/").status_code == 404
    assert client.get(f"/en/cities/{drafted.slug}/calendar.ics").status_code == 404
    assert "/cities/drafted/" not in client.get("/sitemap.xml").content.decode()


def test_the_api_root_lists_its_routes(client):
    routes = client.get("/api/v1/").json()
    assert set(routes) == {"campaigns", "actions", "cities", "demands", "outcomes"}
    assert client.get("/api/v1/nothing-here/").json() == {"detail": "Not found."}


def test_lists_are_paginated(client):
    campaign = CampaignFactory()
    for _ in range(55):
        ActionFactory(campaign=campaign)
    page = client.get("/api/v1/actions/").json()
    assert (page["count"], len(page["results"])) == (55, 50)
    assert len(client.get(page["next"]).json()["results"]) == 5


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


def test_with_the_cache_down_it_still_answers_uncounted(client):
    from django.conf import settings
    from django.test import override_settings

    ActionFactory()
    unreachable = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    with override_settings(CACHES={**settings.CACHES, "default": unreachable}):
        assert len(results(client, "/api/v1/actions/")) == 1


def test_an_unknown_slug_is_a_translated_404(client):
    response = client.get("/api/v1/actions/nope/", headers={"accept-language": "es"})
    assert response.status_code == 404 and response.json() == {"detail": "No encontrado."}
