"""The admin's action and signup lists over load data: milliseconds per page view (median of runs,
in-process, Django's test client) and queries per view. usage: python -m bench.admin_lists [--runs 7]"""

import statistics

from .report import command, time_get

URLS = [
    "/admin/actions/action/",
    "/admin/actions/signup/",
    "/admin/actions/signup/?p=500",
    "/admin/actions/signup/?status__exact=confirmed",
    "/admin/actions/signup/?q=volunteer+12345",
    "/admin/actions/signup/?q=v4242.",
]


def run(runs: int = 7, urls: list[str] = URLS) -> str:
    """The section of docs/performance.md: a table of the lists, median milliseconds and queries."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from actions.models import Signup

    user, _created = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(HTTP_HOST="127.0.0.1", secure=True)
    client.force_login(user)
    lines = [
        f"`python -m bench.admin_lists --runs {runs}` over {Signup.objects.count():,} signups (in-process, superuser):",
        "",
        "| list | ms (median) | queries |",
        "| --- | ---: | ---: |",
    ]
    for url in urls:
        times, queries = time_get(client, url, runs)
        lines.append(f"| `{url}` | {statistics.median(times):.0f} | {queries} |")
    return "\n".join(lines)


if __name__ == "__main__":
    command(run, __doc__)
