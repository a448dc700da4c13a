"""The API's search by place (api/filters.py NearForm): ?near= and ?lat=&lon=&radius=, with
distance_km in each result, on GeoNames' real data."""

import pytest

from tests.factories import ActionFactory, CityFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("geonames")]


@pytest.fixture
def actions():
    places = {
        "mexico-city": ("19.43260", "-99.13320", "MX"),
        "puebla": ("19.04144", "-98.20627", "MX"),
        "new-york": ("40.71278", "-74.00597", "US"),
    }
    for slug, (lat, lon, country) in places.items():
        ActionFactory(slug=slug, city=CityFactory(latitude=lat, longitude=lon, country=country))
    ActionFactory(slug="online", city=None)
    ActionFactory(slug="nowhere", city=CityFactory(latitude=None, longitude=None))


def found(client, query):
    response = client.get(f"/api/v1/actions/?{query}")
    assert response.status_code == 200, response.json()
    return [(a["slug"], a["distance_km"]) for a in response.json()["results"]]


def test_near_a_postal_code_lists_in_person_actions_nearest_first_with_their_distance(client, actions):
    assert found(client, "near=06600") == [("mexico-city", 1.2), ("puebla", 107.7), ("new-york", 3360.2)]
    assert found(client, "near=10001")[0] == ("new-york", 4.0)
    assert found(client, "near=06600&radius=100") == [("mexico-city", 1.2)]


def test_near_coordinates_with_a_radius_in_kilometres(client, actions):
    assert found(client, "lat=40.75&lon=-74&radius=10") == [("new-york", 4.2)]
    assert found(client, "lat=19.04&lon=-98.21&radius=120") == [("puebla", 0.4), ("mexico-city", 106.3)]


def test_without_a_search_distance_km_is_null_and_the_order_is_by_time(client, actions):
    assert {distance for _slug, distance in found(client, "")} == {None}


def test_a_search_is_not_kept_in_the_page_cache(client, actions):
    assert "private" in client.get("/api/v1/actions/?near=06600")["Cache-Control"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("near=zzzz", "near", "We could not find “zzzz”."),
        ("near=Springfield", "near", "Try: Springfield, Missouri, US;"),
        ("near=01020", "near", "01020 is a postal code in both countries."),
        ("lat=40.75", "lon", "Give both lat and lon."),
        ("lat=91&lon=0", "lat", "less than or equal to 90"),
        ("lat=nan&lon=0", "lat", "Enter a number."),
        ("radius=5", "radius", "A radius needs near, or lat and lon."),
        ("near=06600&lat=40&lon=-74", "near", "Give near, or lat and lon, not both."),
        ("near=06600&radius=-1", "radius", "greater than or equal to 0"),
    ],
)
def test_bad_searches_are_refused_naming_the_field(client, actions, query, field, message):
    response = client.get(f"/api/v1/actions/?{query}")
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
