"""actions/roles.py, organizer roles in the admin: a local host for Tapachula reaches Tapachula's actions and
volunteers and nothing of New York's, by any admin URL; coordinators see who looked at what."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse

from actions.models import AccessLog, Action, LocalHost, OutgoingMail, Reminder, Signup, Suppression
from demands.models import Demand
from demands.services import demand_status_change
from tests.admin_forms import action_form_data
from tests.factories import ActionFactory, CityFactory, ConfirmedSignupFactory, DemandFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cities():
    call_command("setup_roles")
    tapachula = CityFactory(name_en="Tapachula", name_es="Tapachula", slug="tapachula")
    new_york = CityFactory(name_en="New York", slug="new-york", country="US", time_zone="America/New_York")
    return tapachula, new_york


@pytest.fixture
def rows(cities):
    tapachula, new_york = cities
    ours = ConfirmedSignupFactory(action=ActionFactory(city=tapachula, title_en="Vigil in Tapachula"), name="Ana")
    theirs = ConfirmedSignupFactory(action=ActionFactory(city=new_york, title_en="Rally in New York"), name="Zoe")
    for signup in (ours, theirs):
        Reminder.objects.create(signup=signup, minutes_before=120, action_starts_at=signup.action.starts_at)
    return ours, theirs


def staff(username, group, cities=()):
    user = User.objects.create_user(username, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    if cities:
        LocalHost.objects.create(user=user).cities.set(cities)
    return user


@pytest.fixture
def host(client, cities):
    client.force_login(staff("host", "local host", [cities[0]]))
    return client


@pytest.fixture
def coordinator(client, cities):
    client.force_login(staff("coordinator", "coordinator"))
    return client


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", [Action, Signup, OutgoingMail])
def test_a_local_host_lists_only_their_cities_rows(host, rows, model):
    html = host.get(url(model, "changelist")).content.decode()
    assert "Tapachula" in html and "New York" not in html


def test_a_local_host_cannot_open_another_citys_rows_by_url(host, rows):
    ours, theirs = rows
    reminder = Reminder.objects.get(signup=theirs)
    for page in [
        url(Action, "change", theirs.action_id),
        url(Action, "history", theirs.action_id),
        url(Signup, "change", theirs.pk),
        url(Signup, "history", theirs.pk),
        url(OutgoingMail, "change", reminder.pk),
        url(Suppression, "changelist"),
    ]:
        assert host.get(page).status_code == 403, page
    assert host.post(url(Signup, "change", theirs.pk), {"name": "Changed"}).status_code == 403
    assert Signup.objects.get(pk=theirs.pk).name == "Zoe"
    assert host.get(url(Signup, "change", ours.pk)).status_code == 200


def test_a_local_host_cannot_export_delete_or_move_an_action_to_another_city(host, rows, cities):
    ours, theirs = rows
    response = host.post(url(Signup, "changelist"), {"action": "export_csv", "_selected_action": [ours.pk, theirs.pk]})
    assert response.get("Content-Type", "").startswith("text/html")  # no CSV: the action is not offered
    assert host.post(url(Signup, "delete", ours.pk), {"post": "yes"}).status_code == 403
    data = action_form_data(host, ours.action, city=cities[1].pk)
    data.update(starts_at_0=ours.action.local_starts_at.strftime("%Y-%m-%d"), starts_at_1="18:00")
    data.update(ends_at_0=ours.action.local_ends_at.strftime("%Y-%m-%d"), ends_at_1="20:00")
    response = host.post(url(Action, "change", ours.action_id), data)
    assert response.status_code == 200 and "city" in response.context["adminform"].form.errors
    assert Action.objects.get(pk=ours.action_id).city_id == cities[0].pk


def test_a_local_host_can_read_demands_but_not_edit_them(host):
    demand = DemandFactory(title_en="Expansion of asylum")
    demand_status_change(demand=demand, status="raised", note={"en": "Raised at the assembly."})
    page = host.get(url(Demand, "change", demand.pk), headers={"accept-language": "es"})
    assert page.status_code == 200  # read-only, with the history and none of the status-change fields
    html = page.content.decode()
    assert "Raised at the assembly." in html and "Status note" not in html and "status_note" not in html
    host.post(url(Demand, "change", demand.pk), {"title_en": "Changed"})
    assert Demand.objects.get(pk=demand.pk).title_en == "Expansion of asylum"


def test_a_local_host_who_hosts_no_city_sees_no_volunteer(client, rows):
    client.force_login(staff("newcomer", "local host"))
    assert "Ana" not in client.get(url(Signup, "changelist")).content.decode()


def test_viewing_and_exporting_contact_details_is_logged_for_coordinators(coordinator, rows):
    ours, theirs = rows
    assert coordinator.get(url(Signup, "change", theirs.pk)).status_code == 200  # coordinators see every city
    response = coordinator.post(
        url(Signup, "changelist"), {"action": "export_csv", "_selected_action": [ours.pk, theirs.pk]}
    )
    assert response["Content-Type"].startswith("text/csv")
    logs = list(AccessLog.objects.order_by("at").values_list("username", "kind", "signup_id", "signup_count"))
    assert logs == [("coordinator", "view", theirs.pk, 1), ("coordinator", "export", None, 2)]
    html = coordinator.get(url(AccessLog, "changelist")).content.decode()
    assert "Exported signups" in html


def test_the_access_log_is_not_for_local_hosts(host, rows):
    assert host.get(url(AccessLog, "changelist")).status_code == 403


def test_listing_signups_is_logged_and_no_history_keeps_a_volunteers_name(coordinator, rows):
    from django.contrib.admin.models import LogEntry

    ours, _theirs = rows
    coordinator.get(url(Signup, "changelist"))
    assert AccessLog.objects.filter(kind="list", signup_count=2).exists()
    data = {"name": "Ana Renamed", "phone": "", "language": "es"}
    assert coordinator.post(url(Signup, "change", ours.pk), data).status_code == 302
    assert "Ana" not in " ".join(LogEntry.objects.values_list("object_repr", flat=True))


def test_a_coordinator_makes_a_local_host_in_the_admin(coordinator, cities):
    user = User.objects.create_user("new-host")
    assert (
        coordinator.get("/admin/autocomplete/?app_label=actions&model_name=localhost&field_name=user").status_code
        == 200
    )
    response = coordinator.post(url(LocalHost, "add"), {"user": user.pk, "cities": [cities[0].pk]})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_staff and user.groups.filter(name="local host").exists()
    assert not user.is_superuser


def test_a_coordinator_gives_two_factor_devices_and_lifts_lockouts(coordinator):
    assert coordinator.get("/admin/otp_totp/totpdevice/add/").status_code == 200
    assert coordinator.get("/admin/axes/accessattempt/").status_code == 200
    assert coordinator.get(url(User, "changelist")).status_code == 200  # to pick people, not to change them
    assert coordinator.get("/admin/auth/user/1/password/").status_code == 403


def new_action_data(client, action, **changes) -> dict:
    """The add form as an organizer fills it in: `action`'s fields under a new slug, with `changes`."""
    data = action_form_data(client, action, **{"slug": "new-action", **changes})
    data.update(starts_at_0=action.local_starts_at.strftime("%Y-%m-%d"), starts_at_1="18:00")
    data.update(ends_at_0=action.local_ends_at.strftime("%Y-%m-%d"), ends_at_1="20:00")
    return data


@pytest.mark.parametrize(
    "language, message",
    [
        ("en", "A local host’s action must take place in one of their cities."),
        ("es", "La acción de una persona anfitriona local debe realizarse en una de sus ciudades."),
    ],
)
def test_a_local_host_cannot_publish_an_action_without_a_city(host, rows, language, message):
    ours, _theirs = rows
    headers = {"accept-language": language}
    # An online action for the whole movement would be outside their cities: they could not open it again.
    response = host.post(url(Action, "add"), new_action_data(host, ours.action, city=""), headers=headers)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["city"] == [message]
    assert not Action.objects.filter(slug="new-action").exists()
    # Nor can they take its city off one of theirs.
    data = new_action_data(host, ours.action, city="", slug=ours.action.slug)
    response = host.post(url(Action, "change", ours.action_id), data, headers=headers)
    assert response.status_code == 200 and response.context["adminform"].form.errors["city"] == [message]
    assert Action.objects.get(pk=ours.action_id).city_id == ours.action.city_id


def test_a_local_host_adds_actions_in_their_cities_only(host, rows, cities):
    ours, _theirs = rows
    tapachula, new_york = cities
    response = host.post(url(Action, "add"), new_action_data(host, ours.action, city=new_york.pk))
    assert response.status_code == 200 and "city" in response.context["adminform"].form.errors
    assert host.post(url(Action, "add"), new_action_data(host, ours.action, city=tapachula.pk)).status_code == 302
    assert Action.objects.get(slug="new-action").city == tapachula


def test_a_coordinator_still_adds_online_actions(coordinator, rows):
    ours, _theirs = rows
    assert coordinator.post(url(Action, "add"), new_action_data(coordinator, ours.action, city="")).status_code == 302
    assert Action.objects.get(slug="new-action").city is None
