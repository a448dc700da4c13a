"""Every public page type (movement/public_pages.py) in both languages: it renders in its language,
runs a fixed number of queries however many rows there are, and loads nothing from another host."""

import re

import pytest
from django.conf import settings

from demands.services import demand_status_change
from tests.factories import ActionFactory, CampaignFactory, CityFactory, DemandFactory, OutcomeFactory
from tests.pages import ResourceLinks, english_ui_on, public_paths, read, third_party

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("path", public_paths())
def test_every_public_page_renders_in_its_language(client, june30, path, lang):
    response = client.get(path.format(lang=lang))
    assert response.status_code == 200
    page_lang, text = read(response.content.decode())
    assert page_lang == lang
    if lang == "es":
        assert english_ui_on(text) == []


def test_the_english_ui_check_catches_english_on_a_page():
    assert "Upcoming actions" in english_ui_on("Inicio Upcoming actions Acciones")


@pytest.mark.parametrize(
    "path",
    [
        "/en/",
        "/en/actions/",
        "/en/campaigns/{campaign}/",
        "/en/cities/{city}/",
        "/en/demands/",
        "/en/outcomes/",
        "/en/demands/{demand}/",
        "/en/outcomes/?country=MX&year=2023&demand={demand}",
        "/embed/en/campaigns/{campaign}/",
    ],
)
def test_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries, path):
    campaign, city, demand = CampaignFactory(), CityFactory(), DemandFactory()

    def add_rows(n):
        for _ in range(n):
            action = ActionFactory(campaign=campaign, city=city)
            action.demands.add(demand)
            campaign.demands.add(DemandFactory())
            outcome = OutcomeFactory(campaign=campaign, country="MX")
            outcome.demands.add(demand)
            demand_status_change(
                demand=demand, status="acknowledged", note={"en": "Heard.", "es": "Escuchada."}, outcome=outcome
            )

    url = path.format(campaign=campaign.slug, city=city.slug, demand=demand.slug)
    add_rows(2)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    add_rows(20)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_public_page_loads_anything_from_another_host(client, june30, lang):
    for path in public_paths():
        parser = ResourceLinks()
        parser.feed(client.get(path.format(lang=lang)).content.decode())
        assert parser.urls, path  # the stylesheet at least
        assert [url for url in parser.urls if third_party(url)] == [], path
    stylesheet = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", stylesheet) and "@import" not in stylesheet


def test_the_third_party_check_tells_resources_from_links():
    parser = ResourceLinks()
    parser.feed(
        '<link rel="stylesheet" href="https://fonts.example.com/a.css"><a href="https://partner.example.org/">x</a>'
        '<img src="/static/logo.png"><script src="//cdn.example.com/x.js"></script>'
    )
    assert [url for url in parser.urls if third_party(url)] == [
        "https://fonts.example.com/a.css",
        "//cdn.example.com/x.js",
    ]
