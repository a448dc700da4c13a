"""Issue 8's benchmarks (bench/), run small: they still work and what they count is right (every reminder
once, no signup lost, over capacity or twice). Their times are for docs/performance.md (`make bench`),
not for the tests."""

import os
import shutil
import subprocess
import sys

import pytest
from django.conf import settings

from actions.load_data import Scale, generate
from actions.models import Signup

pytestmark = [pytest.mark.django_db(transaction=True)]

# The public page types that the in-process benchmark times in both languages, at least.
BILINGUAL_PAGES = {
    "home",
    "action list",
    "action list, filtered",
    "search by place",
    "action page, in person",
    "action page, online",
    "signup form",
    "city page",
    "campaign list",
    "campaign page",
    "campaign embed",
    "demand list",
    "demand page",
    "outcome list",
    "outcome page",
    "privacy",
}
SMALL = Scale(cities=4, campaigns=1, actions=12, signups=60, demands=2, outcomes=2)


@pytest.fixture(scope="module")
def collected_static():
    """gunicorn runs with DEBUG=0, which serves the collected, hashed static files."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"} | {"DEBUG": "0"}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=settings.BASE_DIR, env=env, check=True
    )


@pytest.fixture
def wrk():
    if not shutil.which("wrk"):
        pytest.fail("wrk not found: install Debian's wrk package (apt-get install wrk).")


def test_the_page_benchmark_measures_pages_beside_the_minimal_view(collected_static, wrk):
    from bench.pages import measure

    generate(SMALL)
    paths = {"minimal view": "/bench/hello", "action list": "/en/actions/", "API action list": "/api/v1/actions/"}
    rows = measure(paths, duration=1, runs=1, connections=4, workers=1, PAGE_CACHE_SECONDS="5")
    assert set(rows) == set(paths)
    for name, row in rows.items():
        assert row["rps"] > 0 and row["errors"] == 0, (name, row)


def test_the_search_rotation_requests_a_thousand_distinct_searches_that_find_actions(collected_static, wrk):
    from django.core.management import call_command
    from django.test import Client

    from bench.pages import measure, rotation
    from bench.search import found, near_urls

    generate(SMALL)
    call_command("import_places", verbosity=0)
    urls = near_urls(1000)
    assert len(set(urls)) == 1000
    assert {url.split("/")[1] for url in urls} == {"en", "es"}
    answers = found(urls, Client(HTTP_HOST="127.0.0.1", secure=True))
    assert answers["nearby"] + answers["nearest"] == 1000, answers
    assert rotation(urls).count('"/') == 1000
    paths = {"minimal view": "/bench/hello", "search": urls}
    rows = measure(paths, duration=1, runs=1, connections=4, workers=1, PAGE_CACHE_SECONDS="0")
    for name, row in rows.items():
        assert row["rps"] > 0 and row["errors"] == 0, (name, row)


def test_the_inprocess_benchmark_times_every_public_page_uncached(collected_static):
    from bench.inprocess import measure, pages

    generate(SMALL)
    urls = pages()
    rows = measure(runs=1)  # in a process of its own, the page cache off; each page answered 200
    assert [row["page"] for row in rows] == [name for name, found in urls.items() for _url in found]
    assert all(row["p50_ms"] > 0 and row["queries"] >= 0 for row in rows)
    bilingual = {
        name for name, found in urls.items() if [url.removeprefix("/embed")[:4] for url in found] == ["/en/", "/es/"]
    }
    assert bilingual >= BILINGUAL_PAGES
    assert {"API action list", "API action detail", "sitemap", "action feed"} <= set(urls)


def test_the_surge_benchmark_confirms_everyone_once_within_capacity(collected_static):
    from bench.surge import measure

    generate(SMALL)
    found = measure(clients=4, signups=24, workers=2, actions=3)
    assert found["confirmed"] == 24
    assert found["errors"] == found["over_capacity"] == found["duplicates"] == 0
    assert sum(found["statuses"].values()) == 24
    assert Signup.objects.filter(email__startswith="surge").count() == 24


def test_the_reminder_benchmark_delivers_every_reminder_once():
    from bench.reminders import measure

    found = measure(count=200, concurrency=1)
    assert found["expected"] == found["received"] == found["distinct"] == 200
    assert found["duplicates"] == 0
    assert found["peaks_mb"] and all(mb > 0 for mb in found["peaks_mb"])
