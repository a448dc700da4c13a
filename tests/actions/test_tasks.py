"""actions/tasks.py: the tasks through a real Redis broker and a real Celery worker (in a thread of
this process)."""

import datetime
import time

import pytest
from django.core import mail
from django.utils import timezone

from actions import services
from actions.models import OutgoingMail, Signup
from tests.factories import ActionFactory, SignupFactory
from tests.workers import thread_worker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker():
    with thread_worker():
        yield


def test_the_confirmation_email_is_sent_by_a_worker_after_commit(worker):
    action = ActionFactory()
    services.signup_request(action=action, name="Ana", email="ana@example.org", language="es")
    assert wait_for(lambda: len(mail.outbox) == 1)
    assert mail.outbox[0].subject.startswith("Confirme su lugar")


def test_the_expiry_task_deletes_only_stale_pending_signups(worker):
    from actions.tasks import signups_expire

    stale, fresh = SignupFactory(), SignupFactory()
    Signup.objects.filter(pk=stale.pk).update(created_at=timezone.now() - datetime.timedelta(hours=49))
    signups_expire.delay()
    assert wait_for(lambda: not Signup.objects.filter(pk=stale.pk).exists())
    assert Signup.objects.filter(pk=fresh.pk).exists()


def test_a_signup_erased_before_its_email_goes_out_is_skipped(worker):
    from actions import mail as outgoing
    from actions.tasks import mail_send

    signup = SignupFactory()
    row = outgoing.mail_queue(kind="confirm", signup=signup)  # its hand-out waits for a commit that never comes
    services.signup_cancel(signup=signup, erase=True)
    assert not OutgoingMail.objects.filter(pk=row.pk).exists()  # erased with the signup
    mail_send.delay([row.pk])
    time.sleep(1)
    assert mail.outbox == []


def heap_holds(table: str, text: str) -> bool:
    """Whether any version of any row in `table`'s pages, live or dead, holds `text` (pageinspect)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        cursor.execute(
            "SELECT count(*) FROM generate_series(0, pg_relation_size(%s) / current_setting('block_size')::int - 1)"
            " AS block, heap_page_items(get_raw_page(%s, block::int)) AS item"
            " WHERE position(convert_to(%s, 'UTF8') IN item.t_data) > 0",
            [table, table, text],
        )
        return cursor.fetchone()[0] > 0


def test_the_hourly_erasure_leaves_no_old_row_version_holding_the_address(worker, settings):
    from actions.tasks import signups_anonymize

    over = timezone.now() - datetime.timedelta(days=settings.SIGNUP_RETENTION_DAYS + 2)
    action = ActionFactory(starts_at=over, ends_at=over + datetime.timedelta(hours=2))
    SignupFactory(action=action, email="erase.me@example.org", status="confirmed")
    erased_by_hand = SignupFactory(action=ActionFactory(), email="gone.now@example.org")
    services.signup_cancel(signup=erased_by_hand, erase=True)  # a volunteer's own erasure: a deleted row
    assert heap_holds("actions_signup", "erase.me@example.org") and heap_holds("actions_signup", "gone.now@")

    signups_anonymize.delay()
    assert wait_for(lambda: Signup.objects.filter(anonymized_at__isnull=False).exists())
    assert wait_for(lambda: not heap_holds("actions_signup", "erase.me@example.org"), seconds=10)
    assert not heap_holds("actions_signup", "gone.now@example.org")
