"""Issue 8's quick checks at scale, on actions/load_data.py's data: the admin lists and the reminder
dispatch keep their queries and their plans as data grows (the benchmarks in bench/ time them)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions import mail
from actions.load_data import Scale, generate
from actions.models import Signup

pytestmark = pytest.mark.django_db

SMALL = Scale(cities=6, campaigns=3, actions=30, signups=900, demands=3, outcomes=5)


@pytest.fixture
def coordinator(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss", "boss@example.org", "x"))
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/actions/action/",
        "/admin/actions/signup/",
        "/admin/actions/signup/?q=volunteer",
        "/admin/demands/outcome/",
    ],
)
def test_admin_lists_run_the_same_queries_at_two_sizes(coordinator, django_assert_max_num_queries, url):
    generate(Scale(cities=3, campaigns=3, actions=6, signups=60, demands=2, outcomes=2))
    with django_assert_max_num_queries(10):
        assert coordinator.get(url).status_code == 200
    generate(Scale(cities=30, campaigns=3, actions=150, signups=3000, demands=5, outcomes=40), force=True)
    with django_assert_max_num_queries(10):
        assert coordinator.get(url).status_code == 200


def test_the_whole_signup_list_is_not_counted_on_every_view(coordinator, monkeypatch):
    from common.admin import EstimatedCountPaginator

    generate(SMALL)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE actions_signup")
    monkeypatch.setattr(EstimatedCountPaginator, "ESTIMATE_FROM", 100)
    with CaptureQueriesContext(connection) as queries:
        page = coordinator.get("/admin/actions/signup/")
    assert page.status_code == 200 and "900" in page.content.decode()
    assert not [q["sql"] for q in queries if "COUNT(*)" in q["sql"] and '"actions_signup"' in q["sql"]]
    with CaptureQueriesContext(connection) as queries:
        coordinator.get("/admin/actions/signup/?status__exact=confirmed")  # a filtered list: counted
    assert [q["sql"] for q in queries if "COUNT(*)" in q["sql"]]


def plan(sql: str, params=(), *, bitmap_only: bool = False) -> str:
    """The query's plan where reading the whole table costs too much, as it does at scale; with
    `bitmap_only`, one that can only use an index whose condition matches the query's."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if bitmap_only:
            cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_admin_searches_use_the_trigram_indexes():
    generate(SMALL)
    queryset = Signup.objects.filter(name__icontains="lunteer 12") | Signup.objects.filter(email__icontains="v12.")
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    assert {"signup_name_trgm", "signup_email_trgm"} <= set(plan(sql, params, bitmap_only=True).split())


def test_the_dispatch_with_nothing_due_reads_indexes_and_a_few_queries(django_assert_max_num_queries):
    generate(SMALL)
    with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(4):
        assert mail.mail_dispatch() == {"skipped": 0, "queued": 0, "enqueued": 0}
    for query in queries:
        assert "Seq Scan on actions_signup" not in plan(query["sql"]), query["sql"]


def test_the_dispatch_benchmark_runs_on_small_data():
    from bench.dispatch import explain_dispatch, time_dispatch

    generate(SMALL)
    assert len(time_dispatch(runs=2)) == 2  # it asserts nothing was due
    plans = explain_dispatch()
    assert plans and all("Execution Time" in plan for plan in plans)


def test_the_admin_list_benchmark_runs_on_small_data():
    from bench.admin_lists import URLS, run

    generate(SMALL)
    urls = [url for url in URLS if "p=500" not in url]  # small data has no page 500
    rows = [line for line in run(runs=1, urls=urls).splitlines() if line.startswith("| `")]
    assert len(rows) == len(urls)  # each list answered 200 (the script asserts it)
