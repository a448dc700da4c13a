"""The every-minute reminder dispatch with nothing due: its time (median of runs) and the query
plans of the queries it runs. usage: python -m bench.dispatch [--runs 15]
Run against a database of load data (manage.py generate_load_data): the goal is under 50 ms with
300,000 signups, using indexes (issue 8)."""

import statistics
import time

from .report import command, verdict


def explain_dispatch() -> list[str]:
    """EXPLAIN ANALYZE of every query one dispatch runs, as text."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from actions import mail

    with CaptureQueriesContext(connection) as queries:
        mail.mail_dispatch()
    plans = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith(("SELECT", "UPDATE")):
                continue
            cursor.execute("BEGIN")
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}")
            plans.append(f"{sql}\n" + "\n".join(row[0] for row in cursor.fetchall()))
            cursor.execute("ROLLBACK")
    return plans


def time_dispatch(runs: int) -> list[float]:
    """Milliseconds per dispatch, `runs` times (after one warm-up)."""
    from actions import mail

    mail.mail_dispatch()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = mail.mail_dispatch()
        times.append((time.perf_counter() - started) * 1000)
        assert not any(result.values()), f"something was due: {result}"
    return times


def run(runs: int = 15) -> str:
    """The section of docs/performance.md: the median over `runs`, and every plan."""
    from actions.models import Signup

    times = time_dispatch(runs)
    median = statistics.median(times)
    plans = "\n\n".join(explain_dispatch())
    return (
        f"`python -m bench.dispatch --runs {runs}` over {Signup.objects.count():,} signups: "
        f"**median {median:.1f} ms**, max {max(times):.1f} ms. Goal under 50 ms: {verdict(median < 50)}. "
        "The plans of its queries:\n\n"
        f"```\n{plans}\n```"
    )


if __name__ == "__main__":
    command(run, __doc__)
