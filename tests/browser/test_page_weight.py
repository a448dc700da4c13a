"""Every public page type stays light on a first visit: at most 150 KB and 15 requests, nothing from
another host (bench/page_weight.py measures; docs/performance.md has the figures)."""

import pytest

from bench.page_weight import BUDGET_BYTES, BUDGET_REQUESTS, PAGES, measure

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_public_page_is_within_the_budget(browser, live_server, june30_ahead, lang):
    rows = [measure(browser, live_server.url + path.format(lang=lang)) for path in PAGES]
    host = live_server.url.split("//")[1]
    assert [r for r in rows if r["bytes"] > BUDGET_BYTES or r["requests"] > BUDGET_REQUESTS] == []
    assert [r for r in rows if r["hosts"] != {host}] == []
    assert all(r["requests"] >= 2 and r["bytes"] > 1000 for r in rows)  # the page and its stylesheet were counted
