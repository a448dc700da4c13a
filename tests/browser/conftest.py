"""Browser tests: headless Chromium from Debian's package, driven by Playwright, against a live
server on loopback with the real PostgreSQL. Each test gets a fresh page; on failure its screenshot
and HTML are saved under var/artifacts/browser/."""

import datetime
import os
import re
import shutil
from pathlib import Path

import pytest

from actions.models import Action
from actions.seed import load_day_of_action

# Playwright's sync API keeps an event loop in the test thread; the ORM calls the tests make there
# are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "artifacts" / "browser"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def _plain_http_server():
    """The live server speaks plain HTTP: no redirect to HTTPS (read once, when the server builds its
    middleware, so before it starts) and cookies that are not HTTPS-only. Its pages are not cached:
    a journey reads a page again right after changing what it shows."""
    from django.conf import settings

    names = ["SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "LANGUAGE_COOKIE_SECURE"]
    names += ["CACHE_MIDDLEWARE_SECONDS"]
    saved = {name: getattr(settings, name) for name in names}
    for name in names:
        setattr(settings, name, 0 if name == "CACHE_MIDDLEWARE_SECONDS" else False)
    yield
    for name, value in saved.items():
        setattr(settings, name, value)


@pytest.fixture(scope="session")
def live_server(_plain_http_server, live_server):
    return live_server


@pytest.fixture(scope="session")
def browser():
    shutil.rmtree(ARTIFACTS, ignore_errors=True)  # this run's screenshots only
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium package (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def artifact_name(nodeid: str) -> str:
    return re.sub(r"[^\w.-]+", "_", nodeid.split("::", 1)[-1])


@pytest.fixture
def open_page(browser, request, live_server, settings):
    """open_page(lang, viewport=PHONE) -> a new page in a browser that prefers `lang`, whose base
    URL is the live server. Links in emails point there too. Whatever the Content-Security-Policy
    refuses on any of its pages (Chromium says so on the console) fails the test."""
    settings.SITE_URL = live_server.url
    contexts = []
    refused: list[str] = []

    def note_refusal(message):
        if "Content Security Policy" in message.text:
            refused.append(f"{message.page.url if message.page else '?'}: {message.text}")

    def open_page(lang: str = "en", viewport: dict = PHONE, *, javascript: bool = True):
        context = browser.new_context(
            base_url=live_server.url,
            locale={"en": "en-US", "es": "es-MX"}[lang],
            viewport=viewport,
            java_script_enabled=javascript,
        )
        context.on("console", note_refusal)
        contexts.append(context)
        return context.new_page()

    yield open_page
    failed = getattr(request.node, "report_call", None) and request.node.report_call.failed
    for index, context in enumerate(contexts):
        for page in context.pages:
            if failed:
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                stem = ARTIFACTS / f"FAILED-{artifact_name(request.node.nodeid)}-{index}"
                page.screenshot(path=f"{stem}.png", full_page=True)
                Path(f"{stem}.html").write_text(page.content(), encoding="utf-8")
        context.close()
    if refused and not failed:
        pytest.fail("refused by the Content-Security-Policy:\n" + "\n".join(refused))


def save_screenshot(page, name: str) -> None:
    """The journey's last screen, kept for review (var/artifacts/browser/NAME.png)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture
def june30_ahead(transactional_db):
    """The June 30 day of action, moved to next June 30 with real times (18:00 in each city), so that
    its actions take signups."""
    load_day_of_action()
    today = datetime.date.today()
    day = datetime.date(today.year + (today >= datetime.date(today.year, 6, 1)), 6, 30)
    for action in Action.objects.select_related("city", "campaign"):
        start = datetime.datetime.combine(day, datetime.time(18, 0), action.zone)
        Action.objects.filter(pk=action.pk).update(
            starts_at=start, ends_at=start + datetime.timedelta(hours=2), time_to_be_announced=False
        )
    return day
