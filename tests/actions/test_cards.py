"""Cards and list items from the fragment cache (common/fragments.py): rendered once, never stale."""

import datetime

import pytest
from django.core.cache import caches
from django.utils import timezone

from tests.factories import ActionFactory, CampaignFactory, OutcomeFactory

pytestmark = pytest.mark.django_db


def test_a_card_shows_every_edit_of_its_action_and_its_city_at_once(client):
    action = ActionFactory(title_en="Vigil at the bridge", city__name_en="Tapachula")
    assert "Vigil at the bridge" in client.get("/en/actions/").content.decode()
    action.title_en = "Vigil at the international bridge"
    action.status = action.Status.CANCELLED
    action.save()
    page = client.get("/en/actions/").content.decode()
    assert "Vigil at the international bridge" in page and "card--cancelled" in page and "Cancelled" in page
    action.city.name_en = "Tapachula de Córdova y Ordóñez"
    action.city.save()
    assert "Tapachula de Córdova y Ordóñez" in client.get("/en/actions/").content.decode()


def test_a_card_is_in_the_pages_language(client):
    ActionFactory(title_en="Vigil at the bridge", title_es="Vigilia en el puente", kind="vigil")
    english, spanish = (client.get(f"/{lang}/actions/").content.decode() for lang in ("en", "es"))
    assert "Vigil at the bridge" in english and "Vigilia en el puente" not in english
    assert "Vigilia en el puente" in spanish and "Vigilia ·" in spanish and "Vigil ·" in english


def test_an_online_cards_time_follows_its_campaigns_zone(client):
    campaign = CampaignFactory(time_zone="America/Mexico_City")
    starts = timezone.now().replace(hour=18, minute=0, second=0, microsecond=0) + datetime.timedelta(days=10)
    ActionFactory(
        campaign=campaign, city=None, kind="online_event", starts_at=starts, online_url="https://meet.example.org/x"
    )
    assert "CST" in client.get("/en/actions/").content.decode()
    campaign.time_zone = "America/Los_Angeles"
    campaign.save()
    page = client.get("/en/actions/").content.decode()
    assert "CST" not in page and ("PST" in page or "PDT" in page)


def test_cards_are_rendered_once_for_every_page_that_shows_them(client):
    ActionFactory.create_batch(3)
    fragments = caches["fragments"]._cache  # LocMemCache's store
    fragments.clear()
    client.get("/en/actions/")
    assert len(fragments) == 3
    client.get("/en/actions/")
    client.get("/en/actions/?kind=vigil")  # another page, the same cards
    client.get("/en/")
    assert len(fragments) == 3
    client.get("/es/actions/")
    assert len(fragments) == 6


def test_an_outcomes_edit_shows_at_once_in_every_list(client):
    outcome = OutcomeFactory(title_en="Recommendation 21/2023")
    assert "Recommendation 21/2023" in client.get("/en/outcomes/").content.decode()
    outcome.title_en = "Recommendation 22/2023"
    outcome.save()
    assert "Recommendation 22/2023" in client.get("/en/outcomes/").content.decode()


def test_the_blank_signup_form_is_rendered_once_per_language_and_never_for_a_filled_in_one(client):
    action = ActionFactory(city__country="MX")
    url = f"/{{}}/actions/{action.slug}/signup/"
    caches["fragments"].clear()
    english, spanish = (client.get(url.format(lang)).content.decode() for lang in ("en", "es"))
    assert "Your name" in english and "Su nombre" in spanish and "Your name" not in spanish
    assert len(caches["fragments"]._cache) == 2  # LocMemCache's store
    # Each page still carries a token of its own, outside the fragment.
    assert english.count('name="csrfmiddlewaretoken"') == 1
    sent_back = client.post(url.format("es"), {"name": "Ana", "email": "not an address", "consent": "on"})
    page = sent_back.content.decode()
    assert sent_back.status_code == 400 and 'value="Ana"' in page and 'class="error-summary"' in page
    assert 'value="Ana"' not in client.get(url.format("es")).content.decode()
