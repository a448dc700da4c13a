"""The host's journey of issue 17, in Spanish at a phone's width, by keyboard: a proposal from the
home page, its confirmation email, the coordinator's approval in the admin, the host page with a
volunteer who signed up in English, a message in Spanish only that reaches them in English, check-in,
and the report that the action's page then shows. A passing run keeps the proposal form, the host
page and the action page with its report in var/artifacts/browser/ for review."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.utils import timezone
from PIL import Image

from actions.models import Action, Signup
from hosting.models import ActionReport, Proposal
from tests.factories import CampaignFactory, place
from tests.pages import english_ui_on, read

from .audit import problems
from .conftest import DESKTOP, save_screenshot
from .keyboard import activate, tab_to, type_into
from .test_journeys import confirm_from_email

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def last_mail_to(address: str):
    """The last email sent to `address` (AssertionError if none)."""
    sent = [message for message in mail.outbox if address in message.to]
    assert sent, f"no email to {address}"
    return sent[-1]


def link_in(message, pattern: str) -> str:
    """The first link in `message`'s text whose path matches `pattern`."""
    found = re.search(rf"https?://\S+{pattern}\S*", message.body)
    assert found, f"no link like {pattern} in:\n{message.body}"
    return found.group(0)


def type_segments(page, locator, attempts: list[str], value: str):
    """Tab to a date or time field and type its segments as digits (and "P" for p.m.). Their order
    follows Chromium's own locale, not the page's language (en-US: month, day, year; a 12-hour clock),
    so each of `attempts` is tried until the field holds `value` (as the form sends it)."""
    tab_to(page, locator)
    for typed in attempts:
        page.keyboard.type(typed)
        if locator.input_value() == value:
            return
        # Back on the first segment, empty: out of the field backwards, then in again.
        locator.fill("")
        while locator.evaluate("el => document.activeElement === el"):
            page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
    raise AssertionError(f"{locator} holds {locator.input_value()!r}, not {value!r}")


def type_date(page, locator, day: datetime.date):
    type_segments(page, locator, [day.strftime(order) for order in ("%d%m%Y", "%m%d%Y", "%Y%m%d")], day.isoformat())


def type_time(page, locator, hour: int, minute: int):
    twelve = f"{(hour - 1) % 12 + 1:02d}{minute:02d}{'P' if hour >= 12 else 'A'}"
    type_segments(page, locator, [f"{hour:02d}{minute:02d}", twelve], f"{hour:02d}:{minute:02d}")


def no_sideways_scroll(page) -> bool:
    return page.evaluate(NO_SIDEWAYS_SCROLL)


def checked(page) -> list[str]:
    """What is wrong with a page of the host's, in Spanish: the audit's problems (axe, sideways
    scrolling, small targets, scripts) and our English UI strings left on it."""
    # A radio button's or a checkbox's value is sent, never shown ("confirmed": a message's audience).
    html = re.sub(r'(<input[^>]*type="(?:radio|checkbox)"[^>]*?) value="[^"]*"', r"\1", page.content())
    lang, text = read(html)
    assert lang == "es"
    return problems(page) + [f"in English: {string}" for string in english_ui_on(text)]


def small_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_host_proposes_in_spanish_runs_the_action_from_their_link_and_reports(
    open_page, transactional_db, django_user_model
):
    today = timezone.localdate()
    campaign = CampaignFactory(
        title_en="Days of peace",
        title_es="Jornadas por la paz",
        start_date=today + datetime.timedelta(days=21),
        end_date=today + datetime.timedelta(days=28),
        proposals_open_on=today,
    )
    place("Tapachula", "Chiapas", 14.90541, -92.25891, population=353706, time_zone="America/Mexico_City")
    place("Tapachula Centro", "Chiapas", 14.9087, -92.2613, postal_code="30700")
    day = campaign.start_date + datetime.timedelta(days=1)

    # The host proposes an action, from the home page, by keyboard.
    host = open_page("es")
    host.goto("/es/")
    activate(host, host.locator("main").get_by_role("link", name="Proponga una acción", exact=True))
    host.wait_for_url("**/es/host/")
    assert checked(host) == []
    assert no_sideways_scroll(host)
    tab_to(host, host.locator("#id_kind"))
    host.keyboard.type("Vigilia")  # a select takes the option its first letters name
    assert host.locator("#id_kind").input_value() == Action.Kind.VIGIL
    type_into(host, host.get_by_label("Título (español)"), "Vigilia por la paz en Tapachula")
    type_into(host, host.get_by_label("Descripción (español)"), "Con velas, frente al ayuntamiento.")
    type_into(host, host.locator("#id_place"), "30700")  # a código postal
    type_into(host, host.locator("#id_venue"), "Parque Central Miguel Hidalgo")
    type_date(host, host.locator("#id_start_date"), day)
    type_time(host, host.locator("#id_start_time"), 18, 0)
    type_time(host, host.locator("#id_end_time"), 20, 0)
    type_into(host, host.get_by_label("Su nombre"), "Marisol Hernández")
    type_into(host, host.locator("#id_email"), "marisol@example.org")
    tab_to(host, host.locator("#id_consent"))
    host.keyboard.press("Space")
    save_screenshot(host, "host-journey-1-proposal-form")
    activate(host, host.get_by_role("button", name="Enviar mi propuesta"))
    host.wait_for_url("**/es/host/sent/")
    assert host.get_by_role("heading", name="Revise su correo").is_visible()
    assert checked(host) == []
    proposal = Proposal.objects.get()
    assert proposal.status == Proposal.Status.UNCONFIRMED
    assert (proposal.language, proposal.title_es, proposal.city.name_en) == (
        "es",
        "Vigilia por la paz en Tapachula",
        "Tapachula",
    )
    assert proposal.starts_at.astimezone(proposal.zone).replace(tzinfo=None) == datetime.datetime.combine(
        day, datetime.time(18, 0)
    )

    # The link in the email confirms the address: the proposal goes to review.
    host.goto(link_in(last_mail_to("marisol@example.org"), "/es/host/confirm/"))
    activate(host, host.get_by_role("button", name="Confirmar mi propuesta"))
    assert host.get_by_role("status").is_visible()
    assert checked(host) == []
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED

    # A coordinator finds it in the admin, gives it its English title and approves it.
    django_user_model.objects.create_superuser("coordinator", "coordinator@example.org", "a long enough password")
    admin = open_page("en", DESKTOP)
    admin.goto("/admin/")
    type_into(admin, admin.locator("#id_username"), "coordinator", check_focus=False)
    type_into(admin, admin.locator("#id_password"), "a long enough password", check_focus=False)
    with admin.expect_navigation():
        admin.keyboard.press("Enter")
    admin.wait_for_url("**/admin/")
    queue = admin.get_by_role("link", name="Proposals awaiting review: 1")
    with admin.expect_navigation():
        queue.click()
    assert admin.get_by_role("heading", name="Proposals awaiting review").is_visible()
    with admin.expect_navigation():
        admin.get_by_role("link", name="Vigilia por la paz en Tapachula").click()
    assert admin.locator(".proposal-as-written").get_by_text("Vigilia por la paz en Tapachula").is_visible()
    admin.locator("#id_title_en").fill("Vigil for peace in Tapachula")
    admin.get_by_label("Approve and publish").check()
    with admin.expect_navigation():
        admin.locator("input[name=_save]").click()
    assert admin.get_by_text("is published; its host was emailed their host link").is_visible()
    action = Action.objects.get(proposal=proposal)
    assert action.status == Action.Status.PUBLISHED
    assert (action.title_en, action.title_es) == ("Vigil for peace in Tapachula", "Vigilia por la paz en Tapachula")

    # The approval email, in Spanish, carries the host's link.
    approval = last_mail_to("marisol@example.org")
    assert approval.subject == "Su acción fue aprobada: Vigilia por la paz en Tapachula"
    assert approval.body.startswith("Hola, Marisol Hernández:") and english_ui_on(approval.body) == []
    host_url = link_in(approval, "/es/host/manage/")

    # A volunteer signs up in English, sharing their contact with the host, and confirms.
    volunteer = open_page("en")
    volunteer.goto(f"/en/actions/{action.slug}/")
    assert volunteer.get_by_role("heading", level=1).inner_text() == "Vigil for peace in Tapachula"
    activate(volunteer, volunteer.get_by_role("link", name="Sign up for this action"))
    volunteer.wait_for_url("**/signup/")
    type_into(volunteer, volunteer.get_by_label("Your name"), "Rosa Martínez")
    type_into(volunteer, volunteer.locator("#id_email"), "rosa@example.org")
    tab_to(volunteer, volunteer.locator("#id_consent"))
    volunteer.keyboard.press("Space")
    tab_to(volunteer, volunteer.locator("#id_share_with_host"))
    volunteer.keyboard.press("Space")
    activate(volunteer, volunteer.get_by_role("button", name="Sign up"))
    confirm_from_email(volunteer, "en", "rosa@example.org")
    signup = Signup.objects.get(email="rosa@example.org")
    assert (signup.status, signup.language, signup.share_with_host) == (Signup.Status.CONFIRMED, "en", True)

    # The host page shows her first name and her contact.
    host.goto(host_url)
    assert host.get_by_role("heading", level=1).inner_text() == "Su página de anfitrión/a"
    check_in = host.locator("#checkin")
    assert "Rosa" in check_in.inner_text() and "el día de la acción" in check_in.inner_text()  # not yet
    assert check_in.get_by_role("link", name="rosa@example.org").get_attribute("href") == "mailto:rosa@example.org"
    assert "Martínez" not in host.locator("main").inner_text()  # her first name only
    assert checked(host) == []
    assert no_sideways_scroll(host)

    # The host writes to the volunteers, in Spanish only; she gets it in English, with the note.
    activate(host, host.get_by_role("link", name="Escribir a las personas voluntarias"))
    host.wait_for_url("**/message/")
    confirmed = host.get_by_role("radio", name="Voluntarios confirmados (1)")
    tab_to(host, confirmed)
    host.keyboard.press("Space")
    assert confirmed.is_checked()
    type_into(host, host.get_by_label("Asunto en español"), "Nos vemos el sábado")
    type_into(host, host.get_by_label("Mensaje en español"), "Traigan una vela y agua, por favor.")
    assert checked(host) == []
    activate(host, host.get_by_role("button", name="Enviar el mensaje"))
    assert host.get_by_role("status").inner_text() == "Su mensaje va en camino a las personas voluntarias."
    message = last_mail_to("rosa@example.org")
    assert message.subject == "Nos vemos el sábado · Vigil for peace in Tapachula"
    assert "Traigan una vela y agua, por favor." in message.body
    assert "(The host wrote this message in another language only.)" in message.body
    assert message.body.startswith("Hello Rosa Martínez,")
    assert (message.to, message.reply_to) == (["rosa@example.org"], ["marisol@example.org"])  # replies: to her alone

    # On the day (the action under way), the host taps her name: she is checked in.
    started = timezone.now() - datetime.timedelta(minutes=30)
    Action.objects.filter(pk=action.pk).update(starts_at=started, ends_at=started + datetime.timedelta(hours=2))
    host.goto(host_url)
    activate(host, check_in.get_by_role("button", name=re.compile("^Rosa ")))
    host.wait_for_url("**/host/manage/**")
    assert check_in.get_by_role("button", name=re.compile("^Rosa ")).inner_text().endswith("Llegó ✓ (deshacer)")
    signup.refresh_from_db()
    assert signup.attended_at is not None
    assert checked(host) == []
    save_screenshot(host, "host-journey-2-host-page")

    # The action is over: the host reports from the host page.
    ended = timezone.now() - datetime.timedelta(hours=20)
    Action.objects.filter(pk=action.pk).update(starts_at=ended - datetime.timedelta(hours=2), ends_at=ended)
    host.reload()
    activate(host, host.get_by_role("link", name="Informe sobre la acción").first)
    host.wait_for_url("**/report/")
    assert host.get_by_role("heading", level=1).inner_text() == "¿Cómo le fue?"
    assert checked(host) == []
    type_into(host, host.get_by_label("¿Cuántas personas asistieron?"), "35")
    type_into(host, host.get_by_label("Notas (opcional)"), "Llovió, pero vinieron muchas familias.")
    host.get_by_label("Fotos (opcional)").set_input_files(
        files=[{"name": "vigilia.png", "mimeType": "image/png", "buffer": small_png()}]
    )
    activate(host, host.get_by_role("button", name="Guardar el informe"))
    host.wait_for_url("**/report/?done=saved")
    assert host.get_by_role("status").is_visible()
    report = ActionReport.objects.get(action=action)
    assert (report.turnout, report.photos.count()) == (35, 1)

    # The action's public page shows the report.
    activate(host, host.locator("main").get_by_role("link", name="Vigilia por la paz en Tapachula"))
    host.wait_for_url(f"**/es/actions/{action.slug}/")
    shown = host.locator("section.report")
    assert shown.get_by_role("heading", name="Informe de quienes la organizaron").is_visible()
    assert "Asistieron unas 35 personas." in shown.inner_text()
    assert "Llovió, pero vinieron muchas familias." in shown.inner_text()
    assert shown.locator("img").count() == 1
    assert checked(host) == []
    save_screenshot(host, "host-journey-3-action-page-with-report")
