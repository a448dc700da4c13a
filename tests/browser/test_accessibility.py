"""Every public page type, in both languages, at a phone's width, a desktop's, 200% zoom and 320 px:
no axe-core violation of WCAG 2.2 A and AA, no horizontal scrolling, targets at least 24 × 24 px, no
script. Also: a skip link to the main content, and the signup works without JavaScript."""

import pytest

from actions.models import Action, Signup
from actions.tokens import confirm_token, manage_token
from movement.public_pages import SIGNUP_PAGES
from tests.factories import place
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
        action=action, name="Luis", email="luis@example.org", language="es", status=Signup.Status.CONFIRMED
    )
    place("Tapachula", "Chiapas", 14.90541, -92.25891, population=353706)
    place("Mérida", "Yucatán", 20.97, -89.62, population=900000)
    place("San Pedro", "Chiapas", 16.1, -92.1, population=2000)
    place("San Pedro", "Oaxaca", 16.9, -96.5, population=1900)
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
        "/{lang}/no-such-page/",
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
