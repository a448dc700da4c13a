"""actions/querysets.py: the read vocabulary (published, upcoming, past, online, in_country, featured)."""

import datetime

import pytest
from django.utils import timezone

from actions.models import Action, Campaign
from tests.factories import ActionFactory, CampaignFactory, CityFactory

pytestmark = pytest.mark.django_db


def test_published_hides_drafts_and_keeps_cancelled():
    draft = ActionFactory(status=Action.Status.DRAFT)
    published = ActionFactory(status=Action.Status.PUBLISHED)
    cancelled = ActionFactory(status=Action.Status.CANCELLED)
    assert set(Action.objects.published()) == {published, cancelled}
    assert draft not in Action.objects.published()


def test_upcoming_includes_an_action_under_way_and_past_excludes_it():
    now = timezone.now()
    under_way = ActionFactory(starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(hours=1))
    over = ActionFactory(starts_at=now - datetime.timedelta(hours=3), ends_at=now - datetime.timedelta(hours=2))
    assert list(Action.objects.upcoming(now)) == [under_way]
    assert list(Action.objects.past(now)) == [over]


def test_online_in_person_and_country():
    online = ActionFactory(city=None)
    mexico = ActionFactory(city=CityFactory(country="MX"))
    us = ActionFactory(city=CityFactory(country="US", time_zone="America/New_York"))
    assert list(Action.objects.online()) == [online]
    assert set(Action.objects.in_person()) == {mexico, us}
    assert list(Action.objects.in_country("US")) == [us]


def test_featured_campaign_is_the_next_one_else_the_latest_past_one():
    today = datetime.date(2026, 11, 29)
    old = CampaignFactory(start_date=datetime.date(2023, 6, 30), end_date=datetime.date(2023, 6, 30))
    older = CampaignFactory(start_date=datetime.date(2022, 6, 30), end_date=datetime.date(2022, 6, 30))
    assert Campaign.objects.featured(today) == old
    later = CampaignFactory(start_date=datetime.date(2027, 3, 1), end_date=datetime.date(2027, 3, 1))
    sooner = CampaignFactory(start_date=datetime.date(2026, 12, 10), end_date=datetime.date(2026, 12, 10))
    assert Campaign.objects.featured(today) == sooner
    assert {later, older}.isdisjoint({Campaign.objects.featured(today)})
