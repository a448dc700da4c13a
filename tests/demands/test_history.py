"""A demand's status history: every change of status is a dated step, and the page tells it."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from actions.seed import load_day_of_action
from demands.models import Demand, DemandStatusChange
from tests.admin_forms import form_data
from tests.factories import DemandFactory, OutcomeFactory

pytestmark = pytest.mark.django_db


def test_change_status_records_a_step_and_moves_the_demand():
    demand = DemandFactory(status="raised")
    outcome = OutcomeFactory()
    step = demand.change_status(
        "commitment",
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
        demand.change_status("won", note={"en": ""})
    assert set(error.value.message_dict) == {"status", "note_en"}
    demand.refresh_from_db()
    assert demand.status == "raised" and not demand.status_changes.exists()


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


def test_the_demand_page_shows_its_timeline_in_the_page_language(client):
    load_day_of_action()
    html = client.get("/es/demands/justice-ciudad-juarez-fire/").content.decode()
    history = html.split('id="history-heading"')[1].split("</section>")[0]
    assert "Planteada en la jornada de acción del 30 de junio" in history
    assert '<time datetime="2023-06-30">' in history and "Fecha no registrada" in history
    assert history.index("Planteada") < history.index("Reconocida")
    assert 'href="/es/outcomes/cndh-recommendation-ciudad-juarez-fire/"' in history


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss", "boss@example.org", "x"))
    return client


def test_the_admin_refuses_a_status_change_without_a_note_and_keeps_the_rest(admin_client):
    demand = DemandFactory(status="raised")
    demand.change_status("raised", note={"en": "Raised."})
    url = f"/admin/demands/demand/{demand.pk}/change/"
    data = form_data(admin_client.get(url), status="met", title_es="Nuevo título")
    response = admin_client.post(url, data, headers={"accept-language": "es"})
    assert response.status_code == 200
    assert "Diga en pocas palabras por qué cambió el estado" in response.content.decode()
    assert 'value="Nuevo título"' in response.content.decode()
    demand.refresh_from_db()
    assert demand.status == "raised" and demand.status_changes.count() == 1


def test_the_admin_records_the_step_with_its_note_date_and_outcome(admin_client):
    demand = DemandFactory(status="raised")
    demand.change_status("raised", note={"en": "Raised."})
    outcome = OutcomeFactory()
    url = f"/admin/demands/demand/{demand.pk}/change/"
    data = form_data(
        admin_client.get(url),
        status="partially_met",
        status_date="2024-03-05",
        status_note_en="Half of it.",
        status_note_es="La mitad.",
        status_outcome=str(outcome.pk),
    )
    assert admin_client.post(url, data).status_code == 302
    demand.refresh_from_db()
    step = demand.status_changes.last()
    assert demand.status == step.status == "partially_met"
    assert (step.date, step.note_en, step.note_es, step.outcome) == (
        datetime.date(2024, 3, 5),
        "Half of it.",
        "La mitad.",
        outcome,
    )


def test_saving_a_demand_without_touching_its_status_records_nothing(admin_client):
    demand = DemandFactory(status="raised")
    demand.change_status("raised", note={"en": "Raised."})
    url = f"/admin/demands/demand/{demand.pk}/change/"
    assert admin_client.post(url, form_data(admin_client.get(url), title_en="Renamed")).status_code == 302
    assert DemandStatusChange.objects.filter(demand=demand).count() == 1


def test_a_new_demand_starts_its_history_in_the_admin(admin_client):
    data = form_data(
        admin_client.get("/admin/demands/demand/add/"),
        title_en="Close the camps",
        target="both",
        slug="close-the-camps",
        status_note_en="Raised at the assembly.",
    )
    assert admin_client.post("/admin/demands/demand/add/", data).status_code == 302
    demand = Demand.objects.get(slug="close-the-camps")
    assert [(s.status, s.note_en) for s in demand.status_changes.all()] == [("raised", "Raised at the assembly.")]
