"""common/templatetags.py, the site-wide tags, on the pages that use them: the language switch, text
shown in the other language marked as such, and link previews (Open Graph and Twitter cards:
canonical_url, open_graph_locales, markdown_plain)."""

from html.parser import HTMLParser

import pytest

from actions.seed import load_day_of_action
from tests.factories import ActionFactory
from tests.pages import public_paths

pytestmark = pytest.mark.django_db


def test_language_switch_stays_on_the_same_action(client, june30):
    response = client.get("/en/actions/june-30-2023-tapachula/?x=1")
    html = response.content.decode()
    assert 'href="/es/actions/june-30-2023-tapachula/?x=1" hreflang="es" lang="es">Español</a>' in html
    assert '<link rel="alternate" hreflang="es" href="/es/actions/june-30-2023-tapachula/?x=1">' in html
    assert '<link rel="alternate" hreflang="en" href="/en/actions/june-30-2023-tapachula/?x=1">' in html


def test_fallback_text_is_marked_with_its_language(client):
    action = ActionFactory(title_en="Vigil for the disappeared", title_es="", description_en="Bring candles.")
    html = client.get(f"/es/actions/{action.slug}/").content.decode()
    assert '<h1 lang="en">Vigil for the disappeared</h1>' in html
    assert '<div class="prose" lang="en">' in html
    assert '<h1 lang="en">' not in client.get(f"/en/actions/{action.slug}/").content.decode()


class Meta(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        key = attrs.get("property") or attrs.get("name")
        if tag == "meta" and key:
            self.tags.setdefault(key, []).append(attrs.get("content"))
        if tag == "link" and attrs.get("rel") == "canonical":
            self.tags["canonical"] = [attrs["href"]]


def meta(client, path):
    response = client.get(path)
    assert response.status_code == 200
    parser = Meta()
    parser.feed(response.content.decode())
    return parser.tags


@pytest.mark.parametrize("path", [p for p in public_paths() if "?" not in p and not p.startswith("/embed/")])
@pytest.mark.parametrize(("lang", "locale", "alternate"), [("en", "en_US", "es_MX"), ("es", "es_MX", "en_US")])
def test_every_public_page_has_a_link_preview_in_its_language(client, settings, path, lang, locale, alternate):
    settings.SITE_URL = "https://movement.example.org"
    load_day_of_action()
    url = path.format(lang=lang)
    tags = meta(client, url + "?page=1")  # the preview names the page without its query
    assert tags["og:url"] == [f"https://movement.example.org{url}"] and tags["canonical"] == [url]
    assert (tags["og:locale"], tags["og:locale:alternate"]) == ([locale], [alternate])
    assert tags["og:title"] == tags["twitter:title"] and tags["og:title"][0]
    assert tags["og:description"] == tags["twitter:description"] == tags["description"]
    assert tags["twitter:card"] == ["summary"]


def test_an_action_preview_says_when_where_and_what_in_spanish(client):
    load_day_of_action()
    tags = meta(client, "/es/demands/justice-ciudad-juarez-fire/")
    assert tags["og:title"] == [
        "Justicia para las víctimas del incendio de Ciudad Juárez · Movimiento de los Pueblos por la Paz y la Justicia"
    ]
    assert tags["og:description"][0].startswith("Reconocida · Justicia para las personas migrantes")


def test_a_multi_paragraph_description_makes_a_one_line_meta_description(client):
    ActionFactory(slug="march", description_es="Primer párrafo.\n\nSegundo   párrafo,\ncon salto.")
    (description,) = meta(client, "/es/actions/march/")["description"]
    assert "\n" not in description and description.endswith("Primer párrafo. Segundo párrafo, con salto.")
