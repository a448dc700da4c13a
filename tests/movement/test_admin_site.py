"""movement/admin_site.py: the admin login (brute force is locked out by django-axes; two-factor codes,
django-otp TOTP), and every model of ours in the admin, its pages opening in both languages."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from actions import mail
from actions.models import AccessLog, Action, LocalHost, OutgoingMail, Reminder, Suppression
from actions.roles import make_local_host
from tests.admin_forms import admin_url
from tests.factories import (
    ActionFactory,
    CityFactory,
    DemandFactory,
    OrganizationFactory,
    OutcomeFactory,
    SignupFactory,
)

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def staff():
    return User.objects.create_user("organizer", password="a long passphrase", is_staff=True, is_superuser=True)


def log_in(client, password="a long passphrase", headers=None, REMOTE_ADDR="127.0.0.1", **fields):
    data = {"username": "organizer", "password": password, "next": "/admin/", **fields}
    return client.post(LOGIN, data, headers=headers, REMOTE_ADDR=REMOTE_ADDR)


def test_five_wrong_passwords_lock_the_login_for_that_user_and_address(client, staff):
    for _ in range(5):
        assert log_in(client, password="wrong").status_code in (200, 429)
    response = log_in(client, headers={"accept-language": "es"})  # the right password, too late
    assert response.status_code == 429
    assert "Demasiados intentos fallidos" in response.content.decode()
    assert client.get("/admin/").status_code == 302  # not logged in


def test_a_success_before_the_limit_clears_the_count(client, staff):
    for _ in range(4):
        log_in(client, password="wrong")
    assert log_in(client).status_code == 302
    client.logout()
    for _ in range(4):
        log_in(client, password="wrong")
    assert log_in(client).status_code == 302


def test_staff_with_a_device_must_give_its_current_code(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    assert log_in(client).status_code == 200  # the form again: the code is missing
    assert log_in(client, otp_token=f"{totp(device.bin_key):06d}").status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    wrong = (totp(device.bin_key) + 1) % 1_000_000
    assert log_in(client, otp_token=f"{wrong:06d}").status_code == 200
    assert client.get("/admin/").status_code == 302


def test_staff_without_a_device_log_in_with_the_password_unless_two_factor_is_required(client, staff, settings):
    assert log_in(client).status_code == 302
    assert client.get("/admin/").status_code == 200
    settings.ADMIN_REQUIRE_2FA = True
    assert client.get("/admin/").status_code == 302  # no longer enough: sent back to log in
    client.logout()
    assert log_in(client).status_code == 200


OUR_MODELS = [m for m in admin.site._registry if m._meta.app_label in ("actions", "demands")]


@pytest.fixture
def rows():
    action = ActionFactory()
    action.hosts.add(OrganizationFactory())
    action.demands.add(DemandFactory())
    OutcomeFactory(campaign=action.campaign).actions.add(action)
    signup = SignupFactory(action=action)
    Reminder.objects.create(signup=signup, minutes_before=120, action_starts_at=action.starts_at)
    LocalHost.objects.create(user=User.objects.create_user("host")).cities.add(action.city)
    AccessLog.objects.create(username="admin", kind="view", signup=signup, signup_count=1)
    mail.suppression_record(address="gone@example.org", reason=Suppression.Reason.BOUNCED, provider="postmark")
    return action


def test_every_model_of_ours_is_in_the_admin():
    assert {m.__name__ for m in OUR_MODELS} == {
        "City",
        "Organization",
        "Campaign",
        "Action",
        "Demand",
        "Outcome",
        "Signup",
        "OutgoingMail",
        "Suppression",
        "LocalHost",
        "AccessLog",
    }


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("language", ["en", "es"])
def test_changelist_add_and_change_pages_open(admin_client, rows, model, language):
    obj = model.objects.first()
    # Mail, undeliverable addresses and access logs are written by the site, never added by hand.
    add = [] if model in (OutgoingMail, Suppression, AccessLog) else [admin_url(model, "add")]
    for url in (admin_url(model, "changelist"), *add, admin_url(model, "change", obj.pk)):
        response = admin_client.get(url, headers={"accept-language": language})
        assert response.status_code == 200, url


def test_changelist_filters_and_search_work(admin_client, rows):
    url = admin_url(Action, "changelist")
    for query in (
        "?status__exact=published",
        "?city__country=MX",
        "?mode=online",
        "?missing=es",
        f"?q={rows.title_en}",
        f"?campaign__id__exact={rows.campaign_id}",
    ):
        assert admin_client.get(url + query).status_code == 200, query


def test_admin_language_tabs_load_nothing_from_another_host(admin_client, rows):
    html = admin_client.get(admin_url(Action, "change", rows.pk)).content.decode()
    assert "vendor/jquery-ui/jquery-ui.min.js" in html
    assert "tabbed_translation_fields.js" in html
    assert re.findall(r'(?:src|href)="(?:https?:)?//[^"]*"', html) == []


def view_on_site(obj) -> str:
    """The admin's "View on site" link of `obj`: /admin/r/<content type>/<id>/."""
    return reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(obj).pk, obj.pk])


@pytest.fixture
def drafts():
    call_command("setup_roles")
    tapachula, new_york = CityFactory(slug="tapachula"), CityFactory(slug="new-york")
    ours = ActionFactory(city=tapachula, status=Action.Status.DRAFT, slug="draft-in-tapachula")
    theirs = ActionFactory(city=new_york, status=Action.Status.DRAFT, slug="secret-draft-in-new-york")
    host = User.objects.create_user("host", is_staff=True)
    make_local_host(host)
    LocalHost.objects.create(user=host).cities.add(tapachula)
    return host, ours, theirs


def test_view_on_site_does_not_reveal_another_citys_draft_to_a_local_host(client, drafts):
    host, ours, theirs = drafts
    client.force_login(host)
    response = client.get(view_on_site(theirs))
    assert response.status_code == 404  # as for an action that does not exist
    assert "secret-draft" not in response.get("Location", "") + response.content.decode()
    unknown = reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(Action).pk, 0])
    assert client.get(unknown).status_code == 404
    response = client.get(view_on_site(ours))
    assert response.status_code == 302 and response["Location"].endswith(ours.get_absolute_url())


def test_view_on_site_needs_permission_to_view_the_object(client, drafts):
    _host, ours, theirs = drafts
    demand = DemandFactory()
    client.force_login(User.objects.create_user("no-role", is_staff=True))  # staff, in no group
    assert client.get(view_on_site(demand)).status_code == 404
    assert client.get(view_on_site(ours)).status_code == 404
    coordinator = User.objects.create_user("coordinator", is_staff=True)
    coordinator.groups.add(Group.objects.get(name="coordinator"))
    client.force_login(coordinator)
    for obj in (ours, theirs, demand):
        response = client.get(view_on_site(obj))
        assert response.status_code == 302 and response["Location"].endswith(obj.get_absolute_url())


@pytest.fixture
def quick_hashes(settings):
    # A hundred logins, each hashing a password: the fastest hasher first (stored hashes still verify).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


def test_one_address_trying_many_usernames_is_locked_out(client, quick_hashes, staff, settings):
    # Password spraying: a few guesses for each of many usernames, never 5 for one.
    limit = settings.ADMIN_LOGIN_FAILURES_PER_ADDRESS
    statuses = [log_in(client, username=f"user{n}", password="wrong").status_code for n in range(30) for _ in range(4)]
    assert statuses[: limit - 1] == [200] * (limit - 1)
    assert set(statuses[limit - 1 :]) == {429}
    response = log_in(client, headers={"accept-language": "es"})  # the right password of another username
    assert response.status_code == 429
    html = response.content.decode()
    assert "Demasiados intentos fallidos" in html and "desde esta dirección, con uno o varios nombres" in html
    assert log_in(client, REMOTE_ADDR="192.0.2.7").status_code == 302  # other addresses are not locked out


def test_a_shared_office_address_survives_a_few_typos(client, quick_hashes, staff):
    for name in ("ana", "luis", "marta"):
        User.objects.create_user(name, password="a long passphrase", is_staff=True)
    for name in ("ana", "luis", "marta"):
        for _ in range(2):
            assert log_in(client, username=name, password="wrong").status_code == 200
    for name in ("ana", "luis", "marta"):
        assert log_in(client, username=name).status_code == 302
        client.logout()


def test_logging_in_to_ones_own_account_does_not_clear_the_addresss_count(client, quick_hashes, staff, settings):
    # Someone with an account of their own could otherwise spray between logins of their own.
    limit = settings.ADMIN_LOGIN_FAILURES_PER_ADDRESS
    for n in range(limit - 1):
        assert log_in(client, username=f"user{n // 4}", password="wrong").status_code == 200
    assert log_in(client).status_code == 302
    client.logout()
    assert log_in(client, username="someone-else", password="wrong").status_code == 429
