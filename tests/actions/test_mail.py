"""actions/mail.py, the outgoing-mail pipeline: every email a row, queued after commit, claimed, sent
once, retried with one backoff, erased with the volunteer's data. Reminders are rows of it too:
claims, retries and batches are tested on them (on the frozen clock of tests/actions/clock.py)."""

import datetime
import socket
import threading
from collections import Counter

import icalendar
import pytest
import time_machine
from django.core import mail as outbox
from django.db import connection
from django.utils import timezone

from actions import mail, services
from actions.models import MailKind, OutgoingMail, Reminder, Signup, Suppression
from tests.actions.clock import HOUR, MINUTE, START, dispatch_at, record, reminder_mail
from tests.factories import ActionFactory, ConfirmedSignupFactory, SignupFactory

pytestmark = pytest.mark.django_db


def sign_up(action, email="ana@example.org", language="es"):
    return services.signup_request(action=action, name="Ana", email=email, language=language)


def test_a_signup_queues_its_confirmation_as_a_row_sent_after_commit(action, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        signup = sign_up(action)
    row = OutgoingMail.objects.get(signup=signup)
    assert (row.kind, row.status, row.language) == ("confirm", "queued", "es")
    assert outbox.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    row.refresh_from_db()
    assert (row.status, row.attempts, row.error) == ("sent", 1, "")
    assert row.sent_at is not None
    (message,) = outbox.outbox
    assert message.to == ["ana@example.org"] and message.subject.startswith("Confirme")


def test_a_rolled_back_signup_is_never_mailed(action, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            sign_up(action)
            raise RuntimeError
    assert not OutgoingMail.objects.exists() and outbox.outbox == []


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nothing listens there


def test_with_the_mail_server_down_the_row_shows_the_error_and_goes_out_once_it_is_back(
    action, smtp_sink, settings, django_capture_on_commit_callbacks
):
    up = settings.EMAIL_PORT
    settings.EMAIL_PORT = _closed_port()
    queued_at = timezone.now()
    with time_machine.travel(queued_at, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            signup = sign_up(action)
    row = OutgoingMail.objects.get(signup=signup)
    assert (row.status, row.attempts) == ("queued", 1)
    assert "ConnectionRefusedError" in row.error and "ana@example.org" not in row.error
    assert row.next_attempt_at == queued_at + MINUTE

    settings.EMAIL_PORT = up
    with time_machine.travel(queued_at + 30 * datetime.timedelta(seconds=1), tick=False):
        mail.mail_dispatch()  # not yet due
    assert smtp_sink.recipients() == []
    for minutes in (1, 2, 3):
        with time_machine.travel(queued_at + minutes * MINUTE, tick=False):
            mail.mail_dispatch()
    assert smtp_sink.recipients() == ["ana@example.org"]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.error) == ("sent", 2, "")


def test_every_failure_follows_one_backoff_until_failed_after_about_two_hours():
    delays = [mail.backoff(attempt) for attempt in range(1, 8)]
    assert [d // MINUTE for d in delays] == [1, 2, 4, 8, 16, 32, 60]
    assert datetime.timedelta(hours=1, minutes=55) < sum(delays, datetime.timedelta()) < datetime.timedelta(hours=2.5)


def test_signing_up_again_sends_at_most_one_email_per_ten_minutes(action, settings):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        first = sign_up(action)
    for seconds in (10, 60, 9 * 60):
        with time_machine.travel(start + datetime.timedelta(seconds=seconds), tick=False):
            assert sign_up(action, email="ANA@example.org") == first
    # Each submission is a row (the same work either way); only the first is sent.
    assert (
        list(OutgoingMail.objects.filter(signup=first).order_by("pk").values_list("status", flat=True))
        == ["queued"] + ["skipped"] * 3
    )
    with time_machine.travel(start + (settings.SIGNUP_RESEND_MINUTES + 1) * MINUTE, tick=False):
        sign_up(action)
    sendable = OutgoingMail.objects.filter(signup=first).exclude(status="skipped")
    assert list(sendable.values_list("kind", flat=True)) == ["confirm", "confirm"]


def test_the_throttle_does_not_count_a_failed_email(action):
    first = sign_up(action)
    OutgoingMail.objects.filter(signup=first).update(status="failed")
    sign_up(action)
    assert OutgoingMail.objects.filter(signup=first).count() == 2


def test_a_confirmed_volunteer_signing_up_again_gets_the_manage_link(action, committed):
    signup = ConfirmedSignupFactory(action=action, email="ana@example.org", language="en")
    with committed():
        sign_up(action)
    (row,) = OutgoingMail.objects.filter(signup=signup)
    assert (row.kind, row.status) == ("existing", "sent")
    assert outbox.outbox[0].subject.startswith("Your signup")


def test_an_action_change_queues_one_update_row_per_volunteer_in_their_language(action, committed):
    confirmed = ConfirmedSignupFactory(action=action, language="es")
    waitlisted = ConfirmedSignupFactory(action=action, language="en", status=Signup.Status.WAITLISTED)
    SignupFactory(action=action)  # pending: not told
    action.starts_at += datetime.timedelta(hours=1)
    action.ends_at += datetime.timedelta(hours=1)
    with committed():
        assert services.action_save(action=action) == ["time"]
    rows = OutgoingMail.objects.filter(kind=MailKind.UPDATE).order_by("signup_id")
    assert [(r.signup_id, r.language, r.status) for r in rows] == [
        (confirmed.pk, "es", "sent"),
        (waitlisted.pk, "en", "sent"),
    ]
    assert rows[0].context["changes"] == ["time"]
    assert sorted(m.to[0] for m in outbox.outbox) == sorted([confirmed.email, waitlisted.email])


def test_a_confirmation_no_longer_wanted_is_skipped(action):
    signup = SignupFactory(action=action)
    row = OutgoingMail.objects.create(kind=MailKind.CONFIRM, signup=signup, next_attempt_at=timezone.now())
    Signup.objects.filter(pk=signup.pk).update(status=Signup.Status.CONFIRMED)
    assert mail.mail_send(ids=[row.pk]) == 0
    row.refresh_from_db()
    assert row.status == "skipped" and outbox.outbox == []


def test_mail_to_a_suppressed_address_is_not_sent_and_says_why(action, committed):
    mail.suppression_record(address="Gone@Example.org", reason=Suppression.Reason.BOUNCED, provider="postmark")
    with committed():
        signup = sign_up(action, email="gone@example.org")
    row = OutgoingMail.objects.get(signup=signup)
    assert row.status == "undeliverable" and outbox.outbox == []
    assert "hard bounce" in row.error and "postmark" in row.error


def test_a_volunteer_who_erases_their_signup_takes_its_mail_rows_along(action):
    signup = sign_up(action)
    services.signup_cancel(signup=signup, erase=True)
    assert not OutgoingMail.objects.exists()


def test_the_retention_erasure_clears_errors_and_keeps_suppressions_only_as_a_hash(settings, committed):
    past = timezone.now() - datetime.timedelta(days=settings.SIGNUP_RETENTION_DAYS + 2)
    action = ActionFactory(starts_at=past, ends_at=past + datetime.timedelta(hours=2))
    signup = ConfirmedSignupFactory(action=action)
    row = OutgoingMail.objects.create(kind=MailKind.PROMOTED, signup=signup, status="failed", error="550 <address>")
    suppression = mail.suppression_record(address="gone@example.org", reason="complained", detail="gone@example.org")
    Suppression.objects.filter(pk=suppression.pk).update(created_at=past)
    services.signups_anonymize()
    row.refresh_from_db()
    suppression.refresh_from_db()
    assert (row.status, row.error) == ("failed", "")
    assert (suppression.address, suppression.detail) == ("", "")
    assert suppression.address_hash == Suppression.hash_address("GONE@example.org")
    with committed():
        later = sign_up(ActionFactory(), email="gone@example.org")
    assert OutgoingMail.objects.get(signup=later).status == "undeliverable"


def test_a_refused_signup_email_is_retried_without_writing_the_address_to_the_log(
    smtp_sink, caplog, django_capture_on_commit_callbacks
):
    action = ActionFactory(starts_at=START, ends_at=START + HOUR)
    smtp_sink.refused.add("nadie@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.signup_request(action=action, name="Nadie", email="nadie@example.org", language="es")
    assert smtp_sink.messages == []
    logged = "\n".join(caplog.handler.format(r) for r in caplog.records if r.name != "mail.log")  # not the sink's
    assert "SMTPRecipientsRefused: 550" in logged
    assert "nadie@example.org" not in logged


# Reminders are rows of the same pipeline.
def test_anonymizing_clears_delivery_errors_that_may_quote_the_address(vigil, settings):
    signup = ConfirmedSignupFactory(action=vigil)
    record(signup, status="failed", error=f"refused {signup.email}")
    with time_machine.travel(START + (settings.SIGNUP_RETENTION_DAYS + 1) * 24 * HOUR, tick=False):
        assert services.signups_anonymize() == 1
    assert Reminder.objects.get().error == ""


# Redelivery and racing workers: each reminder is claimed by one worker only.
@pytest.mark.django_db(transaction=True)
def test_a_reminder_is_sent_once_when_two_dispatches_run_at_once(vigil):
    ConfirmedSignupFactory.create_batch(30, action=vigil)
    barrier = threading.Barrier(2)

    def dispatch():
        try:
            barrier.wait()
            dispatch_at(START - HOUR)
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatch) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counter(m.to[0] for m in reminder_mail()).most_common(1)[0][1] == 1
    assert len(reminder_mail()) == 30


def test_a_claimed_reminder_is_not_claimed_again_until_its_claim_is_stale(vigil, settings):
    signup = ConfirmedSignupFactory(action=vigil)
    reminder = record(signup, next_attempt_at=START - 2 * HOUR)
    claimed_at = START - 2 * HOUR
    assert mail.mail_claim(ids=[reminder.pk], now=claimed_at) == [reminder.pk]  # a worker that then dies
    assert mail.mail_claim(ids=[reminder.pk], now=claimed_at) == []  # the same message, delivered again

    dispatch_at(claimed_at + (settings.MAIL_CLAIM_TIMEOUT - 1) * MINUTE)
    assert reminder_mail() == []
    dispatch_at(claimed_at + (settings.MAIL_CLAIM_TIMEOUT + 1) * MINUTE)
    assert len(reminder_mail()) == 1
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == ("sent", 2)


def test_a_reminder_handed_to_a_worker_but_lost_is_handed_out_again_after_the_timeout(vigil, settings):
    signup = ConfirmedSignupFactory(action=vigil)
    lost_at = START - 2 * HOUR
    record(signup, next_attempt_at=lost_at, enqueued_at=lost_at)
    dispatch_at(lost_at + MINUTE)
    assert reminder_mail() == []  # still with the broker, as far as the dispatch knows
    dispatch_at(lost_at + (settings.MAIL_CLAIM_TIMEOUT + 1) * MINUTE)
    assert len(reminder_mail()) == 1


# Failures: retried with backoff, then failed, then sent again (mail_retry, the admin's "send again").
def test_a_refused_address_is_retried_with_backoff_then_failed_while_the_rest_go_out(vigil, smtp_sink, settings):
    refused = ConfirmedSignupFactory(action=vigil, email="refused@example.org")
    others = ConfirmedSignupFactory.create_batch(3, action=vigil)
    smtp_sink.refused.add(refused.email)
    due = START - 20 * HOUR
    dispatch_at(due)
    assert sorted(smtp_sink.recipients()) == sorted(s.email for s in others)
    reminder = Reminder.objects.get(signup=refused, minutes_before=1440)
    assert (reminder.status, reminder.attempts, reminder.next_attempt_at) == ("queued", 1, due + MINUTE)
    assert "SMTPRecipientsRefused: 550" in reminder.error and refused.email not in reminder.error

    moment = due
    for attempt in range(2, settings.MAIL_MAX_ATTEMPTS + 1):
        backoff = min(2 ** (attempt - 2), 60) * MINUTE  # 1, 2, 4... minutes, at most an hour
        dispatch_at(moment + backoff - datetime.timedelta(seconds=1))  # not yet
        assert Reminder.objects.get(pk=reminder.pk).attempts == attempt - 1
        moment += backoff
        dispatch_at(moment)
        assert Reminder.objects.get(pk=reminder.pk).attempts == attempt
    reminder.refresh_from_db()
    assert reminder.status == "failed" and "550" in reminder.error
    dispatch_at(moment + HOUR)
    assert Reminder.objects.get(pk=reminder.pk).status == "failed"

    smtp_sink.refused.clear()
    with time_machine.travel(moment + 2 * HOUR, tick=False):
        assert mail.mail_retry(mail=Reminder.objects.all()) == 1
        mail.mail_dispatch()
    assert smtp_sink.recipients().count(refused.email) == 1
    assert Reminder.objects.get(pk=reminder.pk).status == "sent"


def test_reminders_out_of_time_count_an_attempt_and_wait_for_a_later_round(vigil, settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.OutOfTimeBackend"
    ConfirmedSignupFactory.create_batch(2, action=vigil)
    dispatch_at(START - HOUR)
    rows = Reminder.objects.filter(minutes_before=120)
    assert {(r.status, r.attempts, r.next_attempt_at) for r in rows} == {("queued", 1, START - HOUR + MINUTE)}
    assert all(r.error == "TimeoutError: the batch ran out of time" for r in rows)


def test_a_batch_stops_at_the_next_message_once_the_action_is_cancelled(vigil, settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.CancelsTheActionBackend"
    ConfirmedSignupFactory.create_batch(3, action=vigil)
    dispatch_at(START - HOUR)
    assert len(reminder_mail()) == 1
    assert Counter(Reminder.objects.filter(minutes_before=120).values_list("status", flat=True)) == {
        "sent": 1,
        "skipped": 2,
    }


def test_later_messages_of_a_batch_show_an_edit_made_while_it_is_under_way(vigil, settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.MovesTheVenueBackend"
    ConfirmedSignupFactory(action=vigil, name="First", language="es")
    ConfirmedSignupFactory(action=vigil, name="Leaves", language="es")
    ConfirmedSignupFactory(action=vigil, name="Last", language="es")
    dispatch_at(START - HOUR)
    first, last = reminder_mail()
    assert "Parque Central" in first.body and "Plaza Nueva" not in first.body
    assert "Plaza Nueva" in last.body
    calendars = [icalendar.Calendar.from_ical(m.attachments[0][1]) for m in (first, last)]
    locations = [str(calendar.walk("VEVENT")[0]["LOCATION"]) for calendar in calendars]
    assert "Parque Central" in locations[0] and "Plaza Nueva" in locations[1]
    assert Reminder.objects.get(signup__name="Leaves", minutes_before=120).status == "skipped"


def test_the_dispatch_with_nothing_due_costs_the_same_queries_for_many_signups(vigil, django_assert_max_num_queries):
    ConfirmedSignupFactory(action=vigil)
    dispatch_at(START - 2 * HOUR)  # sends one, so sent rows exist too
    ConfirmedSignupFactory.create_batch(30, action=ActionFactory(starts_at=START + 30 * 24 * HOUR))
    with time_machine.travel(START - HOUR, tick=False), django_assert_max_num_queries(4):
        assert mail.mail_dispatch() == {"skipped": 0, "queued": 0, "enqueued": 0}


def test_a_recipient_the_provider_refuses_is_marked_undeliverable_at_once(action, settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.RefusesTheRecipientBackend"
    settings.EMAIL_PROVIDER = "postmark"
    row = mail.mail_queue(
        kind=MailKind.PROMOTED, signup=ConfirmedSignupFactory(action=action, email="gone@example.org")
    )
    mail.mail_send(ids=[row.pk])
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("undeliverable", 1)  # no retry
    assert Suppression.objects.get().reason == "rejected" and "Refused by the email provider" in row.error


def test_a_batch_that_cannot_connect_says_why_on_every_row(action, settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.CannotConnectBackend"
    rows = [mail.mail_queue(kind=MailKind.CONFIRM, signup=SignupFactory(action=action)) for _ in range(2)]
    mail.mail_send(ids=[row.pk for row in rows])
    for row in rows:
        row.refresh_from_db()
        assert (row.status, row.attempts) == ("queued", 1)
        assert row.error.startswith("ConnectionRefusedError: the provider is not reachable")


def test_send_again_leaves_mail_of_an_action_that_is_over_and_an_address_still_undeliverable(settings):
    past = timezone.now() - datetime.timedelta(days=1)
    over = ActionFactory(starts_at=past, ends_at=past + datetime.timedelta(hours=2))
    late = OutgoingMail.objects.create(
        kind=MailKind.UPDATE, signup=ConfirmedSignupFactory(action=over), status="failed"
    )
    cancelled = OutgoingMail.objects.create(
        kind=MailKind.CANCELLED, signup=SignupFactory(action=over, status="cancelled"), status="failed"
    )
    blocked = OutgoingMail.objects.create(
        kind=MailKind.CONFIRM, signup=SignupFactory(email="gone@example.org"), status="undeliverable"
    )
    mail.suppression_record(address="gone@example.org", reason=Suppression.Reason.BOUNCED)
    assert mail.mail_retry(mail=OutgoingMail.objects.all()) == 1
    assert set(OutgoingMail.objects.filter(status="queued")) == {cancelled}
    assert {late.pk, blocked.pk}.isdisjoint(OutgoingMail.objects.filter(status="queued").values_list("pk", flat=True))


def test_mail_for_an_action_that_is_over_is_skipped_but_a_cancellation_is_sent(action):
    past = timezone.now() - datetime.timedelta(days=1)
    over = ActionFactory(starts_at=past, ends_at=past + datetime.timedelta(hours=2))
    late = OutgoingMail.objects.create(kind=MailKind.PROMOTED, signup=ConfirmedSignupFactory(action=over))
    cancelled = OutgoingMail.objects.create(
        kind=MailKind.CANCELLED, signup=SignupFactory(action=over, status="cancelled")
    )
    for row in (late, cancelled):
        row.next_attempt_at = timezone.now()
        row.save()
    mail.mail_send(ids=[late.pk, cancelled.pk])
    late.refresh_from_db()
    cancelled.refresh_from_db()
    assert (late.status, cancelled.status) == ("skipped", "sent")


@pytest.mark.parametrize("count", [5, 20])
def test_a_batch_reads_suppressions_once_and_costs_two_queries_a_message(action, count, django_assert_max_num_queries):
    rows = [mail.mail_queue(kind=MailKind.CONFIRM, signup=SignupFactory(action=action)) for _ in range(count)]
    # Commits without waiting for the disk (2), the claim (4), the batch and its suppressions (2); per
    # message a fresh read and "sent" (2).
    with django_assert_max_num_queries(8 + 2 * count):
        assert mail.mail_send(ids=[row.pk for row in rows]) == count
