"""Seat allotment under real concurrency, on PostgreSQL: threads with their own connections."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from actions import services
from actions.models import Signup
from tests.factories import ActionFactory, SignupFactory

pytestmark = pytest.mark.django_db(transaction=True)


def in_threads(count, work):
    """Run work(i) in `count` threads released together; each closes its own connection."""
    barrier = threading.Barrier(count)

    def run(i):
        try:
            barrier.wait()
            return work(i)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_fifty_volunteers_confirming_at_once_never_overbook():
    action = ActionFactory(capacity=10)
    signups = [SignupFactory(action=action) for _ in range(50)]
    in_threads(50, lambda i: services.signup_confirm(signup=signups[i]))
    statuses = list(Signup.objects.values_list("status", flat=True))
    assert statuses.count("confirmed") == 10
    assert statuses.count("waitlisted") == 40
    positions = sorted(s.waitlist_position() for s in Signup.objects.filter(status="waitlisted"))
    assert positions == list(range(1, 41))


def test_twenty_submissions_of_one_address_make_one_signup():
    action = ActionFactory()
    emails = ["Ana@Example.org" if i % 2 else "ana@example.org" for i in range(20)]
    results = in_threads(
        20, lambda i: services.signup_request(action=action, name="Ana", email=emails[i], language="es").pk
    )
    assert Signup.objects.count() == 1
    assert set(results) == {Signup.objects.get().pk}
