"""The search by place over load data (3,000 actions): milliseconds per search (median and 90th
percentile of runs, in-process, Django's test client; a search never comes from the page cache) and
queries per search. Goal (issue 16): under 15 ms, the same number of queries whatever the actions.
usage: python -m bench.search [--runs 30]"""

import statistics

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
