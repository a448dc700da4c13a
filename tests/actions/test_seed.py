"""actions/seed.py: the June 30 day of action (`manage.py load_june30`), loaded once, whatever runs
at the same time, with its demands' status history."""

import datetime

import pytest

from actions.models import Action, Campaign, City, Organization
from actions.seed import load_day_of_action
from demands.models import Demand, Outcome

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        model.__name__: sorted(model.objects.values_list(flat=False).order_by("pk"))
        for model in (Organization, Demand, Campaign, City, Action, Outcome)
    }


def test_loads_the_june_30_day_of_action():
    load_day_of_action()
    campaign = Campaign.objects.get()
    assert (campaign.title_en, campaign.title_es) == ("June 30 Day of Action", "Jornada de acción del 30 de junio")
    assert str(campaign.start_date) == "2023-06-30"
    cities = {(c.name_en, c.country) for c in City.objects.all()}
    assert cities == {
        ("Tallahassee", "US"),
        ("San Francisco", "US"),
        ("New York", "US"),
        ("Mexico City", "MX"),
        ("Tapachula", "MX"),
        ("Puebla", "MX"),
        ("Tlaxcala", "MX"),
    }
    actions = Action.objects.all()
    assert actions.count() == 8
    assert actions.online().count() == 1
    assert all(a.status == Action.Status.PUBLISHED and a.time_to_be_announced for a in actions)
    assert all(a.title_es and a.title_en and a.venue == "" and a.address == "" for a in actions)
    assert all(a.local_starts_at.date().isoformat() == "2023-06-30" for a in actions)
    assert list(Organization.objects.values_list("name_en", "name_es")) == [
        ("People’s Movement for Peace and Justice", "Movimiento de los Pueblos por la Paz y la Justicia")
    ]
    assert Demand.objects.count() == 6 and all(d.title_es for d in Demand.objects.all())
    assert campaign.demands.count() == 6


def test_loads_the_two_reported_outcomes():
    load_day_of_action()
    recommendation = Outcome.objects.get(kind=Outcome.Kind.RECOMMENDATION)
    commitment = Outcome.objects.get(kind=Outcome.Kind.COMMITMENT)
    assert "National Human Rights Commission" in recommendation.institution_en
    assert recommendation.source_language == "es"
    assert [d.slug for d in recommendation.demands.all()] == ["justice-ciudad-juarez-fire"]
    assert "Secretaría de Gobernación" in commitment.description_es
    assert "Ministry of the Interior" in commitment.description_en
    assert recommendation.date is None and recommendation.source_url == ""  # not given: nothing invented
    assert recommendation.actions.count() == 8


def test_loading_twice_changes_nothing():
    assert load_day_of_action() > 0
    before = snapshot()
    assert load_day_of_action() == 0
    assert snapshot() == before


def test_reloading_keeps_an_organizers_edits_and_deletions_unless_reset():
    load_day_of_action()
    Action.objects.filter(slug="june-30-2023-puebla").update(title_es="Marcha en Puebla")
    Action.objects.filter(slug="june-30-2023-tlaxcala").delete()
    assert load_day_of_action() == 0
    assert Action.objects.get(slug="june-30-2023-puebla").title_es == "Marcha en Puebla"
    assert not Action.objects.filter(slug="june-30-2023-tlaxcala").exists()
    load_day_of_action(reset=True)
    assert Action.objects.get(slug="june-30-2023-puebla").title_es == "Jornada de acción del 30 de junio en Puebla"
    assert Action.objects.get(slug="june-30-2023-tlaxcala").outcomes.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_loads_at_once_both_succeed_and_load_once():
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    def load():
        try:
            return load_day_of_action()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = sorted(pool.map(lambda _: load(), range(2)))
    assert results[0] == 0 and results[1] > 0
    assert Action.objects.count() == 8 and Organization.objects.count() == 1


def test_the_june_30_demands_carry_their_history_to_the_two_outcomes():
    load_day_of_action()
    juarez = Demand.objects.get(slug="justice-ciudad-juarez-fire")
    steps = list(juarez.status_changes.all())
    assert [(s.date, s.status) for s in steps] == [(datetime.date(2023, 6, 30), "raised"), (None, "acknowledged")]
    assert steps[-1].outcome.slug == "cndh-recommendation-ciudad-juarez-fire"
    summit = Demand.objects.get(slug="peace-summit-follow-up")
    assert summit.status == "commitment" == summit.status_changes.last().status
    assert summit.status_changes.last().outcome.slug == "peace-summit-working-group-commitment"
    assert all(d.status == d.status_changes.last().status for d in Demand.objects.all())
