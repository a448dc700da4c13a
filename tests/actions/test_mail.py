"""The outgoing-mail pipeline: every email a row, queued after commit, claimed, sent once, retried
with one backoff, visible and sendable again in the admin, erased with the volunteer's data."""

import datetime
import socket

import pytest
import time_machine
from django.core import mail as outbox
from django.urls import reverse
from django.utils import timezone

from actions import mail, services
from actions.models import MailKind, OutgoingMail, Signup, Suppression
from tests.factories import ActionFactory, ConfirmedSignupFactory, SignupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...` runs what the block queued for after the commit, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


MINUTE = datetime.timedelta(minutes=1)


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
    assert OutgoingMail.objects.filter(signup=first).count() == 1
    with time_machine.travel(start + (settings.SIGNUP_RESEND_MINUTES + 1) * MINUTE, tick=False):
        sign_up(action)
    assert list(OutgoingMail.objects.filter(signup=first).values_list("kind", flat=True)) == ["confirm", "confirm"]


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


def test_the_admin_lists_mail_by_kind_and_status_and_sends_failed_mail_again(admin_client, action):
    failed = OutgoingMail.objects.create(
        kind=MailKind.PROMOTED,
        signup=ConfirmedSignupFactory(action=action),
        status="failed",
        attempts=8,
        error="SMTPServerDisconnected: gone",
    )
    OutgoingMail.objects.create(kind=MailKind.CONFIRM, signup=SignupFactory(action=action), status="sent")
    url = reverse("admin:actions_outgoingmail_changelist")
    html = admin_client.get(url + "?kind__exact=promoted&status__exact=failed", headers={"accept-language": "es"})
    html = html.content.decode()
    assert "SMTPServerDisconnected: gone" in html and "Fallido" in html
    assert "Enlace de confirmación" not in html  # the other kind is filtered out
    response = admin_client.post(url, {"action": "retry", "_selected_action": [failed.pk]})
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.error) == ("queued", 0, "")
    mail.mail_dispatch()
    failed.refresh_from_db()
    assert failed.status == "sent" and len(outbox.outbox) == 1


def test_the_admin_list_does_not_grow_its_queries_with_rows(admin_client, django_assert_max_num_queries):
    for _ in range(30):
        OutgoingMail.objects.create(kind=MailKind.CONFIRM, signup=SignupFactory(), status="sent")
    with django_assert_max_num_queries(12):
        assert admin_client.get(reverse("admin:actions_outgoingmail_changelist")).status_code == 200
