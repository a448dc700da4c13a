"""The search by place over load data (3,000 actions): milliseconds per search (median and 90th
percentile of runs, in-process, Django's test client; a search never comes from the page cache) and
queries per search. Goal (issue 16): under 15 ms, the same number of queries whatever the actions.
usage: python -m bench.search [--runs 30]"""

import statistics
import urllib.parse

from .report import command, time_get, verdict

GOAL_MS = 15
URLS = [
    "/es/actions/?near=06600",
    "/en/actions/?near=10001",
    "/es/actions/?near=Tapachula",
    "/en/actions/?near=10001&radius=any",
    "/en/actions/?near=Cd.+Ju%C3%A1rez&radius=250",
    "/en/actions/?near=zzzz",
    "/en/actions/?near=Springfield",
    "/api/v1/actions/?near=06600",
    "/api/v1/actions/?lat=40.75&lon=-74.0&radius=100",
]


def near_urls(count: int = 1000) -> list[str]:
    """`count` distinct searches of the action list by place, each naming a place that the search
    finds (places.search.locate), in turn: a US postal code, a Mexican one, a US city, a Mexican city,
    each kind in English (`/en/actions/?near=…`) and Spanish (`/es/…`) alternately. Postal codes are
    spread evenly over each country's; cities are the most populous. Each is the bare code or name
    where that names one place, else written as the search's choices write it ("Springfield,
    Illinois, US", "06600, MX"). Needs the places imported (manage.py import_places)."""
    from places.models import Place

    quotas = [count // 4 + (n < count % 4) for n in range(4)]
    groups = [
        _texts(Place.objects.filter(kind=Place.Kind.POSTAL_CODE, country=country), quota, spread=True)
        for country, quota in zip(("US", "MX"), quotas[:2], strict=True)
    ] + [
        _texts(Place.objects.filter(kind=Place.Kind.CITY, country=country), quota, spread=False)
        for country, quota in zip(("US", "MX"), quotas[2:], strict=True)
    ]
    urls = []
    for n in range(max(quotas)):
        for group in groups:
            if n < len(group):
                language = ("en", "es")[n % 2]
                urls.append(f"/{language}/actions/?{urllib.parse.urlencode({'near': group[n]})}")
    assert len(set(urls)) == len(urls) == count, f"{len(set(urls))} distinct searches of {count}: import_places?"
    return urls


def found(urls: list[str], client) -> dict[str, int]:
    """GET each of `urls` (searches of the action list) with Django's test `client`: how many list
    actions near the place ("nearby"), the nearest at any distance instead ("nearest"), or nothing:
    none at all ("none"), the place not found or not one ("not found"), or an answer other than 200
    ("error"). Read from the page's markup (templates/actions/action_list.html)."""
    counts = dict.fromkeys(("nearby", "nearest", "none", "not found", "error"), 0)
    for url in urls:
        response = client.get(url)
        html = response.content.decode() if response.status_code == 200 else ""
        if response.status_code != 200:
            counts["error"] += 1
        elif 'id="nearby-heading"' not in html:
            counts["not found"] += 1
        elif '<div class="empty"' in html:
            counts["none"] += 1
        else:
            counts["nearest" if '<div class="notice"' in html else "nearby"] += 1
    return counts


def _texts(places, count: int, *, spread: bool) -> list[str]:
    """`count` distinct texts that each find one of `places`: spread over them in postal-code order
    (the next one along where one is not found), or the most populous first."""
    from places.search import Location, PlaceProblem, locate

    ordered = places.order_by("postal_code", "pk") if spread else places.order_by("-population", "pk")
    step = max(1, places.count() // count) if spread else 1
    texts: dict[str, str] = {}  # by their casefolded selves, in order
    wanted = 0  # the position of the next place to try
    for position, place in enumerate(ordered.iterator()):
        if position < wanted:
            continue
        for text in (place.postal_code or place.name, Location.of(place).query):
            try:
                locate(text)
            except PlaceProblem:
                continue
            if text.casefold() not in texts:
                texts[text.casefold()] = text
                wanted = position + step
            break
        if len(texts) == count:
            break
    return list(texts.values())


def run(runs: int = 30, urls: list[str] = URLS) -> str:
    """The section of docs/performance.md: a table of the searches, milliseconds and queries."""
    from django.core.management import call_command
    from django.test import Client

    from actions.models import Action

    call_command("import_places", verbosity=0)  # skipped once imported
    client = Client(HTTP_HOST="127.0.0.1", secure=True)
    lines = [
        f"`python -m bench.search --runs {runs}` over {Action.objects.count():,} actions in "
        f"{Action.objects.values('city').distinct().count():,} cities (in-process, Django's test client):",
        "",
        "| search | ms (median) | ms (90th percentile) | queries |",
        "| --- | ---: | ---: | ---: |",
    ]
    medians = []
    for url in urls:
        times, queries = time_get(client, url, runs)
        medians.append(statistics.median(times))
        p90 = statistics.quantiles(times, n=10)[-1]
        lines.append(f"| `{url}` | {medians[-1]:.1f} | {p90:.1f} | {queries} |")
    lines += ["", f"Goal (under {GOAL_MS} ms, median of each): {verdict(max(medians) < GOAL_MS)}."]
    return "\n".join(lines)


if __name__ == "__main__":
    command(run, __doc__)
