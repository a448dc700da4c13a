"""common/markup.py: descriptions are Markdown, sanitized wherever they go: a page, a feed, an email,
a calendar, the API."""

import feedparser
import pytest

from actions.emails import reminder_email
from actions.models import Reminder
from common.markup import markdown_html, markdown_text
from tests.factories import ActionFactory, ConfirmedSignupFactory, DemandFactory, OutcomeFactory

pytestmark = pytest.mark.django_db

HOSTILE_ES = (
    "Marcha **pacífica** por <b>la justicia</b>; lean [la recomendación](https://www.cndh.org.mx/rec?a=1&b=2).\n\n"
    "<script>alert('x')</script><img src=x onerror=\"alert('y')\"> "
    '[haz clic](javascript:alert(\'z\')) <a href="JaVaScRiPt:alert(1)" onclick="alert(2)">aquí</a>'
)
GONE = ("<script", "alert(", "onerror", "onclick", "javascript:", "<img")


def assert_sanitized(html: str):
    lowered = html.lower()
    assert [bad for bad in GONE if bad.lower() in lowered] == []
    assert "<strong>pacífica</strong>" in html and "<b>la justicia</b>" in html
    assert 'href="https://www.cndh.org.mx/rec?a=1&amp;b=2"' in html


def test_markdown_keeps_links_and_emphasis_and_drops_what_could_run():
    assert_sanitized(markdown_html(HOSTILE_ES))
    text = markdown_text(HOSTILE_ES)
    assert text.startswith(
        "Marcha pacífica por la justicia; lean la recomendación (https://www.cndh.org.mx/rec?a=1&b=2)."
    )
    assert [bad for bad in GONE if bad in text] == []


def test_plain_text_keeps_each_links_address_once():
    text = markdown_text(
        "[the map](https://maps.example.org/p) · <https://a.org/x> · [ana@example.org](mailto:ana@example.org)"
    )
    assert text == "the map (https://maps.example.org/p) · https://a.org/x · ana@example.org"


@pytest.mark.parametrize(
    ("factory", "path"),
    [
        (ActionFactory, "/es/actions/{slug}/"),
        (DemandFactory, "/es/demands/{slug}/"),
        (OutcomeFactory, "/es/outcomes/{slug}/"),
    ],
)
def test_a_spanish_description_is_sanitized_on_its_page(client, factory, path):
    obj = factory(description_es=HOSTILE_ES)
    html = client.get(path.format(slug=obj.slug)).content.decode()
    body = html.split('<div class="prose"')[1].split("</div>")[0]
    assert_sanitized(body)
    assert [bad for bad in GONE if bad in html] == []  # nor in the meta description


def test_a_spanish_description_is_sanitized_in_the_feeds(client):
    ActionFactory(description_es=HOSTILE_ES)
    OutcomeFactory(description_es=HOSTILE_ES)
    for url in ("/es/actions/feed.atom", "/es/outcomes/feed.atom"):
        (entry,) = feedparser.parse(client.get(url).content).entries
        summary = client.get(url).content.decode()
        assert_sanitized(entry.summary)
        assert "javascript:" not in summary and "onerror" not in summary


def test_a_spanish_description_is_sanitized_in_the_email_and_its_calendar():
    signup = ConfirmedSignupFactory(action=ActionFactory(description_es=HOSTILE_ES), language="es")
    message = reminder_email(Reminder(signup=signup, minutes_before=120, action_starts_at=signup.action.starts_at))
    html = message.alternatives[0][0]
    assert_sanitized(html)
    assert [bad for bad in GONE if bad in message.body] == []
    assert "Marcha pacífica por la justicia" in message.body
    (ics,) = [a for a in message.attachments if a[0].endswith(".ics")]
    assert "alert(" not in ics[1] and "pac\u00edfica" in ics[1]


def test_a_spanish_description_is_sanitized_in_the_api(client):
    ActionFactory(description_es=HOSTILE_ES)
    (action,) = client.get("/api/v1/actions/").json()["results"]
    assert_sanitized(action["description_html"]["es"])


def test_text_too_deep_for_the_parser_is_refused_on_save_and_never_breaks_a_page(client):
    from django.core.exceptions import ValidationError

    deep = "- " * 600 + "x"
    action = ActionFactory(description_es=deep)  # saved without validation, as old data could be
    assert client.get(f"/es/actions/{action.slug}/").status_code == 200
    assert client.get("/es/actions/feed.atom").status_code == 200
    assert client.get("/api/v1/actions/").status_code == 200
    action.description_es = deep
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "description_es" in error.value.message_dict


def test_a_description_over_the_limit_is_refused_next_to_its_field():
    from django.core.exceptions import ValidationError

    demand = DemandFactory.build(description_en="x" * 5001)
    with pytest.raises(ValidationError) as error:
        demand.full_clean()
    assert "5000" in error.value.message_dict["description_en"][0]


def test_relative_links_are_made_absolute_for_emails_and_partners(settings):
    settings.SITE_URL = "https://movement.example.org"
    html = markdown_html("[privacy](/en/privacy/) and [out](https://a.org/x)")
    assert 'href="https://movement.example.org/en/privacy/"' in html and 'href="https://a.org/x"' in html
