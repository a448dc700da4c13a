"""Every public page type, in both languages, at a phone's width, a desktop's, 200% zoom and 320 px:
no axe-core violation of WCAG 2.2 A and AA, no horizontal scrolling, targets at least 24 × 24 px, no
script. Also: a skip link to the main content, and the signup works without JavaScript."""

import datetime

import pytest
from django.utils import timezone

from actions.models import Action, Campaign, Signup
from actions.tokens import confirm_token, manage_token
from hosting.models import ActionReport, Host, Proposal
from hosting.tokens import host_token, proposal_confirm_token, proposal_edit_token
from movement.public_pages import SIGNUP_PAGES
from tests.factories import ActionFactory, ConfirmedSignupFactory, place
from tests.pages import public_paths

from .audit import OVERFLOW, SMALL_TARGETS, problems, violations
from .conftest import DESKTOP, PHONE
from .keyboard import FOCUS_VISIBLE

pytestmark = pytest.mark.browser

ZOOM_200 = {"width": 640, "height": 450}  # a 1280 x 900 window at 200%
REFLOW = {"width": 320, "height": 640}  # WCAG 1.4.10


@pytest.fixture
def pages(june30_ahead):
    """One URL of every public page type (with {lang} for the language), from the June 30 data."""
    action = Action.objects.get(slug="june-30-2023-tapachula")
    pending = Signup.objects.create(action=action, name="Ana", email="ana@example.org", language="es")
    confirmed = Signup.objects.create(
        action=action, name="Luis", email="luis@example.org", language="es", status=Signup.Status.CONFIRMED,
        share_with_host=True,
    )  # fmt: skip
    place("Tapachula", "Chiapas", 14.90541, -92.25891, population=353706)
    place("Mérida", "Yucatán", 20.97, -89.62, population=900000)
    place("San Pedro", "Chiapas", 16.1, -92.1, population=2000)
    place("San Pedro", "Oaxaca", 16.9, -96.5, population=1900)
    hosting = hosting_pages(action)
    return [
        *public_paths(),
        "/{lang}/actions/?when=past&country=XX",  # a filter error
        "/{lang}/actions/?near=Tapachula",  # a search by place, its online actions after
        "/{lang}/actions/?near=M%C3%A9rida&radius=25",  # none within the radius: the nearest
        "/{lang}/actions/?near=San+Pedro",  # a choice of places
        "/{lang}/actions/?near=zzzz",  # an unknown place
        *SIGNUP_PAGES,
        f"/{{lang}}/signups/confirm/{confirm_token(pending)}/",
        f"/{{lang}}/signups/manage/{manage_token(confirmed)}/",
        "/{lang}/signups/manage/not-a-token/",
        *hosting,
        "/{lang}/no-such-page/",
    ]


def hosting_pages(action) -> list[str]:
    """The pages of hosting from below (issue 17), with {lang}: the proposal form (`action`'s campaign
    opened to proposals) and its links, the host pages of `action` (ahead: the report is not open yet),
    and those of an action held yesterday, with its report form, its report on its page and a
    volunteer's "Did you make it?"."""
    today = timezone.localdate()
    Campaign.objects.filter(pk=action.campaign_id).update(
        proposals_open_on=today, proposals_close_on=today + datetime.timedelta(days=30)
    )
    proposal = {
        "campaign": action.campaign, "language": "es", "title_es": "Vigilia por la paz", "description_es": "Con velas.",
        "city": action.city, "starts_at": action.starts_at, "ends_at": action.ends_at,
        "host_name": "Marisol Hernández", "email": "marisol@example.org",
    }  # fmt: skip
    unconfirmed = Proposal.objects.create(**proposal)
    sent_back = Proposal.objects.create(
        **proposal, status=Proposal.Status.CHANGES_REQUESTED, review_message="Indique la dirección, por favor."
    )
    host = Host.objects.create(action=action, name="Marisol Hernández", email="marisol@example.org", language="es")
    ended = timezone.now() - datetime.timedelta(days=1)
    held = ActionFactory(
        campaign=action.campaign, city=action.city, title_en="Vigil for peace", title_es="Vigilia por la paz",
        starts_at=ended - datetime.timedelta(hours=2), ends_at=ended,
    )  # fmt: skip
    past_host = Host.objects.create(action=held, name="Rosa Pérez", email="rosa@example.org", language="es")
    ActionReport.objects.create(action=held, host=past_host, turnout=40, notes="Llovió, pero **vinieron**.")
    came = ConfirmedSignupFactory(action=held, name="Ana López", share_with_host=True, attended_at=ended)
    manage, past_manage = (
        f"/{{lang}}/host/manage/{host_token(host)}/",
        f"/{{lang}}/host/manage/{host_token(past_host)}/",
    )
    return [
        "/{lang}/host/",
        "/{lang}/host/sent/",
        f"/{{lang}}/host/confirm/{proposal_confirm_token(unconfirmed)}/",
        f"/{{lang}}/host/proposal/{proposal_edit_token(sent_back)}/",
        "/{lang}/host/confirm/not-a-token/",
        manage,
        *(f"{manage}{page}/" for page in ("message", "edit", "cohost", "cancel", "report")),
        past_manage,
        f"{past_manage}report/",
        f"/{{lang}}/actions/{held.slug}/",
        f"/{{lang}}/signups/attendance/{manage_token(came)}/",
        "/{lang}/host/manage/not-a-token/",
    ]


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize(
    "viewport", [PHONE, DESKTOP, ZOOM_200, REFLOW], ids=["phone", "desktop", "zoom-200", "reflow-320"]
)
def test_every_public_page_passes_the_audit_at_every_width(open_page, pages, lang, viewport):
    page = open_page(lang, viewport)
    found = []
    for path in pages:
        url = path.format(lang=lang)
        page.goto(url)
        found += [f"{url}: {problem}" for problem in problems(page)]
    assert found == []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_skip_link_is_first_and_leads_to_the_main_content(open_page, june30_ahead, lang):
    page = open_page(lang)
    page.goto(f"/{lang}/actions/june-30-2023-tapachula/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("el => document.activeElement === el", skip.element_handle())
    assert skip.bounding_box()["x"] >= 0  # shown once focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_signup_journey_works_without_javascript(open_page, june30_ahead, lang):
    page = open_page(lang, javascript=False)
    page.goto(f"/{lang}/actions/june-30-2023-tapachula/")
    with page.expect_navigation():
        page.locator("a.button").click()
    page.fill("#id_name", "Ana")
    page.fill("#id_email", "ana@example.org")
    page.check("#id_consent")
    with page.expect_navigation():
        page.locator("form.signup button[type=submit]").click()
    assert "/signup/sent/" in page.url
    assert Signup.objects.filter(email="ana@example.org").exists()


def test_the_checks_catch_what_they_look_for(browser):
    page = browser.new_page(viewport=PHONE)
    page.set_content(
        '<html lang="en"><head><title>x</title></head><body><main><img src="x.png">'
        '<button style="width:10px;height:10px">x</button><div style="width:900px">wide</div>'
        '<a href="#" style="outline:none">link</a></main></body></html>'
    )
    assert {v.split(" ")[0] for v in violations(page)} >= {"image-alt"}
    assert len(page.evaluate(SMALL_TARGETS)) == 2  # the button and the link
    assert page.evaluate(OVERFLOW) > 0
    page.focus("a")
    assert not page.evaluate(FOCUS_VISIBLE)
    page.close()
