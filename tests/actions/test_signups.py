import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from actions import services
from actions.models import Action, Signup
from actions.tokens import confirm_token, manage_token
from tests.factories import ActionFactory, ConfirmedSignupFactory, SignupFactory
from tests.pages import read

pytestmark = pytest.mark.django_db


def form(**changes):
    data = {"name": "Ana López", "email": "ana@example.org", "phone": "", "language": "es", "consent": "on"}
    return {**data, **changes}


def sign_up(client, action, lang="es", **changes):
    return client.post(f"/{lang}/actions/{action.slug}/signup/", form(**changes))


def link(message, name):
    """The path of the confirm or manage link in an email's text."""
    return re.search(rf"https?://[^/\s]+(/\w\w/signups/{name}/\S+/)", message.body).group(1)


@pytest.fixture
def action():
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
    # Once confirmed: the manage link.
    services.signup_confirm(signup=Signup.objects.get())
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, action)
    # At most one confirmation per ten minutes: the same address again at once brings none.
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Confirme su lugar", "Su inscripción"]
    assert link(mail.outbox[1], "manage")


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
        assert sign_up(client, action, name=name, email=f"v{i}@example.org").status_code == 302, name
    assert set(Signup.objects.values_list("name", flat=True)) == set(names)


@pytest.mark.parametrize(
    ("phone", "stored"), [("55 1234 5678", "+525512345678"), ("+1 (212) 555-0123", "+12125550123")]
)
def test_phone_numbers_are_validated_and_stored_in_international_format(client, action, phone, stored):
    assert sign_up(client, action, phone=phone).status_code == 302
    assert Signup.objects.get().phone == stored


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


def test_waitlist_promote_fills_free_seats_and_lowering_capacity_bumps_nobody(action):
    signups = [services.signup_confirm(signup=SignupFactory(action=action)) for _ in range(4)]
    assert [s.status for s in signups] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    services.waitlist_promote(action=Action.objects.filter(pk=action.pk).first())  # nothing free: no change
    Action.objects.filter(pk=action.pk).update(capacity=3)
    services.waitlist_promote(action=action)
    assert list(Signup.objects.order_by("pk").values_list("status", flat=True)) == [
        "confirmed",
        "confirmed",
        "confirmed",
        "waitlisted",
    ]
    Action.objects.filter(pk=action.pk).update(capacity=1)
    services.waitlist_promote(action=action)
    assert Signup.objects.filter(status="confirmed").count() == 3


def test_saving_a_raised_capacity_promotes_the_waitlist_and_a_lowered_one_bumps_nobody(action):
    signups = [services.signup_confirm(signup=SignupFactory(action=action)) for _ in range(4)]
    action.capacity = 3
    services.action_save(action=action)
    assert [s.status for s in Signup.objects.order_by("pk")] == ["confirmed", "confirmed", "confirmed", "waitlisted"]
    action.capacity = 1
    services.action_save(action=action)
    assert Signup.objects.filter(status="confirmed").count() == 3
    action.capacity = None
    services.action_save(action=action)
    assert Signup.objects.get(pk=signups[-1].pk).status == "confirmed"


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


def test_pending_signups_expire_after_48_hours():
    old = SignupFactory()
    Signup.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=49))
    fresh = SignupFactory()
    confirmed = services.signup_confirm(signup=SignupFactory())
    Signup.objects.filter(pk=confirmed.pk).update(created_at=timezone.now() - datetime.timedelta(days=5))
    assert services.signups_expire() == 1
    assert set(Signup.objects.values_list("pk", flat=True)) == {fresh.pk, confirmed.pk}


@pytest.mark.parametrize(("lang", "heading"), [("en", "Too many attempts"), ("es", "Demasiados intentos")])
def test_signups_are_rate_limited_per_address(client, action, settings, lang, heading):
    settings.SIGNUP_RATE = "3/h"
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


def test_personal_data_is_erased_after_the_retention_period_and_counts_survive(settings):
    settings.SIGNUP_RETENTION_DAYS = 30
    old_action = ActionFactory(
        starts_at=timezone.now() - datetime.timedelta(days=32), ends_at=timezone.now() - datetime.timedelta(days=31)
    )
    recent_action = ActionFactory(
        starts_at=timezone.now() - datetime.timedelta(days=3), ends_at=timezone.now() - datetime.timedelta(days=2)
    )
    old = [SignupFactory(action=old_action, phone="+525512345678", status=s) for s in ("confirmed", "confirmed")]
    recent = SignupFactory(action=recent_action)
    assert services.signups_anonymize() == 2
    assert services.signups_anonymize() == 0  # safe to run twice
    for signup in old:
        signup.refresh_from_db()
        assert (signup.name, signup.email, signup.phone, signup.status) == ("", "", "", "confirmed")
    recent.refresh_from_db()
    assert recent.email and recent.anonymized_at is None


def test_the_consent_text_says_what_why_who_and_when(client, action):
    html = client.get(f"/es/actions/{action.slug}/signup/").content.decode()
    assert "guarde mi nombre, correo y teléfono" in html and "30 días después de que termine la acción" in html


def test_an_expired_pending_signup_does_not_lock_the_address_out(client, action):
    stale = SignupFactory(action=action, email="ana@example.org")
    Signup.objects.filter(pk=stale.pk).update(created_at=timezone.now() - datetime.timedelta(hours=49))
    assert sign_up(client, action).status_code == 302
    [signup] = Signup.objects.all()
    assert signup.pk != stale.pk and signup.status == "pending"


@pytest.mark.parametrize("change", ["cancelled", "started"])
def test_nobody_is_promoted_into_a_cancelled_or_started_action(action, change):
    confirmed = services.signup_confirm(signup=SignupFactory(action=action))
    services.signup_confirm(signup=SignupFactory(action=action))
    waiting = services.signup_confirm(signup=SignupFactory(action=action))
    if change == "cancelled":
        Action.objects.filter(pk=action.pk).update(status=Action.Status.CANCELLED)
    else:
        Action.objects.filter(pk=action.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=5))
    services.signup_cancel(signup=confirmed)
    assert Signup.objects.get(pk=waiting.pk).status == "waitlisted"


def test_erase_removes_every_signup_of_that_address_at_the_action(client, action):
    earlier = SignupFactory(action=action, email="gina@example.org", phone="+529621234567")
    services.signup_cancel(signup=earlier)
    current = SignupFactory(action=action, email="Gina@example.org")
    other = SignupFactory(action=action, email="someone@example.org")
    client.post(f"/es/signups/manage/{manage_token(current)}/", {"operation": "erase", "confirmed": "on"})
    assert list(Signup.objects.values_list("pk", flat=True)) == [other.pk]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("ana@exämple.com", "ana@xn--exmple-cua.com"),
        ("ana@example.com", "ANA@ｅｘａｍｐｌｅ.ｃｏｍ"),
        ("ana@example.com", "ana@EXAMPLE.com"),
    ],
)
def test_one_mailbox_written_differently_is_one_signup(client, action, first, second):
    sign_up(client, action, email=first)
    sign_up(client, action, email=second)
    assert Signup.objects.count() == 1


def test_idn_domains_are_stored_in_their_ascii_form(client, action):
    sign_up(client, action, email="ana@exämple.com")
    assert Signup.objects.get().email == "ana@xn--exmple-cua.com"


@pytest.mark.parametrize("email", ["a@\u202eexample.org", "a@example.org\u180e", "a\u200b@example.org"])
def test_invisible_characters_in_an_email_are_refused(client, action, email):
    assert sign_up(client, action, email=email).status_code == 400
    assert not Signup.objects.exists()


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


def test_the_phone_field_opens_a_phone_keypad(client, action):
    html = client.get(f"/es/actions/{action.slug}/signup/").content.decode()
    tag = re.search(r'<input[^>]*name="phone"[^>]*>', html).group(0)
    assert tag.count("type=") == 1 and 'type="tel"' in tag


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
    settings.SIGNUP_RATE = "0/h"
    pages.append(sign_up(client, action, lang=lang))
    for response in pages:
        page_lang, text = read(response.content.decode())
        assert page_lang == lang
        if lang == "es":
            assert english_ui_on(text) == [], response.request["PATH_INFO"]


@pytest.mark.parametrize("kind", ["confirm", "existing", "promoted", "cancelled"])
def test_every_spanish_email_is_all_spanish(action, kind):
    from actions.emails import signup_email
    from tests.pages import english_ui_on

    signup = SignupFactory(action=action, language="es", status="confirmed" if kind == "promoted" else "pending")
    message = signup_email(signup, kind)
    html = message.alternatives[0][0]
    assert english_ui_on(message.subject + " " + message.body) == []
    assert read(html)[0] == "es" and english_ui_on(read(html)[1]) == []


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
    settings.SIGNUP_RATE = "2/h"
    codes = [sign_up(client, action, email="not-an-address").status_code for _ in range(5)]
    assert codes == [400] * 5
    assert [sign_up(client, action, email=f"v{i}@example.org").status_code for i in range(3)] == [302, 302, 429]


def test_the_page_opens_on_the_first_field_to_correct(client, action):
    html = sign_up(client, action, lang="es", email="ana@").content.decode()
    assert "<title>Error: " in html
    email_input = html.split('id="id_email"')[0].rsplit("<input", 1)[1] + html.split('id="id_email"')[1].split(">")[0]
    assert "autofocus" in email_input
    assert html.count("autofocus") == 1
    assert '<a href="#id_email">' in html


@pytest.mark.parametrize("method", ["put", "delete", "patch", "options"])
def test_the_signup_page_takes_only_get_and_post(client, action, method):
    response = getattr(client, method)(f"/en/actions/{action.slug}/signup/")
    assert response.status_code == 405 and "csrftoken" not in response.cookies


def test_a_signup_for_an_action_that_closed_meanwhile_does_not_count_toward_the_rate_limit(client, settings):
    settings.SIGNUP_RATE = "1/h"
    cancelled = ActionFactory(status=Action.Status.CANCELLED)
    response = sign_up(client, cancelled)
    assert response.status_code == 409 and "Esta acción ha sido cancelada" in response.content.decode()
    assert sign_up(client, ActionFactory()).status_code == 302
