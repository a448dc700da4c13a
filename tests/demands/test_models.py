"""demands/models.py: what the database refuses, translated fields and labels in the reader's language."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from demands.models import Demand
from tests.factories import DemandFactory, OutcomeFactory

pytestmark = pytest.mark.django_db


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


def test_database_rejects_an_unknown_demand_status():
    with pytest.raises(IntegrityError, match="demand_status_known"), transaction.atomic():
        DemandFactory(status="won")


def test_translated_title_is_shown_in_the_active_language():
    demand = DemandFactory(title_en="Expansion of asylum", title_es="Ampliación del asilo")
    demand = Demand.objects.get(pk=demand.pk)
    with translation.override("es"):
        assert demand.title == "Ampliación del asilo"
    with translation.override("en"):
        assert demand.title == "Expansion of asylum"
