"""demands/querysets.py: demands in the organizers' order, outcomes as a timeline."""

import datetime

import pytest

from demands.models import Demand, Outcome
from tests.factories import DemandFactory, OutcomeFactory

pytestmark = pytest.mark.django_db


def test_timeline_is_newest_first_with_undated_outcomes_last():
    undated = OutcomeFactory(date=None)
    old = OutcomeFactory(date=datetime.date(2023, 7, 1))
    new = OutcomeFactory(date=datetime.date(2024, 2, 1))
    assert list(Outcome.objects.timeline()) == [new, old, undated]


def test_demands_are_listed_in_the_organizers_order():
    second = DemandFactory(ordering=20)
    first = DemandFactory(ordering=10)
    assert list(Demand.objects.for_listing()) == [first, second]
