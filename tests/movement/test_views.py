"""movement/views.py and the site's error pages: robots.txt, and 400, 404 and 500 in both languages."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from tests.pages import read

pytestmark = pytest.mark.django_db


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_off_volunteer_links(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /es/signups/" in text and "Disallow: /admin/" in text
    assert "Disallow: /es/host/manage/" in text and "Disallow: /en/host/confirm/" in text


@pytest.mark.parametrize(("lang", "heading"), [("en", "Page not found"), ("es", "Página no encontrada")])
def test_404_page_in_both_languages(client, lang, heading):
    response = client.get(f"/{lang}/no-such-page/")
    assert response.status_code == 404
    page_lang, text = read(response.content.decode())
    assert (page_lang, heading in text) == (lang, True)
    assert f'href="/{"es" if lang == "en" else "en"}/no-such-page/"' in response.content.decode()


@pytest.mark.parametrize(("lang", "heading"), [("en", "Something went wrong"), ("es", "Algo salió mal")])
def test_500_page_in_both_languages(lang, heading):
    with translation.override(lang):
        response = server_error(RequestFactory().get(f"/{lang}/"))
    assert response.status_code == 500
    page_lang, text = read(response.content.decode())
    assert (page_lang, heading in text) == (lang, True)


@pytest.mark.parametrize(("lang", "heading"), [("en", "Bad request"), ("es", "Solicitud incorrecta")])
def test_a_request_too_large_to_read_gets_a_translated_400(client, lang, heading):
    query = "&".join(f"k{i}=1" for i in range(1100))
    response = client.get(f"/{lang}/actions/?{query}")
    assert response.status_code == 400
    assert heading in response.content.decode()
