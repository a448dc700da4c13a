"""common/feeds.py, what the Atom feeds share (actions/feeds.py, demands/feeds.py lists their rows):
one feed per language with an author and HTML summaries, and text that XML can hold."""

import pytest

from actions.models import Action
from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db


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


def test_a_control_character_in_a_title_does_not_break_the_feed(client):
    import feedparser

    ActionFactory(title_es="Marcha\x0bpor la paz")
    (entry,) = feedparser.parse(client.get("/es/actions/feed.atom").content).entries
    assert entry.title == "Marchapor la paz"
