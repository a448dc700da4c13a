"""actions/mail.py with the real parts: reminders through Redis, Celery workers (one of them killed
mid-batch) and an SMTP server on loopback."""

import datetime
import threading
import time
from collections import Counter

import icalendar
import pytest
from django.db import connection
from django.db.models import F
from django.utils import timezone

from actions import mail
from actions.models import OutgoingMail, Reminder
from actions.tasks import mail_dispatch
from tests.factories import ActionFactory, CityFactory, ConfirmedSignupFactory
from tests.volunteers import sign_up
from tests.workers import broker_unreachable, thread_worker, through_broker, wait_for, worker_process

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def action():
    """An action in Tapachula starting in 90 minutes: the 2-hour reminder is due."""
    start = (timezone.now() + datetime.timedelta(minutes=90)).replace(second=0, microsecond=0)
    city = CityFactory(name_en="Tapachula", name_es="Tapachula", time_zone="America/Mexico_City")
    return ActionFactory(
        city=city, title_en="Vigil", title_es="Vigilia", starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )


def test_a_worker_sends_each_due_reminder_once_in_its_language_with_a_calendar_file(action, smtp_sink):
    spanish = ConfirmedSignupFactory(action=action, language="es")
    english = ConfirmedSignupFactory(action=action, language="en")
    with thread_worker():
        mail_dispatch.delay()  # what beat sends every minute
        assert wait_for(lambda: len(smtp_sink.messages) == 2)
        mail_dispatch.delay()
        assert wait_for(lambda: Reminder.objects.filter(status="sent").count() == 2)
        time.sleep(1)
    assert len(smtp_sink.messages) == 2
    by_address = {m["To"]: m for m in smtp_sink.messages}
    local_time = action.local_starts_at.strftime("%H:%M")
    assert by_address[spanish.email]["Subject"].startswith("Recordatorio: Vigilia, ")
    assert by_address[spanish.email]["Subject"].endswith(f"{local_time} CST")
    assert by_address[english.email]["Subject"].startswith("Reminder: Vigil, ")
    body = by_address[spanish.email].get_body(("plain",)).get_content()
    assert "Parque" not in body and "Lugar por anunciar" in body
    (attachment,) = by_address[english.email].iter_attachments()
    assert attachment.get_filename() == "action.ics"
    event = icalendar.Calendar.from_ical(attachment.get_content()).walk("VEVENT")[0]
    assert event.decoded("dtstart") == action.starts_at
    assert str(event["summary"]) == "Vigil"


def test_a_worker_killed_mid_batch_and_two_dispatches_at_once_still_send_each_reminder_once(
    action, smtp_sink, settings
):
    settings.MAIL_BATCH_SIZE = 5
    signups = ConfirmedSignupFactory.create_batch(20, action=action)
    smtp_sink.hold_after = 3  # the server stalls on the 4th message
    with through_broker(), worker_process() as process:
        mail.mail_dispatch()  # four batches of five
        assert wait_for(smtp_sink.holding.is_set, seconds=30), "the worker process sent nothing"
        process.kill()  # mid-batch: three sent, one in flight, one not begun
        process.wait()
    smtp_sink.release()
    states = Counter(Reminder.objects.filter(minutes_before=120).values_list("status", flat=True))
    assert states == {"sent": 3, "sending": 2, "queued": 15}
    assert len(smtp_sink.messages) == 3

    # MAIL_CLAIM_TIMEOUT passes: the dead worker's claims and every hand-off are stale.
    stale = datetime.timedelta(minutes=settings.MAIL_CLAIM_TIMEOUT + 1)
    Reminder.objects.filter(claimed_at__isnull=False).update(claimed_at=F("claimed_at") - stale)
    Reminder.objects.filter(enqueued_at__isnull=False).update(enqueued_at=F("enqueued_at") - stale)

    barrier = threading.Barrier(2)

    def dispatch():
        try:
            barrier.wait()
            mail.mail_dispatch()
        finally:
            connection.close()

    with thread_worker():
        threads = [threading.Thread(target=dispatch) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert wait_for(lambda: Reminder.objects.filter(minutes_before=120, status="sent").count() == 20)
        time.sleep(1)  # anything still on its way would arrive now
    received = Counter(smtp_sink.recipients())
    assert received == {signup.email: 1 for signup in signups}


def test_with_the_broker_down_a_signup_succeeds_and_its_email_goes_out_once_the_broker_is_back(client, smtp_sink):
    action = ActionFactory()
    with broker_unreachable():
        responses = [sign_up(client, action, email="ana@example.org") for _ in range(2)]  # and a retry
    assert [response.status_code for response in responses] == [302, 302]
    assert responses[0]["Location"].endswith("/signup/sent/")
    assert list(OutgoingMail.objects.order_by("pk").values_list("status", "enqueued_at")) == [
        ("queued", None),
        ("skipped", None),
    ]
    with thread_worker():
        mail.mail_dispatch()  # beat's, every minute
        assert wait_for(lambda: OutgoingMail.objects.filter(status="sent").exists())
        time.sleep(1)  # anything still on its way would arrive now
    assert smtp_sink.recipients() == ["ana@example.org"]
    assert "/signups/confirm/" in smtp_sink.messages[0].get_body(("plain",)).get_content()
