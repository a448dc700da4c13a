"""The five journeys of issue 7, each in English and in Spanish, at phone width, by keyboard alone.
A passing run keeps the last screen of each in var/artifacts/browser/ for review."""

import re

import pytest
from django.core import mail

from actions.models import Action, Signup
from tests.factories import ActionFactory, CityFactory, ConfirmedSignupFactory, place

from .audit import problems
from .conftest import save_screenshot
from .keyboard import activate, tab_to, type_into

pytestmark = pytest.mark.browser

TEXT = {
    "en": {
        "search": "Find actions",
        "sign_up_link": "Sign up for this action",
        "sign_up": "Sign up",
        "sent": "Check your email",
        "confirm": "Confirm my place",
        "confirmed": "Your place is confirmed. Thank you!",
        "manage": "See, change or cancel your signup",
        "cancel": "Cancel my signup",
        "yes_cancel": "Yes, cancel my signup",
        "cancelled": "Your signup is cancelled.",
        "error_title": "Error:",
        "waitlist": "You are number 1 on the waitlist",
        "bad_email": "Enter a valid email address.",
        "other": ("es", "Español"),
    },
    "es": {
        "search": "Buscar acciones",
        "sign_up_link": "Inscribirme en esta acción",
        "sign_up": "Inscribirme",
        "sent": "Revise su correo",
        "confirm": "Confirmar mi lugar",
        "confirmed": "Su lugar está confirmado. ¡Gracias!",
        "manage": "Ver, cambiar o cancelar su inscripción",
        "cancel": "Cancelar mi inscripción",
        "yes_cancel": "Sí, cancelar mi inscripción",
        "cancelled": "Su inscripción está cancelada.",
        "error_title": "Error:",
        "waitlist": "Usted es el número 1 de la lista de espera",
        "bad_email": "Introduzca una dirección de correo electrónico válida.",
        "other": ("en", "English"),
    },
}
LANGUAGES = pytest.mark.parametrize("lang", ["en", "es"])


def link_to(page, path):
    return page.locator(f'main a[href="{path}"]').first


def open_signup_form(page, lang):
    """Follow the action page's link to its signup form, by keyboard."""
    activate(page, page.get_by_role("link", name=TEXT[lang]["sign_up_link"]))
    page.wait_for_url("**/signup/")


def sign_up(page, lang, *, name="Ana López", email="ana@example.org", from_action_page=True):
    """Fill in the signup form and send it, by keyboard; first open it from the action page open in
    `page`, unless the form is already open."""
    if from_action_page:
        open_signup_form(page, lang)
    type_into(page, page.get_by_label(re.compile("Your name|Su nombre")), name)
    type_into(page, page.locator("#id_email"), email)
    tab_to(page, page.locator("#id_consent"))
    page.keyboard.press("Space")
    activate(page, page.get_by_role("button", name=TEXT[lang]["sign_up"]))


def confirm_from_email(page, lang, address):
    """Open the confirmation link of the last email to `address` and confirm, by keyboard."""
    (message,) = [m for m in mail.outbox if address in m.to]
    url = re.search(r"https?://\S+/signups/confirm/\S+/", message.body).group(0)
    page.goto(url)
    activate(page, page.get_by_role("button", name=TEXT[lang]["confirm"]))


@LANGUAGES
def test_1_a_visitor_lands_in_their_language_and_switches_on_an_action_page(open_page, june30_ahead, lang):
    page = open_page(lang)
    page.goto("/")
    assert page.url.endswith(f"/{lang}/")
    assert page.locator("html").get_attribute("lang") == lang
    activate(page, page.locator("header nav a").filter(has_text=re.compile("^(Actions|Acciones)$")))
    page.wait_for_url(f"**/{lang}/actions/")
    activate(page, link_to(page, f"/{lang}/actions/june-30-2023-tapachula/"))
    page.wait_for_url(f"**/{lang}/actions/june-30-2023-tapachula/")
    other, name = TEXT[lang]["other"]
    switch = page.locator(".language-switch a", has_text=name)
    assert switch.get_attribute("lang") == other
    activate(page, switch)
    page.wait_for_url(f"**/{other}/actions/june-30-2023-tapachula/")
    assert page.locator("html").get_attribute("lang") == other
    save_screenshot(page, f"journey1-{lang}")


@LANGUAGES
def test_2_a_volunteer_finds_a_june_30_action_signs_up_confirms_and_cancels(open_page, june30_ahead, lang):
    page = open_page(lang)
    place("Tapachula", "Chiapas", 14.90541, -92.25891, population=353706)
    page.goto(f"/{lang}/actions/")
    type_into(page, page.locator("#id_near"), "tapachula")
    activate(page, page.get_by_role("button", name=TEXT[lang]["search"]))
    page.wait_for_url("**near=tapachula**")
    first = page.locator("ul.cards > li").first
    assert "Tapachula" in first.inner_text() and re.search(r"0\.\d km", first.inner_text())
    assert problems(page) == []
    activate(page, link_to(page, f"/{lang}/actions/june-30-2023-tapachula/"))
    page.wait_for_url("**/june-30-2023-tapachula/")
    sign_up(page, lang)
    assert page.get_by_role("heading", name=TEXT[lang]["sent"]).is_visible()
    confirm_from_email(page, lang, "ana@example.org")
    assert page.get_by_text(TEXT[lang]["confirmed"]).is_visible()
    activate(page, page.get_by_role("link", name=TEXT[lang]["manage"]))
    page.wait_for_url("**/signups/manage/**")
    activate(page, page.get_by_role("button", name=TEXT[lang]["cancel"]))
    assert Signup.objects.get(email="ana@example.org").status == Signup.Status.CONFIRMED  # it asks first
    activate(page, page.get_by_role("button", name=TEXT[lang]["yes_cancel"]))
    assert page.get_by_role("status").inner_text() == TEXT[lang]["cancelled"]
    assert Signup.objects.get(email="ana@example.org").status == Signup.Status.CANCELLED
    assert problems(page) == []
    save_screenshot(page, f"journey2-{lang}")


@LANGUAGES
def test_3_a_volunteer_signs_up_for_a_full_action_and_sees_their_waitlist_place(open_page, june30_ahead, lang):
    action = Action.objects.get(slug="june-30-2023-new-york")
    Action.objects.filter(pk=action.pk).update(capacity=1)
    ConfirmedSignupFactory(action=action)
    page = open_page(lang)
    page.goto(f"/{lang}/actions/june-30-2023-new-york/")
    sign_up(page, lang, email="rosa@example.org")
    confirm_from_email(page, lang, "rosa@example.org")
    assert page.get_by_text(TEXT[lang]["waitlist"]).is_visible()
    assert problems(page) == []
    save_screenshot(page, f"journey3-{lang}")


@LANGUAGES
def test_4_an_organizer_edits_the_spanish_title_in_the_admin_and_sees_it(
    open_page, june30_ahead, lang, django_user_model
):
    django_user_model.objects.create_superuser("organizer", "organizer@example.org", "a long enough password")
    action = Action.objects.get(slug="june-30-2023-puebla")
    page = open_page(lang)
    page.goto("/admin/")
    type_into(page, page.locator("#id_username"), "organizer", check_focus=False)
    type_into(page, page.locator("#id_password"), "a long enough password", check_focus=False)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url("**/admin/")
    page.goto(f"/admin/actions/action/{action.pk}/change/")
    # The translation tabs follow the ARIA tabs pattern: Tab reaches the active one, arrows switch.
    tab_to(page, page.locator('[role="tab"][aria-controls^="tab_id_title_"][tabindex="0"]'), check_focus=False)
    if page.locator('[aria-controls="tab_id_title_es"]').get_attribute("aria-selected") != "true":
        page.keyboard.press("ArrowRight")
    page.locator("#id_title_es").wait_for(state="visible")
    type_into(page, page.locator("#id_title_es"), "Marcha por la paz en Puebla", check_focus=False)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url("**/admin/actions/action/")
    page.goto("/es/actions/june-30-2023-puebla/")
    assert page.get_by_role("heading", level=1).inner_text() == "Marcha por la paz en Puebla"
    action.refresh_from_db()
    assert action.title_en == "June 30 day of action in Puebla"  # the English tab was left alone
    save_screenshot(page, f"journey4-{lang}")


@LANGUAGES
def test_5_a_bad_email_is_explained_next_to_the_field_and_announced(open_page, lang, transactional_db):
    ActionFactory(slug="vigil", city=CityFactory(name_en="Tapachula", name_es="Tapachula", country="MX"))
    page = open_page(lang)
    page.goto(f"/{lang}/actions/vigil/")
    open_signup_form(page, lang)
    type_into(page, page.locator("#id_phone"), "55 1234 5678")
    tab_to(page, page.locator("#id_language"))
    page.keyboard.press("ArrowUp" if lang == "es" else "ArrowDown")  # the other language
    sign_up(page, lang, email="ana@", from_action_page=False)
    email = page.locator("#id_email")
    assert email.get_attribute("aria-invalid") == "true"
    described = email.get_attribute("aria-describedby").split()
    errors = [page.locator(f"#{id}").inner_text() for id in described]
    assert TEXT[lang]["bad_email"] in " ".join(errors)
    # Announced: the page opens on the field to correct (read with its error), its title says so,
    # and the summary at the top links to it.
    assert page.evaluate("document.activeElement.id") == "id_email"
    assert page.title().startswith(TEXT[lang]["error_title"])
    assert page.locator('.error-summary a[href="#id_email"]').inner_text().endswith(TEXT[lang]["bad_email"])
    assert page.locator("#id_name").input_value() == "Ana López"
    assert email.input_value() == "ana@"
    assert page.locator("#id_phone").input_value() == "55 1234 5678"
    assert page.locator("#id_language").input_value() == ("en" if lang == "es" else "es")
    assert page.locator("#id_consent").is_checked()
    assert problems(page) == []
    save_screenshot(page, f"journey5-{lang}")
