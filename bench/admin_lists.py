"""The admin's action and signup lists over load data: milliseconds per page view (median of runs,
in-process, Django's test client) and queries per view. usage: python -m bench.admin_lists [--runs 7]"""

import statistics
import time

from .report import command

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
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

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
        client.get(url)
        times = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                assert client.get(url).status_code == 200
                times.append((time.perf_counter() - started) * 1000)
        lines.append(f"| `{url}` | {statistics.median(times):.0f} | {len(queries)} |")
    return "\n".join(lines)


if __name__ == "__main__":
    command(run, __doc__)
