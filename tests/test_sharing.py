"""Link previews (Open Graph, Twitter cards) and the campaign page partners can frame."""

from html.parser import HTMLParser

import pytest

from actions.seed import load_day_of_action
from tests.factories import ActionFactory, CampaignFactory
from tests.pages import public_paths

pytestmark = pytest.mark.django_db


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


def test_the_embed_page_may_be_framed_and_no_other_page_may(client):
    campaign = CampaignFactory(slug="june")
    ActionFactory(campaign=campaign, title_es="Vigilia en Tapachula")
    embed = client.get("/embed/es/campaigns/june/")
    assert embed.status_code == 200 and "X-Frame-Options" not in embed
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    html = embed.content.decode()
    assert '<html lang="es">' in html and "Vigilia en Tapachula" in html and '<base target="_blank">' in html
    page = client.get("/es/campaigns/june/")
    assert page["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_the_embed_page_shows_what_took_place_once_the_day_is_over(client):
    load_day_of_action()
    html = client.get("/embed/es/campaigns/june-30-2023/").content.decode()
    assert "No hay acciones próximas en esta campaña." in html and "Acciones pasadas" in html
    assert html.count('href="/es/actions/june-30-2023-') == 8


@pytest.mark.parametrize("path", ["/embed/fr/campaigns/june/", "/embed/es/campaigns/nope/"])
def test_an_unknown_embed_is_a_404(client, path):
    CampaignFactory(slug="june")
    assert client.get(path).status_code == 404


def test_a_multi_paragraph_description_makes_a_one_line_meta_description(client):
    ActionFactory(slug="march", description_es="Primer párrafo.\n\nSegundo   párrafo,\ncon salto.")
    (description,) = meta(client, "/es/actions/march/")["description"]
    assert "\n" not in description and description.endswith("Primer párrafo. Segundo párrafo, con salto.")


@pytest.mark.parametrize(("lang", "heading"), [("en", "Page not found"), ("es", "Página no encontrada")])
def test_an_unknown_embed_answers_in_the_urls_language(client, lang, heading):
    other = "es" if lang == "en" else "en"
    response = client.get(f"/embed/{lang}/campaigns/nope/", headers={"accept-language": other})
    assert response.status_code == 404 and heading in response.content.decode()


def test_a_control_character_in_a_title_does_not_break_the_feed(client):
    import feedparser

    ActionFactory(title_es="Marcha\x0bpor la paz")
    (entry,) = feedparser.parse(client.get("/es/actions/feed.atom").content).entries
    assert entry.title == "Marchapor la paz"


def test_a_large_campaign_embeds_its_first_fifty_actions_and_links_to_the_rest(client):
    campaign = CampaignFactory(slug="national")
    for _ in range(55):
        ActionFactory(campaign=campaign)
    html = client.get("/embed/en/campaigns/national/").content.decode()
    assert html.count('<article class="card') == 50 and 'href="/en/campaigns/national/"' in html
