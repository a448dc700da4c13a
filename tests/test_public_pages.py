import datetime
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from actions.models import Action
from actions.seed import load_day_of_action
from demands.services import demand_status_change
from tests.factories import (
    ActionFactory,
    CampaignFactory,
    CityFactory,
    DemandFactory,
    OutcomeFactory,
    local,
)
from tests.pages import english_ui_on, public_paths, read

pytestmark = pytest.mark.django_db


@pytest.fixture
def june30():
    load_day_of_action()


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


def test_spanish_pages_show_spanish_content_and_dates(client, june30):
    text = read(client.get("/es/actions/june-30-2023-mexico-city/").content.decode())[1]
    assert "Jornada de acción del 30 de junio en Ciudad de México" in text
    assert "30 de junio de 2023, hora por anunciar" in text
    assert "Lugar por anunciar" in text


def test_root_sends_a_visitor_to_their_browsers_language(client):
    response = client.get("/", headers={"accept-language": "es-MX,es;q=0.9"})
    assert response.status_code == 302
    assert response["Location"] == "/es/"
    assert client.get("/", headers={"accept-language": "en-US"})["Location"] == "/en/"


def test_root_remembers_the_language_a_visitor_last_read(client, june30):
    client.get("/es/demands/")
    assert client.cookies["django_language"].value == "es"
    response = client.get("/", headers={"accept-language": "en-US"})
    assert response["Location"] == "/es/"


def test_language_switch_stays_on_the_same_action(client, june30):
    response = client.get("/en/actions/june-30-2023-tapachula/?x=1")
    html = response.content.decode()
    assert 'href="/es/actions/june-30-2023-tapachula/?x=1" hreflang="es" lang="es">Español</a>' in html
    assert '<link rel="alternate" hreflang="es" href="/es/actions/june-30-2023-tapachula/?x=1">' in html
    assert '<link rel="alternate" hreflang="en" href="/en/actions/june-30-2023-tapachula/?x=1">' in html


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


def test_drafts_are_never_public(client):
    city = CityFactory(slug="tijuana")
    campaign = CampaignFactory(slug="spring")
    draft = ActionFactory(status=Action.Status.DRAFT, city=city, campaign=campaign, title_en="Secret plan")
    assert client.get(f"/en/actions/{draft.slug}/").status_code == 404
    for path in ("/en/", "/en/actions/", "/en/actions/?when=all", "/en/cities/tijuana/", "/en/campaigns/spring/"):
        assert "Secret plan" not in client.get(path).content.decode(), path


def test_cancelled_actions_stay_visible_and_marked(client):
    action = ActionFactory(status=Action.Status.CANCELLED)
    with translation.override("es"):
        text = read(client.get(f"/es/actions/{action.slug}/").content.decode())[1]
    assert "Esta acción ha sido cancelada." in text


def test_online_meeting_link_is_never_on_a_public_page(client):
    action = ActionFactory(city=None, online_url="https://meet.example.org/secret-room")
    for path in (f"/en/actions/{action.slug}/", "/en/actions/", f"/en/campaigns/{action.campaign.slug}/", "/en/"):
        assert "secret-room" not in client.get(path).content.decode()


def test_action_time_is_shown_in_the_city_zone_with_its_abbreviation(client):
    city = CityFactory(time_zone="America/Mexico_City")
    action = ActionFactory(
        city=city,
        starts_at=local(2023, 6, 30, 18, 0, "America/Mexico_City"),
        ends_at=local(2023, 6, 30, 20, 0, "America/Mexico_City"),
    )
    assert action.starts_at.astimezone(datetime.UTC) == datetime.datetime(2023, 7, 1, 0, 0, tzinfo=datetime.UTC)
    es = read(client.get(f"/es/actions/{action.slug}/").content.decode())[1]
    en = read(client.get(f"/en/actions/{action.slug}/").content.decode())[1]
    assert "30 de junio de 2023, 18:00 CST – 20:00 CST" in es
    assert "June 30, 2023, 6:00 PM CST – 8:00 PM CST" in en


def test_us_action_time_shows_daylight_saving_abbreviation(client):
    city = CityFactory(country="US", time_zone="America/New_York")
    summer = ActionFactory(city=city, starts_at=local(2023, 6, 30, 18, 0, "America/New_York"))
    winter = ActionFactory(city=city, starts_at=local(2023, 12, 1, 18, 0, "America/New_York"))
    assert "June 30, 2023, 6:00 PM EDT" in client.get(f"/en/actions/{summer.slug}/").content.decode()
    assert "1 de diciembre de 2023, 18:00 EST" in client.get(f"/es/actions/{winter.slug}/").content.decode()


def test_action_list_filters(client):
    mx = ActionFactory(city=CityFactory(country="MX"), kind=Action.Kind.VIGIL, title_en="Vigil MX")
    us = ActionFactory(
        city=CityFactory(country="US", time_zone="America/Chicago"), kind=Action.Kind.MARCH, title_en="March US"
    )
    online = ActionFactory(city=None, kind=Action.Kind.ONLINE_EVENT, title_en="Online forum")

    def titles(query):
        html = client.get(f"/en/actions/?{query}").content.decode()
        return {a.title_en for a in (mx, us, online) if a.title_en in html}

    assert titles("") == {"Vigil MX", "March US", "Online forum"}
    assert titles("country=US") == {"March US"}
    assert titles("kind=vigil") == {"Vigil MX"}
    assert titles("mode=online") == {"Online forum"}
    assert titles("mode=in_person") == {"Vigil MX", "March US"}
    assert titles(f"city={mx.city.slug}") == {"Vigil MX"}
    assert titles(f"campaign={us.campaign.slug}") == {"March US"}
    assert titles("when=past") == set()


def test_action_list_shows_a_translated_error_for_a_bad_filter_and_applies_the_rest(client):
    us = ActionFactory(city=CityFactory(country="US", time_zone="America/Chicago"))
    mx = ActionFactory()
    response = client.get("/es/actions/?country=US&kind=parade")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Escoja una opción válida" in html
    assert us.get_absolute_url().replace("/en/", "/es/") in html
    assert mx.slug not in html


def test_action_list_empty_state_and_pagination(client):
    html = client.get("/en/actions/").content.decode()
    assert "No actions match these filters." in html
    ActionFactory.create_batch(25)
    first = client.get("/en/actions/").content.decode()
    second = client.get("/en/actions/?page=2").content.decode()
    assert "Page 1 of 2" in first and 'href="?page=2"' in first
    assert "Page 2 of 2" in second
    assert client.get("/en/actions/?page=999").status_code == 200


def test_campaign_page_groups_actions_by_country_and_city(client):
    campaign = CampaignFactory()
    tapachula = CityFactory(name_en="Tapachula", country="MX")
    new_york = CityFactory(name_en="New York", country="US", time_zone="America/New_York")
    ActionFactory(campaign=campaign, city=tapachula)
    ActionFactory(campaign=campaign, city=new_york)
    ActionFactory(campaign=campaign, city=None)
    text = read(client.get(f"/en/campaigns/{campaign.slug}/").content.decode())[1]
    assert text.index("Mexico") < text.index("Tapachula") < text.index("United States") < text.index("New York")
    assert "Online" in text


def test_outcome_page_labels_the_source_language(client):
    outcome = OutcomeFactory(source_url="https://example.org/rec.pdf", source_language="es")
    assert "Available in Spanish" in client.get(f"/en/outcomes/{outcome.slug}/").content.decode()
    assert "Disponible en español" in client.get(f"/es/outcomes/{outcome.slug}/").content.decode()


def test_demand_page_shows_the_actions_that_pressed_it_and_the_outcomes(client):
    demand = DemandFactory()
    action = ActionFactory(title_en="Vigil for asylum")
    action.demands.add(demand)
    outcome = OutcomeFactory(title_en="A commitment")
    outcome.demands.add(demand)
    html = client.get(f"/en/demands/{demand.slug}/").content.decode()
    assert "Vigil for asylum" in html and "A commitment" in html


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


@pytest.mark.parametrize(("lang", "heading"), [("en", "Bad request"), ("es", "Solicitud incorrecta")])
def test_a_request_too_large_to_read_gets_a_translated_400(client, lang, heading):
    query = "&".join(f"k{i}=1" for i in range(1100))
    response = client.get(f"/{lang}/actions/?{query}")
    assert response.status_code == 400
    assert heading in response.content.decode()


def test_an_action_in_the_repeated_hour_shows_its_zone(client):
    city = CityFactory(country="US", time_zone="America/New_York")
    action = ActionFactory(
        city=city,
        starts_at=datetime.datetime(2026, 11, 1, 5, 30, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2026, 11, 1, 6, 45, tzinfo=datetime.UTC),
    )
    text = read(client.get(f"/en/actions/{action.slug}/").content.decode())[1]
    assert "November 1, 2026, 1:30 AM EDT – 1:45 AM EST" in text


def test_fallback_text_is_marked_with_its_language(client):
    action = ActionFactory(title_en="Vigil for the disappeared", title_es="", description_en="Bring candles.")
    html = client.get(f"/es/actions/{action.slug}/").content.decode()
    assert '<h1 lang="en">Vigil for the disappeared</h1>' in html
    assert '<div class="prose" lang="en">' in html
    assert '<h1 lang="en">' not in client.get(f"/en/actions/{action.slug}/").content.decode()


class ResourceLinks(HTMLParser):
    """Every URL a browser would fetch by itself to show the page: scripts, styles, icons, fonts,
    images, frames and media (not the links a reader may follow)."""

    FETCHED = {
        "script": "src",
        "img": "src",
        "iframe": "src",
        "source": "src",
        "video": "src",
        "audio": "src",
        "embed": "src",
        "object": "data",
        "frame": "src",
    }

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") not in ("alternate", "canonical"):
            self.urls.append(attrs.get("href"))
        elif tag in self.FETCHED and attrs.get(self.FETCHED[tag]):
            self.urls.append(attrs[self.FETCHED[tag]])
        if attrs.get("srcset"):
            self.urls.append(attrs["srcset"])
        if attrs.get("style") and "url(" in attrs["style"]:
            self.urls.append(attrs["style"])


def third_party(url: str) -> bool:
    return url is not None and ("//" in url.split("?")[0].split("#")[0] or url.startswith(("http:", "https:")))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_public_page_loads_anything_from_another_host(client, june30, lang):
    for path in public_paths():
        parser = ResourceLinks()
        parser.feed(client.get(path.format(lang=lang)).content.decode())
        assert parser.urls, path  # the stylesheet at least
        assert [url for url in parser.urls if third_party(url)] == [], path
    stylesheet = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", stylesheet) and "@import" not in stylesheet


@pytest.mark.parametrize(("lang", "text"), [("en", "How we protect your details"), ("es", "Cómo protegemos sus datos")])
def test_the_signup_form_links_to_the_privacy_page(client, lang, text):
    action = ActionFactory()
    html = client.get(f"/{lang}/actions/{action.slug}/signup/").content.decode()
    assert f'<a href="/{lang}/privacy/">{text}</a>' in html
    privacy = client.get(f"/{lang}/privacy/").content.decode()
    assert ("30 days after the action ends" if lang == "en" else "30 días después de que termina la acción") in privacy


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


def test_no_email_loads_anything_from_another_host(django_capture_on_commit_callbacks):
    from django.core import mail

    from actions import services
    from actions.emails import reminder_email, signup_email
    from actions.models import Reminder
    from tests.factories import ConfirmedSignupFactory

    signup = ConfirmedSignupFactory(action=ActionFactory(online_url="https://meet.example.org/x"))
    reminder = Reminder(signup=signup, minutes_before=120, action_starts_at=signup.action.starts_at)
    messages = [signup_email(signup, kind) for kind in ("confirm", "existing", "promoted", "cancelled")]
    messages.append(reminder_email(reminder))
    with django_capture_on_commit_callbacks(execute=True):
        signup.action.venue = "Plaza"
        services.action_save(action=signup.action)
    messages += mail.outbox
    for message in messages:
        parser = ResourceLinks()
        parser.feed(message.alternatives[0][0])
        assert [url for url in parser.urls if third_party(url)] == [], message.subject


def test_the_sitemap_lists_every_public_page_in_both_languages(client, june30):
    draft = ActionFactory(status=Action.Status.DRAFT)
    xml = client.get("/sitemap.xml").content.decode()
    for lang in ("en", "es"):
        assert f"<loc>http://testserver/{lang}/actions/june-30-2023-tapachula/</loc>" in xml
        assert f"<loc>http://testserver/{lang}/demands/justice-ciudad-juarez-fire/</loc>" in xml
        assert f"<loc>http://testserver/{lang}/privacy/</loc>" in xml
    assert 'hreflang="es" href="http://testserver/es/outcomes/' in xml
    assert draft.slug not in xml


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_off_volunteer_links(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /es/signups/" in text and "Disallow: /admin/" in text


@pytest.mark.parametrize(("lang", "title"), [("en", "Outcomes"), ("es", "Logros")])
def test_the_outcome_and_action_feeds_parse_in_each_language(client, june30, lang, title):
    import feedparser

    outcomes = feedparser.parse(client.get(f"/{lang}/outcomes/feed.atom").content)
    assert not outcomes.bozo and outcomes.feed.title == title and outcomes.feed.language == lang
    assert len(outcomes.entries) == 2
    assert outcomes.feed.author and all(entry.get("updated") for entry in outcomes.entries)
    assert "<p>" in outcomes.entries[0].summary  # paragraphs, not newlines a reader would collapse
    assert outcomes.entries[0].link.startswith(f"http://testserver/{lang}/outcomes/")
    actions = feedparser.parse(client.get(f"/{lang}/actions/feed.atom").content)
    assert not actions.bozo and len(actions.entries) == Action.objects.published().count()
    tapachula = next(e for e in actions.entries if e.link.endswith("/june-30-2023-tapachula/"))
    assert tapachula.title == (
        "June 30 day of action in Tapachula" if lang == "en" else "Jornada de acción del 30 de junio en Tapachula"
    )


def test_the_demand_overview_counts_by_status_and_target_and_links_each(client):
    DemandFactory(title_en="Asylum", status="commitment", target="mx", slug="asylum")
    DemandFactory(title_en="Guns", status="raised", target="us", slug="guns")
    DemandFactory(title_en="Disappeared", status="raised", target="mx", slug="disappeared")
    html = client.get("/es/demands/").content.decode()
    assert "<h1>Dónde están nuestras demandas</h1>" in html
    raised = html.split('href="#status-raised">')[1].split("</tr>")[0]
    assert [cell.split("</td>")[0] for cell in raised.split("<td>")[1:]] == ["1", "1", "0", "2"]  # US, MX, both, total
    for slug in ("asylum", "guns", "disappeared"):
        assert f'href="/es/demands/{slug}/"' in html


def test_a_large_campaign_page_shows_its_actions_a_page_at_a_time(client, django_assert_max_num_queries):
    campaign = CampaignFactory()
    city = CityFactory(name_en="Tapachula", country="MX")
    for n in range(55):
        ActionFactory(campaign=campaign, city=city, title_en=f"Vigil {n:02}")
    with django_assert_max_num_queries(12):
        first = client.get(f"/en/campaigns/{campaign.slug}/").content.decode()
    assert first.count('<article class="card') == 50 and "Page 1 of 2" in first
    assert 'href="?page=2#actions-heading"' in first
    second = client.get(f"/en/campaigns/{campaign.slug}/?page=2").content.decode()
    assert second.count('<article class="card') == 5 and "Tapachula" in second  # still under its city
