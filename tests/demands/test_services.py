"""demands/services.py: demand_status_change, every change of a demand's status a dated step."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from demands.services import demand_status_change
from tests.factories import DemandFactory, OutcomeFactory

pytestmark = pytest.mark.django_db


def test_change_status_records_a_step_and_moves_the_demand():
    demand = DemandFactory(status="raised")
    outcome = OutcomeFactory()
    step = demand_status_change(
        demand=demand,
        status="commitment",
        note={"en": "They committed.", "es": "Se comprometieron."},
        date=datetime.date(2024, 2, 1),
        outcome=outcome,
    )
    demand.refresh_from_db()
    assert demand.status == "commitment"
    assert (step.status, step.note_es, step.outcome, step.date) == (
        "commitment",
        "Se comprometieron.",
        outcome,
        datetime.date(2024, 2, 1),
    )


def test_a_step_needs_a_known_status_and_an_english_note():
    demand = DemandFactory(status="raised")
    with pytest.raises(ValidationError) as error:
        demand_status_change(demand=demand, status="won", note={"en": ""})
    assert set(error.value.message_dict) == {"status", "note_en"}
    demand.refresh_from_db()
    assert demand.status == "raised" and not demand.status_changes.exists()


def test_a_step_cannot_be_dated_in_the_future_and_its_outcome_then_advanced_the_demand():
    import datetime as dt

    from django.utils import timezone

    demand, outcome = DemandFactory(status="raised"), OutcomeFactory()
    with pytest.raises(ValidationError) as error:
        demand_status_change(
            demand=demand, status="met", note={"en": "Won."}, date=timezone.localdate() + dt.timedelta(days=1)
        )
    assert list(error.value.message_dict) == ["date"]
    demand_status_change(demand=demand, status="met", note={"en": "Won."}, date=timezone.localdate(), outcome=outcome)
    assert list(demand.outcomes.all()) == [outcome]
