"""api/filters.py: the action list's filters (dates are UTC), and a bad value refused naming its field."""

import datetime

import pytest

from tests.api.lists import results
from tests.factories import ActionFactory, CampaignFactory, CityFactory, local

pytestmark = pytest.mark.django_db


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
