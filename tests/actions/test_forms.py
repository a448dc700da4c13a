"""actions/forms.py: the signup form's checks (through the signup page), the action list's filters, and
the admin's action form, which reads and shows times in the action's own zone."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from actions.models import Action, Signup
from tests.admin_forms import action_form_data, admin_url
from tests.factories import ActionFactory, CityFactory, ConfirmedSignupFactory, local
from tests.volunteers import sign_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def action():
    """Two seats, and a meeting link that only confirmed volunteers see."""
    return ActionFactory(capacity=2, online_url="https://meet.example.org/room-42")


@pytest.mark.parametrize(
    ("lang", "changes", "field", "message"),
    [
        ("es", {"email": "not-an-email"}, "email", "Introduzca una dirección de correo electrónico válida."),
        ("en", {"email": "not-an-email"}, "email", "Enter a valid email address."),
        ("es", {"name": ""}, "name", "Este campo es obligatorio."),
        ("es", {"name": "Ana\x00"}, "name", "Los caracteres nulos no están permitidos."),
        ("es", {"name": "Ana\u202e"}, "name", "Quite los caracteres invisibles o de control."),
        ("es", {"name": "x" * 101}, "name", "Asegúrese de que este valor tenga menos de 100 caracteres"),
        ("es", {"phone": "12345"}, "phone", "Escriba un número de teléfono válido"),
        ("en", {"consent": ""}, "consent", "Tick this box to sign up"),
    ],
)
def test_bad_input_is_explained_next_to_its_field_and_other_values_are_kept(
    client, action, lang, changes, field, message
):
    response = sign_up(client, action, lang=lang, **changes)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert list(response.context["signup_form"].errors) == [field]
    if field != "name":
        assert 'value="Ana López"' in html
    assert not Signup.objects.exists()


def test_names_in_any_script_and_emoji_are_welcome(client, action):
    names = ("José Núñez", "Nguyễn Thị Hoa", "Алия", "李伟", "Mar 🌻", "K'iche' Ixchel", "👩🏽‍🌾 Rosa")
    for i, name in enumerate(names):
        assert sign_up(client, action, name=name, email=f"v@example{i}.org").status_code == 302, name
    assert set(Signup.objects.values_list("name", flat=True)) == set(names)


@pytest.mark.parametrize(
    ("name", "accepted"),
    [
        ("علی\u200cرضا", True),
        ("Rhiannon 🏴\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f", True),
        ("Ana\u2028Bob", False),
        ("Ana\u202eBob", False),
    ],
)
def test_names_keep_the_joiners_they_need_and_lose_line_breaks(client, action, name, accepted):
    assert (sign_up(client, action, name=name).status_code == 302) is accepted


@pytest.mark.parametrize(
    ("phone", "stored"), [("55 1234 5678", "+525512345678"), ("+1 (212) 555-0123", "+12125550123")]
)
def test_phone_numbers_are_validated_and_stored_in_international_format(client, action, phone, stored):
    assert sign_up(client, action, phone=phone).status_code == 302
    assert Signup.objects.get().phone == stored


def test_the_phone_field_opens_a_phone_keypad(client, action):
    html = client.get(f"/es/actions/{action.slug}/signup/").content.decode()
    tag = re.search(r'<input[^>]*name="phone"[^>]*>', html).group(0)
    assert tag.count("type=") == 1 and 'type="tel"' in tag


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("ana@exämple.com", "ana@xn--exmple-cua.com"),
        ("ana@example.com", "ana@EXAMPLE.com"),
        ("ana@straße.de", "ana@xn--strae-oqa.de"),
    ],
)
def test_one_mailbox_written_differently_is_one_signup(client, action, first, second):
    sign_up(client, action, email=first)
    sign_up(client, action, email=second)
    assert Signup.objects.count() == 1


def test_idn_domains_are_stored_in_their_ascii_form(client, action):
    sign_up(client, action, email="ana@exämple.com")
    assert Signup.objects.get().email == "ana@xn--exmple-cua.com"


@pytest.mark.parametrize(("email", "stored"), [("a@ß.de", "a@xn--zca.de"), ("a@straße.de", "a@xn--strae-oqa.de")])
def test_a_sharp_s_keeps_its_own_domain_as_idna_2008_says(client, action, email, stored):
    # IDNA 2003, Python's codec, made these ss.de and strasse.de: somebody else's domains.
    assert sign_up(client, action, email=email).status_code == 302
    assert Signup.objects.get().email == stored


@pytest.mark.parametrize(
    "email",
    ["a@ex\u200bample.com", "a@exa\u00admple.com", "ANA@ｅｘａｍｐｌｅ.ｃｏｍ", "a@e\ufe0fxample.com"],
)
def test_a_domain_that_normalization_would_change_is_refused_with_a_reason(client, action, email):
    response = sign_up(client, action, lang="es", email=email)
    assert response.status_code == 400
    assert "La parte después de @ tiene caracteres que cambiarían" in response.content.decode()
    assert not Signup.objects.exists()


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("a@localhost", "Escriba una dirección con un dominio completo"),
        ("a@mailserver", "Escriba una dirección con un dominio completo"),
        ("a@1.2.3.4", "Escriba una dirección con un dominio completo"),
        ("a@[127.0.0.1]", "Escriba una dirección con un nombre de dominio, no una dirección de red."),
        ("a@[IPv6:::1]", "Escriba una dirección con un nombre de dominio, no una dirección de red."),
        ("a" * 65 + "@example.org", "Introduzca una dirección de correo electrónico válida."),
    ],
)
def test_domains_without_a_dot_address_literals_and_long_local_parts_are_refused(client, action, email, message):
    response = sign_up(client, action, lang="es", email=email)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Signup.objects.exists()


@pytest.mark.parametrize("email", ['"ana"@example.org', '"an\\a"@example.org', "a\\na@example.org"])
def test_quoted_addresses_are_refused_in_the_visitors_language(client, action, email):
    response = sign_up(client, action, email=email)
    assert response.status_code == 400
    assert "Escriba la dirección sin comillas ni barras invertidas." in response.content.decode()
    assert not Signup.objects.exists()


@pytest.mark.parametrize("email", ["a@\u202eexample.org", "a@example.org\u180e", "a\u200b@example.org"])
def test_invisible_characters_in_an_email_are_refused(client, action, email):
    assert sign_up(client, action, email=email).status_code == 400
    assert not Signup.objects.exists()


def test_the_consent_text_says_what_why_who_and_when(client, action):
    html = client.get(f"/es/actions/{action.slug}/signup/").content.decode()
    assert "guarde mi nombre, correo y teléfono" in html and "30 días después de que termine la acción" in html


def test_the_page_opens_on_the_first_field_to_correct(client, action):
    html = sign_up(client, action, lang="es", email="ana@").content.decode()
    assert "<title>Error: " in html
    email_input = html.split('id="id_email"')[0].rsplit("<input", 1)[1] + html.split('id="id_email"')[1].split(">")[0]
    assert "autofocus" in email_input
    assert html.count("autofocus") == 1
    assert '<a href="#id_email">' in html


def test_action_list_filters(client):
    mx = ActionFactory(city=CityFactory(country="MX"), kind=Action.Kind.VIGIL, title_en="Vigil MX")
    us = ActionFactory(
        city=CityFactory(country="US", time_zone="America/Chicago"), kind=Action.Kind.MARCH, title_en="March US"
    )
    online = ActionFactory(city=None, kind=Action.Kind.ONLINE_EVENT, title_en="Online forum")

    def titles(query):
        html = client.get(f"/en/actions/?{query}").content.decode()
        return {a.title_en for a in (mx, us, online) if a.title_en in html}

    assert titles("") == {"Vigil MX", "March US", "Online forum"}
    assert titles("country=US") == {"March US"}
    assert titles("kind=vigil") == {"Vigil MX"}
    assert titles("mode=online") == {"Online forum"}
    assert titles("mode=in_person") == {"Vigil MX", "March US"}
    assert titles(f"city={mx.city.slug}") == titles("")  # gone from the list: a city's page lists its actions
    assert titles(f"campaign={us.campaign.slug}") == {"March US"}
    assert titles("when=past") == set()


def test_action_list_shows_a_translated_error_for_a_bad_filter_and_applies_the_rest(client):
    us = ActionFactory(city=CityFactory(country="US", time_zone="America/Chicago"))
    mx = ActionFactory()
    response = client.get("/es/actions/?country=US&kind=parade")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Escoja una opción válida" in html
    assert us.get_absolute_url().replace("/en/", "/es/") in html
    assert mx.slug not in html


@pytest.mark.parametrize(
    ("zone", "day", "start", "end", "field", "message"),
    [
        (
            "America/Mexico_City",
            "2023-06-30",
            "18:00",
            "17:00",
            "ends_at",
            "La acción debe terminar después de empezar.",
        ),
        ("America/New_York", "2026-03-08", "02:30", "04:00", "starts_at", "Esta hora no existe en America/New_York"),
    ],
    ids=["end-before-start", "clocks-skip-the-start"],
)
def test_admin_refuses_bad_times_next_to_the_field_in_spanish(admin_client, zone, day, start, end, field, message):
    action = ActionFactory(city=CityFactory(time_zone=zone))
    before = (action.starts_at, action.ends_at)
    data = action_form_data(admin_client, action, starts_at_0=day, starts_at_1=start, ends_at_0=day, ends_at_1=end)
    response = admin_client.post(admin_url(Action, "change", action.pk), data, headers={"accept-language": "es"})
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == [field]
    assert message in response.content.decode()
    action.refresh_from_db()
    assert (action.starts_at, action.ends_at) == before


def test_admin_reads_typed_times_only_in_the_actions_zone(admin_client, client):
    # 2021-04-04 02:30 did not exist in Mexico City (the server's zone then had DST); it did in New York.
    action = ActionFactory(city=CityFactory(country="US", time_zone="America/New_York"))
    data = action_form_data(
        admin_client, action, starts_at_0="2021-04-04", starts_at_1="02:30", ends_at_0="2021-04-04", ends_at_1="04:00"
    )
    assert admin_client.post(admin_url(Action, "change", action.pk), data).status_code == 302
    action.refresh_from_db()
    assert action.starts_at == local(2021, 4, 4, 2, 30, "America/New_York")
    assert "April 4, 2021, 2:30 AM EDT" in client.get(f"/en/actions/{action.slug}/").content.decode()


@pytest.mark.parametrize(("year", "field", "time"), [("9999", "ends_at_0", "23:59"), ("0001", "starts_at_0", "00:00")])
def test_admin_refuses_years_that_cannot_be_shown(admin_client, year, field, time):
    # At the very ends of the calendar, in a zone far from UTC, converting would overflow.
    action = ActionFactory(city=CityFactory(time_zone="Asia/Tokyo" if year == "0001" else "America/New_York"))
    data = action_form_data(
        admin_client, action, starts_at_0="2027-06-30", starts_at_1="18:00", ends_at_0="2027-06-30", ends_at_1="20:00"
    )
    data[field] = f"{year}-{'12-31' if year == '9999' else '01-01'}"
    data[field.replace("_0", "_1")] = time
    response = admin_client.post(admin_url(Action, "change", action.pk), data)
    assert response.status_code == 200
    assert "Enter a date between 2000 and 2099." in response.content.decode()
    assert admin_client.get(admin_url(Action, "changelist")).status_code == 200


def test_saving_the_admin_form_unchanged_keeps_a_time_in_the_repeated_hour(
    admin_client, django_capture_on_commit_callbacks
):
    start = datetime.datetime(2027, 11, 7, 4, 30, tzinfo=datetime.UTC)  # 00:30 EDT
    end = datetime.datetime(2027, 11, 7, 6, 30, tzinfo=datetime.UTC)  # 01:30 EST, the second 01:30 that night
    action = ActionFactory(city=CityFactory(country="US", time_zone="America/New_York"), starts_at=start, ends_at=end)
    ConfirmedSignupFactory(action=action)
    url = reverse("admin:actions_action_change", args=[action.pk])
    data = action_form_data(
        admin_client, action, starts_at_0="2027-11-07", starts_at_1="00:30", ends_at_0="2027-11-07", ends_at_1="01:30"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, data).status_code == 302
    action.refresh_from_db()
    assert (action.starts_at, action.ends_at) == (start, end)
    assert mail.outbox == []
