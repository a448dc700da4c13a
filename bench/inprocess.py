"""Server time of every public page type, uncached, in-process: milliseconds per request (median and
90th percentile of runs, Django's test client through the whole middleware) and queries per request,
in both languages where a page has them, over the load data. Goal (issue 18): any public page's
median at most 8 ms.
usage: python -m bench.inprocess [--runs 20]

The page cache is off (PAGE_CACHE_SECONDS=0): the settings build the middleware from it once, at
start, so the pages are timed in a process of their own started so, on the same database."""

import json
import os
import re
import statistics
import subprocess
import sys

from .report import command, time_get, verdict
from .server import BASE_DIR, database_url

GOAL_MS = 8
LANGUAGES = ("en", "es")
FILES = re.compile(r"\.(atom|ics|txt|xml)$")  # feeds, calendars, robots.txt, the sitemap: not HTML pages


def pages() -> dict[str, list[str]]:
    """{page type: its URLs, in English then Spanish where it has both}, over the first load rows."""
    from actions.models import Action, Campaign
    from demands.models import Demand, Outcome

    load = {"slug__startswith": "load-"}
    listed = Action.objects.filter(status=Action.Status.PUBLISHED, **load).upcoming().order_by("pk")
    action = listed.filter(city__isnull=False).select_related("city").first()
    online = listed.filter(city__isnull=True).first()
    campaign = Campaign.objects.filter(**load).order_by("pk").first()
    demand = Demand.objects.filter(**load).order_by("pk").first()
    outcome = Outcome.objects.filter(**load).order_by("pk").first()
    assert action and online and campaign and demand and outcome, "no load data: manage.py generate_load_data"
    each_language = {
        "home": "/{l}/",
        "action list": "/{l}/actions/",
        "action list, filtered": "/{l}/actions/?country=MX&kind=march",
        "search by place": "/{l}/actions/?near=06600",
        "action page, in person": f"/{{l}}/actions/{action.slug}/",
        "action page, online": f"/{{l}}/actions/{online.slug}/",
        "signup form": f"/{{l}}/actions/{action.slug}/signup/",
        "signup sent": f"/{{l}}/actions/{action.slug}/signup/sent/",
        "city page": f"/{{l}}/cities/{action.city.slug}/",
        "campaign list": "/{l}/campaigns/",
        "campaign page": f"/{{l}}/campaigns/{campaign.slug}/",
        "campaign embed": f"/embed/{{l}}/campaigns/{campaign.slug}/",
        "demand list": "/{l}/demands/",
        "demand page": f"/{{l}}/demands/{demand.slug}/",
        "outcome list": "/{l}/outcomes/",
        "outcome page": f"/{{l}}/outcomes/{outcome.slug}/",
        "privacy": "/{l}/privacy/",
        "proposal form (hosting)": "/{l}/host/",
        "action feed": "/{l}/actions/feed.atom",
        "outcome feed": "/{l}/outcomes/feed.atom",
        "action calendar": f"/{{l}}/actions/{action.slug}/calendar.ics",
        "city calendar": f"/{{l}}/cities/{action.city.slug}/calendar.ics",
        "campaign calendar": f"/{{l}}/campaigns/{campaign.slug}/calendar.ics",
        "country calendar": "/{l}/calendar/mx.ics",
        "upcoming calendar": "/{l}/calendar/actions.ics",
    }
    found = {name: [path.format(l=language) for language in LANGUAGES] for name, path in each_language.items()}
    return found | {
        "API action list": ["/api/v1/actions/"],
        "API action detail": [f"/api/v1/actions/{action.slug}/"],
        "API campaign list": ["/api/v1/campaigns/"],
        "API city list": ["/api/v1/cities/"],
        "API demand list": ["/api/v1/demands/"],
        "API outcome list": ["/api/v1/outcomes/"],
        "sitemap": ["/sitemap.xml"],
        "robots.txt": ["/robots.txt"],
    }


def measure(runs: int = 20) -> list[dict]:
    """Every page of `pages()` timed `runs` times after a warm-up, with the page cache off:
    [{"page", "url", "p50_ms", "p90_ms", "queries"}], in pages()'s order. In a process of its own
    unless this one's page cache is already off. Raises RuntimeError if a page answers other than 200."""
    from django.conf import settings

    if settings.PAGE_CACHE_SECONDS:
        return _in_a_process_without_the_page_cache(runs)
    # A page cache that PAGE_CACHE_SECONDS=0 did not turn off (a middleware named so) would make this
    # a benchmark of cache hits.
    assert not any("Cache" in name.rsplit(".", 1)[-1] for name in settings.MIDDLEWARE), settings.MIDDLEWARE
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", secure=True)
    rows = []
    for name, urls in pages().items():
        for url in urls:
            times, queries = time_get(client, url, runs)
            p90 = statistics.quantiles(times, n=10)[-1] if len(times) > 1 else times[0]
            rows.append(
                {"page": name, "url": url, "p50_ms": statistics.median(times), "p90_ms": p90, "queries": queries}
            )
    return rows


def _in_a_process_without_the_page_cache(runs: int) -> list[dict]:
    environment = {**os.environ, "DATABASE_URL": database_url(), "PAGE_CACHE_SECONDS": "0"}
    environment |= {"DEBUG": "0", "SECURE_SITE": "0", "DJANGO_SETTINGS_MODULE": "movement.settings"}
    environment.setdefault("SECRET_KEY", "benchmarks-only-not-secret")
    code = "import json, django; django.setup(); from bench.inprocess import measure; "
    code += f"print(json.dumps(measure({runs})))"
    child = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=environment, capture_output=True, text=True, check=False
    )
    if child.returncode:
        raise RuntimeError(f"bench.inprocess failed:\n{child.stderr[-3000:]}")
    return json.loads(child.stdout.splitlines()[-1])


def run(runs: int = 20) -> str:
    """The section of docs/performance.md: a row per page type, both languages side by side."""
    from actions.models import Action

    rows = measure(runs)
    lines = [
        f"`python -m bench.inprocess --runs {runs}` over {Action.objects.count():,} actions: every public page "
        "type in-process (Django's test client, production settings, the whole middleware), uncached "
        "(`PAGE_CACHE_SECONDS=0`, in a process of its own), after one warm-up request each; "
        "`en / es` where a page has both languages.",
        "",
        "| page | URL | ms (median) | ms (90th percentile) | queries |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    by_page: dict[str, list[dict]] = {}
    for row in rows:
        by_page.setdefault(row["page"], []).append(row)
    for name, found in by_page.items():
        cells = [" / ".join(f"{row[key]:.1f}" for row in found) for key in ("p50_ms", "p90_ms")]
        cells.append(" / ".join(str(row["queries"]) for row in found))
        lines.append(f"| {name} | `{found[0]['url']}` | " + " | ".join(cells) + " |")
    worst = max(rows, key=lambda row: row["p50_ms"])
    html = [row for row in rows if not row["url"].startswith("/api/") and not FILES.search(row["url"])]
    worst_html = max(html, key=lambda row: row["p50_ms"])
    lines += [
        "",
        f"Goal (any public page's median at most {GOAL_MS} ms): {verdict(worst['p50_ms'] <= GOAL_MS)}. "
        f"{sum(row['p50_ms'] <= GOAL_MS for row in rows)} of {len(rows)} URLs within it. The slowest: "
        f"`{worst['url']}` ({worst['page']}), {worst['p50_ms']:.1f} ms; of the HTML pages, "
        f"`{worst_html['url']}` ({worst_html['page']}), {worst_html['p50_ms']:.1f} ms.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    command(run, __doc__)
