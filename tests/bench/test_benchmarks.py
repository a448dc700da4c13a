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
