"""actions/views.py: the public action, campaign and city pages, the embed partners frame, and a
volunteer's signup, confirm and manage pages, read as a visitor reads them."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone, translation

from actions import services
from actions.models import Action, Signup
from actions.seed import load_day_of_action
from actions.tokens import confirm_token, manage_token
from tests.factories import (
    ENGLISH_ORDER,
    SPANISH_ORDER,
    ActionFactory,
    CampaignFactory,
    CityFactory,
    ConfirmedSignupFactory,
    SignupFactory,
    cities_to_sort,
    local,
)
from tests.pages import read
from tests.volunteers import form, link, sign_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def action():
    """Two seats, and a meeting link that only confirmed volunteers see."""
    return ActionFactory(capacity=2, online_url="https://meet.example.org/room-42")


def test_signup_creates_a_pending_signup_and_emails_a_confirm_link_in_spanish(
    client, action, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, action, lang="en", language="es")
    assert response.status_code == 302 and response["Location"] == f"/en/actions/{action.slug}/signup/sent/"
    signup = Signup.objects.get()
    assert (signup.status, signup.name, signup.language) == ("pending", "Ana López", "es")
    [message] = mail.outbox
    assert message.to == ["ana@example.org"]
    assert message.subject.startswith("Confirme su lugar: ")
    assert "Hola, Ana López:" in message.body and "hora por anunciar" not in message.body
    assert link(message, "confirm").startswith("/es/signups/confirm/")
    html = message.alternatives[0][0]
    assert 'lang="es"' in html and "Confirmar mi lugar" in html
    assert signup.email not in link(message, "confirm") and signup.email not in link(message, "manage")


def test_the_same_page_whether_or_not_the_email_signed_up_before(client, action, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = sign_up(client, action)
        again = sign_up(client, action, email="ANA@example.org", name="Someone else")
    assert (first.status_code, first["Location"]) == (again.status_code, again["Location"])
    sent_first = client.get(first["Location"]).content
    assert sent_first == client.get(again["Location"]).content
    assert Signup.objects.count() == 1
    assert Signup.objects.get().name == "Ana López"
    # At most one email per ten minutes: the same address again at once brought none, even confirmed.
    services.signup_confirm(signup=Signup.objects.get())
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, action)
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Confirme su lugar"]
    # Later, confirmed: the manage link.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            sign_up(client, action)
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Confirme su lugar", "Su inscripción"]
    assert link(mail.outbox[1], "manage")


def test_the_honeypot_creates_nothing_but_looks_the_same(client, action):
    response = sign_up(client, action, website="http://spam.example")
    assert response.status_code == 302 and response["Location"].endswith("/signup/sent/")
    assert not Signup.objects.exists()


@pytest.mark.parametrize(
    ("changes", "text"),
    [
        ({"status": Action.Status.CANCELLED}, "Esta acción ha sido cancelada, así que no admite inscripciones."),
        (
            {"starts_at": timezone.now() - datetime.timedelta(hours=1)},
            "Las inscripciones para esta acción están cerradas.",
        ),
        (
            {"signup_deadline": timezone.now() - datetime.timedelta(minutes=1)},
            "Las inscripciones para esta acción están cerradas.",
        ),
    ],
)
def test_closed_actions_show_why_instead_of_the_form(client, changes, text):
    action = ActionFactory(**changes)
    html = client.get(f"/es/actions/{action.slug}/").content.decode()
    assert text in html and 'name="consent"' not in html
    assert sign_up(client, action).status_code == 409
    assert not Signup.objects.exists()


def test_confirm_link_shows_a_button_and_only_the_post_confirms(client, action):
    signup = SignupFactory(action=action)
    url = f"/es/signups/confirm/{confirm_token(signup)}/"
    page = client.get(url)
    assert "Confirmar mi lugar" in page.content.decode()
    signup.refresh_from_db()
    assert signup.status == "pending"
    done = client.post(url)
    signup.refresh_from_db()
    assert signup.status == "confirmed"
    assert "Su lugar está confirmado." in done.content.decode()
    client.post(url)
    confirmed_at = Signup.objects.get(pk=signup.pk).confirmed_at
    client.post(url)
    assert Signup.objects.get(pk=signup.pk).confirmed_at == confirmed_at  # confirming twice changes nothing


def test_a_full_action_waitlists_and_shows_the_position(client, action):
    for _ in range(2):
        services.signup_confirm(signup=SignupFactory(action=action))
    third, fourth = SignupFactory(action=action), SignupFactory(action=action)
    services.signup_confirm(signup=third)
    response = client.post(f"/es/signups/confirm/{confirm_token(fourth)}/")
    assert "Usted es el número 2 de la lista de espera" in response.content.decode()
    assert Signup.objects.get(pk=third.pk).waitlist_position() == 1


def test_cancelling_a_confirmed_seat_promotes_the_first_waitlisted_and_emails_them(
    client, action, django_capture_on_commit_callbacks
):
    confirmed = [services.signup_confirm(signup=SignupFactory(action=action)) for _ in range(2)]
    first, second = (
        services.signup_confirm(signup=SignupFactory(action=action, language=lang)) for lang in ("en", "es")
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/signups/manage/{manage_token(confirmed[0])}/", {"operation": "cancel", "confirmed": "on"}
        )
    assert response.status_code == 302
    statuses = {s.pk: s.status for s in Signup.objects.all()}
    assert statuses[confirmed[0].pk] == "cancelled"
    assert (statuses[first.pk], statuses[second.pk]) == ("confirmed", "waitlisted")
    [message] = mail.outbox
    assert message.to == [first.email] and message.subject.startswith("A place freed up for you")


def test_meeting_link_only_for_confirmed_volunteers(client, action):
    pending, confirmed = SignupFactory(action=action), services.signup_confirm(signup=SignupFactory(action=action))
    assert "room-42" not in client.get(f"/es/signups/manage/{manage_token(pending)}/").content.decode()
    assert "room-42" in client.get(f"/es/signups/manage/{manage_token(confirmed)}/").content.decode()
    assert "room-42" not in client.get(f"/es/signups/confirm/{confirm_token(pending)}/").content.decode()


def test_manage_page_changes_language_and_get_never_changes_state(client, action):
    signup = services.signup_confirm(signup=SignupFactory(action=action, language="es"))
    url = f"/es/signups/manage/{manage_token(signup)}/"
    client.get(url + "?operation=cancel")
    assert Signup.objects.get(pk=signup.pk).status == "confirmed"
    client.post(url, {"operation": "language", "language": "en"})
    assert Signup.objects.get(pk=signup.pk).language == "en"


def test_a_volunteer_stops_and_starts_sharing_their_contact_with_the_host(client, action):
    signup = services.signup_confirm(signup=SignupFactory(action=action, language="en", share_with_host=True))
    url = f"/en/signups/manage/{manage_token(signup)}/"
    assert "Stop sharing them with the host" in client.get(url).content.decode()
    response = client.post(url, {"operation": "sharing"}, follow=True)
    assert "the action’s host no longer sees your email and phone" in response.content.decode()
    assert not Signup.objects.get(pk=signup.pk).share_with_host
    client.post(url, {"operation": "sharing", "share_with_host": "on"})
    assert Signup.objects.get(pk=signup.pk).share_with_host


def test_cancel_and_erase_deletes_the_personal_data(client, action):
    signup = SignupFactory(action=action, email="borrar@example.org")
    response = client.post(f"/es/signups/manage/{manage_token(signup)}/", {"operation": "erase", "confirmed": "on"})
    assert "Sus datos fueron borrados" in response.content.decode()
    assert not Signup.objects.filter(email="borrar@example.org").exists()
    assert client.get(f"/es/signups/manage/{manage_token(signup)}/").status_code == 404


def test_signing_up_again_after_cancelling_works(client, action):
    signup = SignupFactory(action=action, email="ana@example.org")
    services.signup_cancel(signup=signup)
    assert sign_up(client, action).status_code == 302
    assert Signup.objects.filter(email__iexact="ana@example.org").count() == 2


@pytest.mark.parametrize("lang", ["en", "es"])
def test_bad_and_expired_links_get_a_clear_page(client, action, lang):
    signup = SignupFactory(action=action)
    heading = {"en": "This link does not work", "es": "Este enlace no funciona"}[lang]
    good = confirm_token(signup)
    for token in ("nonsense", good[:-2] + "xx", manage_token(signup).replace(":", ":x")):
        response = client.get(f"/{lang}/signups/confirm/{token}/")
        assert response.status_code == 404 and heading in response.content.decode()
    assert client.get(f"/{lang}/signups/manage/{good}/").status_code == 404  # a confirm token cannot manage
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=49)):
        assert heading in client.get(f"/{lang}/signups/confirm/{good}/").content.decode()


@pytest.mark.parametrize(("lang", "heading"), [("en", "Too many attempts"), ("es", "Demasiados intentos")])
def test_signups_are_refused_past_the_ceiling_per_address(client, action, settings, lang, heading):
    settings.SIGNUP_RATE_MAX = "3/h"
    codes = [sign_up(client, action, lang=lang, email=f"v{i}@example.org").status_code for i in range(4)]
    assert codes == [302, 302, 302, 429]
    response = sign_up(client, action, lang=lang, email="v9@example.org")
    assert response.status_code == 429 and heading in response.content.decode()
    other = client.post(f"/{lang}/actions/{action.slug}/signup/", form(email="w@example.org"), REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302


def test_signup_form_is_announced_and_protected(client, action):
    html = client.get(f"/es/actions/{action.slug}/signup/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'class="hp" aria-hidden="true"' in html
    response = sign_up(client, action, email="bad")
    page = response.content.decode()
    assert 'aria-invalid="true"' in page and 'role="alert"' in page
    assert read(page)[0] == "es"


def test_the_action_page_tells_the_capacity(client):
    action = ActionFactory(capacity=1)
    assert "Hay lugar para 1 persona." in client.get(f"/es/actions/{action.slug}/").content.decode()
    assert "Room for 1 person." in client.get(f"/en/actions/{action.slug}/").content.decode()


def test_an_expired_pending_signup_does_not_lock_the_address_out(client, action):
    stale = SignupFactory(action=action, email="ana@example.org")
    Signup.objects.filter(pk=stale.pk).update(created_at=timezone.now() - datetime.timedelta(hours=49))
    assert sign_up(client, action).status_code == 302
    [signup] = Signup.objects.all()
    assert signup.pk != stale.pk and signup.status == "pending"


def test_erase_removes_every_signup_of_that_address_at_the_action(client, action):
    earlier = SignupFactory(action=action, email="gina@example.org", phone="+529621234567")
    services.signup_cancel(signup=earlier)
    current = SignupFactory(action=action, email="Gina@example.org")
    other = SignupFactory(action=action, email="someone@example.org")
    client.post(f"/es/signups/manage/{manage_token(current)}/", {"operation": "erase", "confirmed": "on"})
    assert list(Signup.objects.values_list("pk", flat=True)) == [other.pk]


def test_the_action_page_links_to_a_signup_page_that_is_never_cached(client, action):
    page = client.get(f"/en/actions/{action.slug}/").content.decode()
    assert f'<a class="button" href="/en/actions/{action.slug}/signup/">Sign up for this action</a>' in page
    assert "csrfmiddlewaretoken" not in page  # the action page is the same for everyone: cacheable
    response = client.get(f"/en/actions/{action.slug}/signup/")
    assert response.status_code == 200 and 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert f'href="/en/actions/{action.slug}/"' in response.content.decode()  # back to the action


def test_a_confirm_link_for_a_closed_action_says_so_without_a_button(client, action):
    signup = SignupFactory(action=action)
    Action.objects.filter(pk=action.pk).update(status=Action.Status.CANCELLED)
    response = client.get(f"/es/signups/confirm/{confirm_token(signup)}/")
    html = response.content.decode()
    assert response.status_code == 409 and "Confirmar mi lugar" not in html
    assert "Las inscripciones para esta acción ya cerraron" in html


def test_confirmed_volunteers_get_the_meeting_link_on_confirming_and_when_promoted(
    client, action, django_capture_on_commit_callbacks
):
    first = SignupFactory(action=action)
    assert "room-42" in client.post(f"/es/signups/confirm/{confirm_token(first)}/").content.decode()
    services.signup_confirm(signup=SignupFactory(action=action))
    waiting = services.signup_confirm(signup=SignupFactory(action=action))
    with django_capture_on_commit_callbacks(execute=True):
        services.signup_cancel(signup=first)
    [message] = mail.outbox
    assert message.to == [waiting.email] and "room-42" in message.body


def test_volunteer_pages_are_never_cached(client, action):
    signup = SignupFactory(action=action)
    for url in (f"/es/signups/confirm/{confirm_token(signup)}/", f"/es/signups/manage/{manage_token(signup)}/"):
        assert "no-store" in client.get(url)["Cache-Control"]


def test_a_form_sent_without_its_csrf_token_gets_a_translated_page(action):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(f"/es/actions/{action.slug}/signup/", form())
    assert response.status_code == 403
    assert "El formulario caducó" in response.content.decode()


def test_a_full_action_says_new_signups_join_the_waitlist(client, action):
    for _ in range(2):
        services.signup_confirm(signup=SignupFactory(action=action))
    html = client.get(f"/es/actions/{action.slug}/signup/").content.decode()
    assert "Esta acción está llena." in html and "Hay lugar para" not in html
    assert 'name="consent"' in html  # the waitlist is still open


def test_the_form_sends_the_volunteer_back_to_itself(client, action):
    # No fragment on the way back: it would keep the browser from focusing the first field
    # to correct (autofocus), which also brings the form into view.
    html = client.get(f"/es/actions/{action.slug}/signup/").content.decode()
    assert f'action="/es/actions/{action.slug}/signup/"' in html


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_volunteer_page_speaks_the_pages_language(client, action, settings, lang):
    from tests.pages import english_ui_on

    signup = SignupFactory(action=action)
    waiting_action = ActionFactory(capacity=1)
    services.signup_confirm(signup=SignupFactory(action=waiting_action))
    waiting = services.signup_confirm(signup=SignupFactory(action=waiting_action))
    pages = [
        client.get(f"/{lang}/actions/{action.slug}/"),
        client.get(f"/{lang}/actions/{action.slug}/signup/"),
        sign_up(client, action, lang=lang, email="bad"),
        client.get(f"/{lang}/actions/{action.slug}/signup/sent/"),
        client.get(f"/{lang}/signups/confirm/{confirm_token(signup)}/"),
        client.post(f"/{lang}/signups/confirm/{confirm_token(signup)}/"),
        client.get(f"/{lang}/signups/manage/{manage_token(signup)}/"),
        client.get(f"/{lang}/signups/manage/{manage_token(waiting)}/"),
        client.get(f"/{lang}/signups/confirm/broken/"),
        client.post(f"/{lang}/signups/manage/{manage_token(signup)}/", {"operation": "erase", "confirmed": "on"}),
    ]
    settings.SIGNUP_RATE = settings.SIGNUP_CONFIRM_RATE = "0/h"
    pages.append(sign_up(client, action, lang=lang))  # the challenge
    pages.append(client.post(f"/{lang}/signups/confirm/{confirm_token(SignupFactory(action=action))}/"))
    settings.SIGNUP_RATE_MAX = "0/h"
    pages.append(sign_up(client, action, lang=lang))  # refused
    assert [response.status_code for response in pages[-3:]] == [200, 200, 429]
    for response in pages:
        page_lang, text = read(response.content.decode())
        assert page_lang == lang
        if lang == "es":
            assert english_ui_on(text) == [], response.request["PATH_INFO"]


@pytest.mark.parametrize(
    ("operation", "question", "status"),
    [("cancel", "¿Cancelar su inscripción?", "confirmed"), ("erase", "¿Borrar sus datos?", "confirmed")],
)
def test_cancelling_or_erasing_asks_first_and_can_be_called_off(client, action, operation, question, status):
    signup = ConfirmedSignupFactory(action=action)
    url = f"/es/signups/manage/{manage_token(signup)}/"
    asked = client.post(url, {"operation": operation})
    assert asked.status_code == 200 and question in asked.content.decode()
    assert f'href="{url}"' in asked.content.decode()  # "No, go back"
    assert Signup.objects.get(pk=signup.pk).status == status


def test_a_cancelled_signup_is_told_so_on_its_page(client, action):
    signup = ConfirmedSignupFactory(action=action)
    url = f"/es/signups/manage/{manage_token(signup)}/"
    response = client.post(url, {"operation": "cancel", "confirmed": "on"}, follow=True)
    html = response.content.decode()
    assert 'role="status">Su inscripción está cancelada.' in html and "Guardar idioma" not in html


def test_forms_sent_back_with_errors_do_not_count_toward_the_rate_limit(client, action, settings):
    settings.SIGNUP_RATE_MAX = "2/h"
    codes = [sign_up(client, action, email="not-an-address").status_code for _ in range(5)]
    assert codes == [400] * 5
    assert [sign_up(client, action, email=f"v{i}@example.org").status_code for i in range(3)] == [302, 302, 429]


@pytest.mark.parametrize("method", ["put", "delete", "patch", "options"])
def test_the_signup_page_takes_only_get_and_post(client, action, method):
    response = getattr(client, method)(f"/en/actions/{action.slug}/signup/")
    assert response.status_code == 405 and "csrftoken" not in response.cookies


def test_a_signup_for_an_action_that_closed_meanwhile_does_not_count_toward_the_rate_limit(client, settings):
    settings.SIGNUP_RATE_MAX = "1/h"
    cancelled = ActionFactory(status=Action.Status.CANCELLED)
    response = sign_up(client, cancelled)
    assert response.status_code == 409 and "Esta acción ha sido cancelada" in response.content.decode()
    assert sign_up(client, ActionFactory()).status_code == 302


@pytest.mark.parametrize(("lang", "text"), [("en", "How we protect your details"), ("es", "Cómo protegemos sus datos")])
def test_the_signup_form_links_to_the_privacy_page(client, lang, text):
    action = ActionFactory()
    html = client.get(f"/{lang}/actions/{action.slug}/signup/").content.decode()
    assert f'<a href="/{lang}/privacy/">{text}</a>' in html
    privacy = client.get(f"/{lang}/privacy/").content.decode()
    assert ("30 days after the action ends" if lang == "en" else "30 días después de que termina la acción") in privacy


def test_spanish_pages_show_spanish_content_and_dates(client, june30):
    text = read(client.get("/es/actions/june-30-2023-mexico-city/").content.decode())[1]
    assert "Jornada de acción del 30 de junio en Ciudad de México" in text
    assert "30 de junio de 2023, hora por anunciar" in text
    assert "Lugar por anunciar" in text


def test_drafts_are_never_public(client):
    city = CityFactory(slug="tijuana")
    campaign = CampaignFactory(slug="spring")
    draft = ActionFactory(status=Action.Status.DRAFT, city=city, campaign=campaign, title_en="Secret plan")
    assert client.get(f"/en/actions/{draft.slug}/").status_code == 404
    for path in ("/en/", "/en/actions/", "/en/actions/?when=all", "/en/cities/tijuana/", "/en/campaigns/spring/"):
        assert "Secret plan" not in client.get(path).content.decode(), path


def test_cancelled_actions_stay_visible_and_marked(client):
    action = ActionFactory(status=Action.Status.CANCELLED)
    with translation.override("es"):
        text = read(client.get(f"/es/actions/{action.slug}/").content.decode())[1]
    assert "Esta acción ha sido cancelada." in text


def test_online_meeting_link_is_never_on_a_public_page(client):
    action = ActionFactory(city=None, online_url="https://meet.example.org/secret-room")
    for path in (f"/en/actions/{action.slug}/", "/en/actions/", f"/en/campaigns/{action.campaign.slug}/", "/en/"):
        assert "secret-room" not in client.get(path).content.decode()


def test_action_time_is_shown_in_the_city_zone_with_its_abbreviation(client):
    city = CityFactory(time_zone="America/Mexico_City")
    action = ActionFactory(
        city=city,
        starts_at=local(2023, 6, 30, 18, 0, "America/Mexico_City"),
        ends_at=local(2023, 6, 30, 20, 0, "America/Mexico_City"),
    )
    assert action.starts_at.astimezone(datetime.UTC) == datetime.datetime(2023, 7, 1, 0, 0, tzinfo=datetime.UTC)
    es = read(client.get(f"/es/actions/{action.slug}/").content.decode())[1]
    en = read(client.get(f"/en/actions/{action.slug}/").content.decode())[1]
    assert "30 de junio de 2023, 18:00 CST – 20:00 CST" in es
    assert "June 30, 2023, 6:00 PM CST – 8:00 PM CST" in en


def test_us_action_time_shows_daylight_saving_abbreviation(client):
    city = CityFactory(country="US", time_zone="America/New_York")
    summer = ActionFactory(city=city, starts_at=local(2023, 6, 30, 18, 0, "America/New_York"))
    winter = ActionFactory(city=city, starts_at=local(2023, 12, 1, 18, 0, "America/New_York"))
    assert "June 30, 2023, 6:00 PM EDT" in client.get(f"/en/actions/{summer.slug}/").content.decode()
    assert "1 de diciembre de 2023, 18:00 EST" in client.get(f"/es/actions/{winter.slug}/").content.decode()


def test_an_action_in_the_repeated_hour_shows_its_zone(client):
    city = CityFactory(country="US", time_zone="America/New_York")
    action = ActionFactory(
        city=city,
        starts_at=datetime.datetime(2026, 11, 1, 5, 30, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2026, 11, 1, 6, 45, tzinfo=datetime.UTC),
    )
    text = read(client.get(f"/en/actions/{action.slug}/").content.decode())[1]
    assert "November 1, 2026, 1:30 AM EDT – 1:45 AM EST" in text


def test_action_list_empty_state_and_pagination(client):
    html = client.get("/en/actions/").content.decode()
    assert "No actions match these filters." in html
    ActionFactory.create_batch(25)
    first = client.get("/en/actions/").content.decode()
    second = client.get("/en/actions/?page=2").content.decode()
    assert "Page 1 of 2" in first and 'href="?page=2"' in first
    assert "Page 2 of 2" in second
    assert client.get("/en/actions/?page=999").status_code == 200


def test_campaign_page_groups_actions_by_country_and_city(client):
    campaign = CampaignFactory()
    tapachula = CityFactory(name_en="Tapachula", country="MX")
    new_york = CityFactory(name_en="New York", country="US", time_zone="America/New_York")
    ActionFactory(campaign=campaign, city=tapachula)
    ActionFactory(campaign=campaign, city=new_york)
    ActionFactory(campaign=campaign, city=None)
    text = read(client.get(f"/en/campaigns/{campaign.slug}/").content.decode())[1]
    assert text.index("Mexico") < text.index("Tapachula") < text.index("United States") < text.index("New York")
    assert "Online" in text


def city_headings(html):
    return re.findall(r"<h4><a [^>]*>([^<]+)</a></h4>", html)


@pytest.mark.parametrize(("lang", "expected"), [("es", SPANISH_ORDER), ("en", ENGLISH_ORDER)])
def test_campaign_page_groups_cities_in_the_order_of_the_names_shown(client, lang, expected):
    campaign = CampaignFactory()
    for city in cities_to_sort():
        ActionFactory(campaign=campaign, city=city)
    assert city_headings(client.get(f"/{lang}/campaigns/{campaign.slug}/").content.decode()) == expected


def test_campaign_page_keeps_two_cities_of_one_name_apart(client):
    campaign = CampaignFactory()
    chiapas = CityFactory(name_en="San José", name_es="San José", region_en="Chiapas", region_es="Chiapas")
    sonora = CityFactory(name_en="San José", name_es="San José", region_en="Sonora", region_es="Sonora")
    for day, city in enumerate([chiapas, sonora, chiapas, sonora]):
        ActionFactory(campaign=campaign, city=city, starts_at=local(2027, 5, day + 1, 18, 0, "America/Mexico_City"))
    headings = city_headings(client.get(f"/es/campaigns/{campaign.slug}/").content.decode())
    assert sorted(headings) == ["San José, Chiapas", "San José, Sonora"]


def test_a_large_campaign_page_shows_its_actions_a_page_at_a_time(client, django_assert_max_num_queries):
    campaign = CampaignFactory()
    city = CityFactory(name_en="Tapachula", country="MX")
    for n in range(55):
        ActionFactory(campaign=campaign, city=city, title_en=f"Vigil {n:02}")
    with django_assert_max_num_queries(12):
        first = client.get(f"/en/campaigns/{campaign.slug}/").content.decode()
    assert first.count('<article class="card') == 50 and "Page 1 of 2" in first
    assert 'href="?page=2#actions-heading"' in first
    second = client.get(f"/en/campaigns/{campaign.slug}/?page=2").content.decode()
    assert second.count('<article class="card') == 5 and "Tapachula" in second  # still under its city


def test_the_embed_page_may_be_framed_and_no_other_page_may(client):
    campaign = CampaignFactory(slug="june")
    ActionFactory(campaign=campaign, title_es="Vigilia en Tapachula")
    embed = client.get("/embed/es/campaigns/june/")
    assert embed.status_code == 200 and "X-Frame-Options" not in embed
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    html = embed.content.decode()
    assert '<html lang="es">' in html and "Vigilia en Tapachula" in html and '<base target="_blank">' in html
    page = client.get("/es/campaigns/june/")
    assert page["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_the_embed_page_shows_what_took_place_once_the_day_is_over(client):
    load_day_of_action()
    html = client.get("/embed/es/campaigns/june-30-2023/").content.decode()
    assert "No hay acciones próximas en esta campaña." in html and "Acciones pasadas" in html
    assert html.count('href="/es/actions/june-30-2023-') == 8


@pytest.mark.parametrize("path", ["/embed/fr/campaigns/june/", "/embed/es/campaigns/nope/"])
def test_an_unknown_embed_is_a_404(client, path):
    CampaignFactory(slug="june")
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(("lang", "heading"), [("en", "Page not found"), ("es", "Página no encontrada")])
def test_an_unknown_embed_answers_in_the_urls_language(client, lang, heading):
    other = "es" if lang == "en" else "en"
    response = client.get(f"/embed/{lang}/campaigns/nope/", headers={"accept-language": other})
    assert response.status_code == 404 and heading in response.content.decode()


def test_a_large_campaign_embeds_its_first_fifty_actions_and_links_to_the_rest(client):
    campaign = CampaignFactory(slug="national")
    for _ in range(55):
        ActionFactory(campaign=campaign)
    html = client.get("/embed/en/campaigns/national/").content.decode()
    assert html.count('<article class="card') == 50 and 'href="/en/campaigns/national/"' in html
