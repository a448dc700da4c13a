"""The action list's search by place (actions/nearby.py, ActionFilterForm), as a visitor reads it,
on GeoNames' real data: nearest first with the distance, online actions after, clear messages."""

import datetime

import pytest
import time_machine

from actions.models import Action
from tests.factories import ActionFactory, CampaignFactory, CityFactory, local
from tests.pages import read as read_html

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("geonames")]


def city(name, lat, lon, zone, country="MX", **fields):
    return CityFactory(
        name_en=name, name_es=fields.pop("name_es", name), latitude=lat, longitude=lon, time_zone=zone,
        country=country, **fields,
    )  # fmt: skip


@pytest.fixture
def cities():
    return {
        "mexico": city("Mexico City", "19.43260", "-99.13320", "America/Mexico_City", name_es="Ciudad de México"),
        "puebla": city("Puebla", "19.04144", "-98.20627", "America/Mexico_City"),
        "tapachula": city("Tapachula", "14.90385", "-92.25749", "America/Mexico_City"),
        "new_york": city("New York", "40.71278", "-74.00597", "America/New_York", "US", name_es="Nueva York"),
        "chicago": city("Chicago", "41.87811", "-87.62980", "America/Chicago", "US"),
    }


@pytest.fixture
def actions(cities):
    # One action a city, at noon local time on a day with DST in the US (none in Mexico since 2022).
    made = {}
    for key, place in cities.items():
        starts = local(2031, 7, 10, 12, 0, place.time_zone)
        made[key] = ActionFactory(city=place, title_en=f"Rally in {place.name_en}", starts_at=starts,
                                  ends_at=starts + datetime.timedelta(hours=2))  # fmt: skip
    starts = local(2031, 7, 10, 18, 0, "America/Mexico_City")
    made["online"] = ActionFactory(city=None, title_en="Online teach-in", kind=Action.Kind.ONLINE_EVENT,
                                   starts_at=starts, ends_at=starts + datetime.timedelta(hours=1))  # fmt: skip
    return made


@pytest.fixture(autouse=True)
def _before_the_day():
    with time_machine.travel(datetime.datetime(2031, 7, 1, tzinfo=datetime.UTC), tick=False):
        yield


def read(response) -> str:
    """The page's text as a visitor reads it, on one line."""
    return read_html(response.content.decode())[1]


def test_06600_on_the_spanish_list_puts_mexico_city_first_with_its_distance(client, actions):
    response = client.get("/es/actions/", {"near": "06600", "radius": "any"})
    text = read(response)
    assert response.status_code == 200
    assert "Acciones cerca de 06600 (Juárez, Ciudad de México), México" in text
    cards = text.split("Acciones cerca de", 2)[2]
    assert cards.index(actions["mexico"].title_es) < cards.index(actions["puebla"].title_es)
    assert cards.index(actions["puebla"].title_es) < cards.index(actions["tapachula"].title_es)
    assert "a 1.2 km" in text  # Mexico City's action, from the code's centroid
    assert "10 de julio de 2031, 12:00 CST" in text  # Mexico keeps standard time all year


def test_10001_on_the_english_list_puts_new_york_first_in_miles(client, actions):
    text = read(client.get("/en/actions/", {"near": "10001", "radius": "any"}))
    assert "Actions near 10001 (New York, New York), United States" in text
    cards = text.split("Actions near", 2)[2]
    assert cards.index("Rally in New York") < cards.index("Rally in Chicago") < cards.index("Rally in Mexico City")
    assert "2.5 mi away" in text and "km" not in cards.split("Rally in Chicago")[0]
    assert "July 10, 2031, 12:00 PM EDT" in text  # New York in daylight saving time


def test_tapachula_by_name_in_spanish(client, actions):
    text = read(client.get("/es/actions/", {"near": "Tapachula"}))
    assert "Acciones cerca de Tapachula, Chiapas, México" in text
    cards = text.split("Acciones cerca de", 2)[2]
    assert f"1 acción presencial {actions['tapachula'].title_es} " in cards
    assert actions["mexico"].title_es not in cards.split("Acciones en línea")[0]  # 900 km: outside 100 km


def test_a_us_place_on_a_spanish_page_reads_in_both_units(client, actions):
    text = read(client.get("/es/actions/", {"near": "10001"}))
    assert "a 4.0 km (2.5 mi)" in text


def test_online_actions_come_after_the_nearby_ones_in_a_section_of_their_own(client, actions):
    text = read(client.get("/en/actions/", {"near": "Puebla, MX"}))
    nearby, online = text.split("Online actions", 1)
    assert "Rally in Puebla" in nearby and "Online teach-in" not in nearby
    assert "Online teach-in" in online and "away" not in online


def test_nothing_within_the_radius_says_so_and_shows_the_nearest_anyway(client, actions):
    text = read(client.get("/en/actions/", {"near": "Tijuana", "radius": "25"}))
    assert "No actions within 25 km of Tijuana, Baja California, Mexico. These are the nearest:" in text
    assert "Rally in Mexico City" in text or "Rally in Chicago" in text
    assert "hosting one" in text


def test_unknown_or_ambiguous_places_get_a_message_and_choices_never_a_500(client, actions):
    unknown = read(client.get("/en/actions/", {"near": "zzzz"}))
    assert "We could not find “zzzz”." in unknown
    typo = client.get("/es/actions/", {"near": "Tapachla"})
    assert typo.status_code == 200 and "¿Quiso decir" in read(typo)
    assert b'href="?near=Tapachula%2C+Chiapas%2C+MX' in typo.content
    ambiguous = client.get("/en/actions/", {"near": "Springfield", "when": "all"})
    assert "There is more than one “Springfield”" in read(ambiguous)
    assert b"near=Springfield%2C+Illinois%2C+US&amp;when=all" in ambiguous.content  # the filters are kept
    for text in ["x" * 101, "\x00", "1" * 5 + "\u202e", "   ", "%", "06600" * 30]:
        assert client.get("/en/actions/", {"near": text}).status_code == 200


def test_filters_combine_with_the_search(client, actions):
    other = CampaignFactory()
    ActionFactory(city=actions["puebla"].city, campaign=other, title_en="Rally in Puebla again",
                  starts_at=actions["puebla"].starts_at, ends_at=actions["puebla"].ends_at)  # fmt: skip
    text = read(client.get("/en/actions/", {"near": "Puebla", "campaign": other.slug}))
    assert "Rally in Puebla again" in text and "Rally in Mexico City" not in text


def test_a_search_is_kept_by_neither_the_page_cache_nor_a_proxy(client, actions, settings):
    settings.CACHE_MIDDLEWARE_SECONDS = 60
    response = client.get("/en/actions/", {"near": "10001"})
    assert "private" in response["Cache-Control"]
    assert "private" not in client.get("/en/actions/")["Cache-Control"]


def test_the_search_costs_the_same_queries_for_ten_actions_or_a_hundred(client, cities, django_assert_max_num_queries):
    for _n in range(10):
        ActionFactory(city=cities["puebla"])
    with django_assert_max_num_queries(8) as ten:
        client.get("/es/actions/", {"near": "Puebla"})
    for n in range(90):
        ActionFactory(city=list(cities.values())[n % 5])
    with django_assert_max_num_queries(len(ten)):
        client.get("/es/actions/", {"near": "Puebla"})


def test_the_search_box_is_on_the_home_page_and_each_campaign_page(client, actions):
    campaign = actions["puebla"].campaign
    for url in ["/es/", f"/es/campaigns/{campaign.slug}/"]:
        page = client.get(url).content.decode()
        assert 'name="near"' in page and "Código postal o ciudad" in read(client.get(url))
    assert f'name="campaign" value="{campaign.slug}"' in client.get(f"/en/campaigns/{campaign.slug}/").content.decode()


def test_the_city_select_is_gone_from_the_list(client, actions):
    assert b'name="city"' not in client.get("/en/actions/").content


def test_the_radius_shown_is_the_one_searched_with(client, actions):
    default = client.get("/en/actions/", {"near": "10001"}).content.decode()
    assert '<option value="100" selected>100 mi</option>' in default
    chosen = client.get("/es/actions/", {"near": "06600", "radius": "25"}).content.decode()
    assert '<option value="25" selected>25 km</option>' in chosen


def test_a_mexican_place_on_an_english_page_reads_in_both_units(client, actions):
    assert "1.2 km (0.7 mi) away" in read(client.get("/en/actions/", {"near": "06600"}))


def test_a_postal_code_of_the_other_country_says_so(client, actions):
    text = read(client.get("/es/actions/", {"near": "06600", "country": "US"}))
    assert "06600 es un código postal de México, no de Estados Unidos." in text
    assert "06600 (Juárez, Ciudad de México), México" in text  # offered as a suggestion


def test_a_radius_not_offered_is_refused_next_to_the_field(client, actions):
    response = client.get("/es/actions/", {"near": "06600", "radius": "7"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_radius_error"' in page and '<option value="100" selected>100 km</option>' in page
    assert "Elija una de las distancias ofrecidas: esta búsqueda usa la predeterminada." in read(response)
    within_100 = read(client.get("/en/actions/", {"near": "06600", "radius": "-1"}))
    assert "Rally in Mexico City" in within_100 and "Rally in Tapachula" not in within_100


def test_more_filters_stays_folded_saying_how_many_are_chosen(client, actions):
    page = client.get("/en/actions/", {"near": "10001", "when": "all", "kind": "vigil"}).content.decode()
    assert '<details class="more-filters">' in page and "More filters (2 chosen)" in page
    assert '<details class="more-filters" open>' in client.get("/en/actions/", {"kind": "parade"}).content.decode()


def test_the_search_box_of_a_campaign_that_is_over_searches_all_dates(client):
    over = CampaignFactory(start_date=datetime.date(2023, 6, 30), end_date=datetime.date(2023, 6, 30))
    page = client.get(f"/en/campaigns/{over.slug}/").content.decode()
    assert '<input type="hidden" name="when" value="all">' in page
