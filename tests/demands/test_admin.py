"""demands/admin.py: a demand's status history is written from its change form (a change of status
needs a note), and a mistaken step can be deleted."""

import datetime

import pytest

from demands.models import Demand, DemandStatusChange
from demands.services import demand_status_change
from tests.admin_forms import form_data
from tests.factories import DemandFactory, OutcomeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss", "boss@example.org", "x"))
    return client


def test_the_admin_refuses_a_status_change_without_a_note_and_keeps_the_rest(admin_client):
    demand = DemandFactory(status="raised")
    demand_status_change(demand=demand, status="raised", note={"en": "Raised."})
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
    demand_status_change(demand=demand, status="raised", note={"en": "Raised."})
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
    demand_status_change(demand=demand, status="raised", note={"en": "Raised."})
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


def test_the_admin_refuses_a_future_date_next_to_the_field_in_spanish(admin_client):
    demand = DemandFactory(status="raised")
    url = f"/admin/demands/demand/{demand.pk}/change/"
    data = form_data(admin_client.get(url), status="met", status_date="2099-01-01", status_note_en="Won.")
    response = admin_client.post(url, data, headers={"accept-language": "es"})
    assert response.status_code == 200 and "Esta fecha está en el futuro." in response.content.decode()
    assert not demand.status_changes.exists()


def test_a_spanish_note_or_an_outcome_alone_asks_for_the_english_note(admin_client):
    demand = DemandFactory(status="raised")
    url = f"/admin/demands/demand/{demand.pk}/change/"
    for given in ({"status_note_es": "Solo en español."}, {"status_outcome": str(OutcomeFactory().pk)}):
        response = admin_client.post(url, form_data(admin_client.get(url), **given), headers={"accept-language": "es"})
        assert response.status_code == 200 and "Diga en pocas palabras" in response.content.decode()
    assert not demand.status_changes.exists()


def test_deleting_a_mistaken_step_gives_the_demand_the_status_before_it(admin_client):
    demand = DemandFactory(status="raised")
    demand_status_change(demand=demand, status="raised", note={"en": "Raised."})
    mistake = demand_status_change(demand=demand, status="met", note={"en": "Met, by mistake."})
    url = f"/admin/demands/demand/{demand.pk}/change/"
    data = form_data(admin_client.get(url))
    prefix = next(k for k, v in data.items() if k.endswith("-id") and v == mistake.pk).removesuffix("-id")
    data[f"{prefix}-DELETE"] = "on"
    assert admin_client.post(url, data).status_code == 302
    demand.refresh_from_db()
    assert demand.status == "raised" and list(demand.status_changes.values_list("status", flat=True)) == ["raised"]


def test_the_demand_list_saves_a_new_ordering(admin_client):
    first, second = DemandFactory(ordering=1), DemandFactory(ordering=2)
    response = admin_client.post(
        "/admin/demands/demand/",
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "2",
            "form-0-id": first.pk,
            "form-0-ordering": "5",
            "form-1-id": second.pk,
            "form-1-ordering": "2",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.ordering == 5 and not first.status_changes.exists()
