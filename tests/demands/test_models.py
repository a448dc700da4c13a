import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

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


@pytest.mark.parametrize(
    ("source_language", "language", "label"),
    [("es", "en", "Available in Spanish"), ("es", "es", "Disponible en español"), ("en", "es", "Disponible en inglés")],
)
def test_source_language_label_speaks_the_readers_language(source_language, language, label):
    outcome = OutcomeFactory.build(source_language=source_language)
    with translation.override(language):
        assert str(outcome.source_language_label) == label


def test_database_rejects_an_unknown_outcome_kind():
    with pytest.raises(IntegrityError, match="outcome_kind_known"), transaction.atomic():
        OutcomeFactory(kind="victory")


def test_database_rejects_an_unknown_demand_target():
    with pytest.raises(IntegrityError, match="demand_target_known"), transaction.atomic():
        DemandFactory(target="ca")
