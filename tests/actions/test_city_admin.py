"""A new city in the admin needs coordinates, typed or looked up in GeoNames' data (CityAdminForm),
so that a search near it finds its actions; an existing city without them still saves."""

import pytest
from django.utils import translation

from actions.models import City
from tests.admin_forms import admin_url, form_data
from tests.factories import CityFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("geonames")]


def add_city(admin_client, lang="en", **fields):
    page = admin_client.get(admin_url(City, "add"))
    data = form_data(page, **{"name_en": "Oaxaca", "region_en": "Oaxaca", "country": "MX", "slug": "oaxaca", **fields})
    with translation.override(lang):
        return admin_client.post(admin_url(City, "add"), data)


def errors(response) -> dict:
    return response.context["adminform"].form.errors


def test_a_new_city_found_by_its_name_gets_its_coordinates_and_time_zone(admin_client):
    response = add_city(admin_client, time_zone="")
    assert response.status_code == 302, errors(response)
    city = City.objects.get(slug="oaxaca")
    assert (float(city.latitude), float(city.longitude), city.time_zone) == (17.06025, -96.72544, "America/Mexico_City")


def test_a_postal_code_in_look_up_fills_the_coordinates(admin_client):
    response = add_city(admin_client, name_en="Juárez (Centro)", lookup="06600", time_zone="")
    assert response.status_code == 302, errors(response)
    city = City.objects.get(slug="oaxaca")
    assert (float(city.latitude), float(city.longitude), city.time_zone) == (19.4318, -99.1449, "America/Mexico_City")


def test_typed_coordinates_and_zone_are_kept(admin_client):
    response = add_city(admin_client, latitude="17.1", longitude="-96.7", time_zone="America/Mexico_City")
    assert response.status_code == 302
    assert float(City.objects.get(slug="oaxaca").latitude) == 17.1


def test_a_new_city_that_cannot_be_found_asks_for_coordinates_next_to_the_field(admin_client):
    response = add_city(admin_client, name_en="Zzyzxville", region_en="", time_zone="America/Mexico_City")
    assert response.status_code == 200
    assert "Enter the coordinates, or a postal code or city in “Look up”." in errors(response)["latitude"][0]
    assert not City.objects.filter(slug="oaxaca").exists()


def test_an_ambiguous_look_up_lists_the_choices(admin_client):
    response = add_city(admin_client, lookup="Springfield", country="US", time_zone="America/Chicago")
    assert "Try: Springfield, Missouri, US;" in errors(response)["lookup"][0]


def test_the_message_is_in_the_admins_language(admin_client):
    admin_client.cookies["django_language"] = "es"
    page = admin_client.get(admin_url(City, "add"), HTTP_ACCEPT_LANGUAGE="es")
    data = form_data(page, name_en="Zzyzxville", country="MX", slug="z", time_zone="America/Mexico_City")
    response = admin_client.post(admin_url(City, "add"), data, HTTP_ACCEPT_LANGUAGE="es")
    assert "Consultar" in response.content.decode()
    assert "Escriba las coordenadas" in errors(response)["latitude"][0]


def test_an_existing_city_without_coordinates_still_saves(admin_client):
    city = CityFactory(latitude=None, longitude=None)
    page = admin_client.get(admin_url(City, "change", city.pk))
    response = admin_client.post(admin_url(City, "change", city.pk), form_data(page, name_en="Renamed"))
    assert response.status_code == 302, errors(response)
    city.refresh_from_db()
    assert (city.name_en, city.latitude) == ("Renamed", None)
