"""demands/querysets.py: demands in the organizers' order, outcomes as a timeline, their institutions."""

import datetime

import pytest
from django.utils import translation

from demands.models import Demand, Outcome
from tests.factories import ENGLISH_ORDER, NAMES_TO_SORT, SPANISH_ORDER, DemandFactory, OutcomeFactory

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


@pytest.mark.parametrize(("lang", "expected"), [("es", SPANISH_ORDER), ("en", ENGLISH_ORDER)])
def test_institutions_come_once_each_in_the_order_of_the_names_shown(lang, expected):
    for en, es in [*NAMES_TO_SORT, NAMES_TO_SORT[0]]:
        OutcomeFactory(institution_en=en, institution_es=es)
    with translation.override(lang):
        institutions = Outcome.objects.institutions()
    assert [name for _english, name in institutions] == expected
    assert {english for english, _name in institutions} == {en for en, _es in NAMES_TO_SORT}
