"""demands/forms.py: the outcome timeline filters by demand, institution, country and year
(OutcomeFilterForm, through the page)."""

import datetime
import re

import pytest

from tests.factories import NAMES_TO_SORT, SPANISH_ORDER, DemandFactory, OutcomeFactory
from tests.pages import english_ui_on, read

pytestmark = pytest.mark.django_db


@pytest.fixture
def outcomes():
    asylum = DemandFactory(slug="asylum")
    cndh = OutcomeFactory(title_en="CNDH 2023", title_es="CNDH 2023", country="MX", date=datetime.date(2023, 8, 1))
    cndh.demands.add(asylum)
    OutcomeFactory(
        title_en="Congress 2024",
        title_es="Congress 2024",
        institution_en="US Congress",
        institution_es="Congreso de EE. UU.",
        country="US",
        date=datetime.date(2024, 2, 1),
    )
    OutcomeFactory(title_en="Undated MX", title_es="Undated MX", country="MX", date=None)


def titles(client, query):
    html = client.get(f"/en/outcomes/?{query}").content.decode()
    return sorted(t for t in ("CNDH 2023", "Congress 2024", "Undated MX") if f">{t}</a>" in html)


def test_each_filter_narrows_the_timeline(client, outcomes):
    assert titles(client, "") == ["CNDH 2023", "Congress 2024", "Undated MX"]
    assert titles(client, "demand=asylum") == ["CNDH 2023"]
    assert titles(client, "institution=us-congress") == ["Congress 2024"]
    assert titles(client, "country=MX") == ["CNDH 2023", "Undated MX"]
    assert titles(client, "year=2024") == ["Congress 2024"]
    assert titles(client, "country=MX&year=2023") == ["CNDH 2023"]


def test_the_filters_offer_what_exists_in_the_page_language(client, outcomes):
    html = client.get("/es/outcomes/").content.decode()
    assert '<option value="us-congress">Congreso de EE. UU.</option>' in html
    assert '<option value="2024">2024</option>' in html and '<option value="2022">' not in html
    spanish = client.get("/es/outcomes/?institution=us-congress").content.decode()
    assert ">Congress 2024</a>" in spanish and ">CNDH 2023</a>" not in spanish


def test_the_spanish_institution_filter_lists_them_in_the_order_of_the_names_shown(client):
    for en, es in NAMES_TO_SORT:
        OutcomeFactory(institution_en=en, institution_es=es)
    html = client.get("/es/outcomes/").content.decode()
    select = html.split('name="institution"')[1].split("</select>")[0]
    assert re.findall(r'<option value="[^"]+">([^<]+)</option>', select) == SPANISH_ORDER


def test_a_bad_filter_value_is_explained_in_spanish_and_the_others_still_apply(client, outcomes):
    response = client.get("/es/outcomes/?year=1999&country=MX")
    assert response.status_code == 200
    lang, text = read(response.content.decode())
    assert "Escoja una opción válida" in text and english_ui_on(text) == []
    assert "Congress 2024" not in response.content.decode()


def test_no_match_offers_the_whole_timeline(client, outcomes):
    html = client.get("/es/outcomes/?demand=asylum&country=US").content.decode()
    assert "Ningún logro coincide con estos filtros." in html and 'href="/es/outcomes/"' in html


def test_an_institution_filter_survives_the_language_switch(client, outcomes):
    spanish = client.get("/es/outcomes/?institution=us-congress").content.decode()
    assert '<option value="us-congress" selected>Congreso de EE. UU.</option>' in spanish
    assert 'href="/en/outcomes/?institution=us-congress"' in spanish
    assert titles(client, "institution=us-congress") == ["Congress 2024"]
