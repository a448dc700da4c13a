"""places/search.py on GeoNames' real data: what a visitor's text names, in both countries."""

import pytest
from django.utils import translation

from places.search import AmbiguousPlace, PlaceNotFound, locate, time_zone_near
from places.text import search_key

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("geonames")]


@pytest.mark.parametrize(
    ("text", "label", "country"),
    [
        ("06600", "06600 (Juárez, Ciudad de México), Mexico", "MX"),
        ("10001", "10001 (New York, New York), United States", "US"),
        ("10001-2305", "10001 (New York, New York), United States", "US"),
        (" 30700 ", "30700 (Tapachula Centro, Chiapas), Mexico", "MX"),
        ("Tapachula", "Tapachula, Chiapas, Mexico", "MX"),
        ("tapachula", "Tapachula, Chiapas, Mexico", "MX"),
        ("Tlaxcala", "Tlaxcala, Mexico", "MX"),
        ("Cd. Juárez", "Ciudad Juárez, Chihuahua, Mexico", "MX"),
        ("Ciudad Juarez", "Ciudad Juárez, Chihuahua, Mexico", "MX"),
        ("CIUDAD JUÁREZ", "Ciudad Juárez, Chihuahua, Mexico", "MX"),
        ("Ciudad de México", "Ciudad de México, Mexico", "MX"),
        ("Nueva York", "Nueva York, New York, United States", "US"),
        ("St. Louis", "St. Louis, Missouri, United States", "US"),
        ("Springfield, IL", "Springfield, Illinois, United States", "US"),
        ("Juárez, Nuevo León", "Ciudad Benito Juárez, Nuevo León, Mexico", "MX"),
        ("San Antonio", "San Antonio, Texas, United States", "US"),
        ("Puebla, México", "Puebla, Mexico", "MX"),
    ],
)
def test_a_postal_code_or_a_city_is_found_with_or_without_accents(text, label, country):
    location = locate(text)
    assert (location.label, location.country) == (label, country)
    assert locate(location.query) == location  # the text that links to it names it alone


def test_a_place_reads_in_the_pages_language():
    with translation.override("es"):
        assert locate("06600").label == "06600 (Juárez, Ciudad de México), México"
        assert locate("10001").label.endswith(", Estados Unidos")


def test_a_postal_code_in_both_countries_is_a_choice_not_a_guess():
    with pytest.raises(AmbiguousPlace) as both:
        locate("01020")
    assert [choice.country for choice in both.value.choices] == ["MX", "US"]
    assert "01020" in both.value.message
    assert locate("01020", country="MX").country == "MX"
    assert locate("01020, US").country == "US"
    assert locate("01020 Estados Unidos").country == "US"


def test_a_postal_code_nobody_uses_suggests_neighbours():
    with pytest.raises(PlaceNotFound) as unknown:
        locate("99999")
    assert unknown.value.suggestions
    assert all(s.query[:3] == "999" for s in unknown.value.suggestions)


def test_cities_of_a_name_are_choices_most_populous_first():
    with pytest.raises(AmbiguousPlace) as springfields:
        locate("Springfield")
    labels = [choice.label for choice in springfields.value.choices]
    assert "Springfield, Illinois, United States" in labels and len(labels) == 6


def test_a_typo_gets_suggestions_and_nonsense_a_clear_message():
    with pytest.raises(PlaceNotFound) as typo:
        locate("Tapachla")
    assert typo.value.suggestions[0].label == "Tapachula, Chiapas, Mexico"
    with pytest.raises(PlaceNotFound) as nonsense:
        locate("zzzz")
    assert nonsense.value.suggestions == []
    assert "ZIP code" in nonsense.value.message
    with translation.override("es"), pytest.raises(PlaceNotFound) as spanish:
        locate("zzzz")
    assert "código postal" in spanish.value.message and "We could not" not in spanish.value.message
    with pytest.raises(PlaceNotFound):
        locate("!!!")


def test_time_zones_of_cities_and_of_postal_codes_from_the_nearest_city():
    assert time_zone_near(locate("Tlaxcala")) == "America/Mexico_City"
    assert time_zone_near(locate("10001")) == "America/New_York"
    assert time_zone_near(locate("85001")) == "America/Phoenix"


@pytest.mark.parametrize(
    ("text", "key"),
    [("Cd. Juárez", "ciudad juarez"), ("Ñuñoa", "nunoa"), ("  St. Louis ", "saint louis"), ("Москва", "")],
)
def test_search_keys(text, key):
    assert search_key(text) == key


def test_fullwidth_digits_are_a_postal_code_and_a_choice_link_always_leads_somewhere():
    assert locate("０６６００").query == "06600, MX"
    with pytest.raises(AmbiguousPlace) as juarez:
        locate("Juárez")
    for choice in juarez.value.choices:
        assert locate(choice.query).country == "MX"  # never the same choice again


def test_a_name_half_typed_is_a_suggestion_not_a_guess_and_a_country_is_no_place():
    with pytest.raises(PlaceNotFound) as half:
        locate("Tapach")
    assert [s.label for s in half.value.suggestions] == ["Tapachula, Chiapas, Mexico"]
    for country in ["MX", "usa", "Estados Unidos"]:
        with pytest.raises(PlaceNotFound) as alone:
            locate(country)
        assert alone.value.message == "Enter a ZIP code, código postal or city."
    assert locate("México").label == "Mexico City, Ciudad de México, Mexico"  # as Mexicans call it


def test_codes_as_spreadsheets_and_forms_write_them():
    assert locate("6600").query == "06600, MX"  # the leading zero dropped
    assert locate("100011234").query == locate("10001 1234").query == "10001, US"


def test_airport_codes_and_other_scripts_are_no_names():
    with pytest.raises(PlaceNotFound):
        locate("DFW")
    assert locate("El Paso").label == "El Paso, Texas, United States"
