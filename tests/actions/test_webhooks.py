"""actions/webhooks.py: bounces and complaints from the email provider, through anymail's tracking
webhooks at their real URLs, with the payloads the providers document (Postmark's bounce and
spam-complaint webhooks, Brevo's transactional webhook)."""

import base64
import json

import pytest
from django.core import mail as outbox

from actions import services
from actions.models import MailKind, OutgoingMail, Suppression
from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db

SECRET = "movement-hooks:Zb3c6Qm7xT"

# Postmark's documented bounce webhook payload (developer docs, "Bounce webhook"), with our address.
POSTMARK_HARD_BOUNCE = {
    "RecordType": "Bounce",
    "MessageStream": "outbound",
    "ID": 4323372036854775807,
    "Type": "HardBounce",
    "TypeCode": 1,
    "Name": "Hard bounce",
    "Tag": "Test",
    "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
    "Metadata": {"a_key": "a_value"},
    "ServerID": 23,
    "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
    "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist",
    "Email": "gone@example.org",
    "From": "sender@example.com",
    "BouncedAt": "2019-11-05T16:33:54.9070259Z",
    "DumpAvailable": True,
    "Inactive": True,
    "CanActivate": True,
    "Subject": "Test subject",
    "Content": "<Full dump of bounce>",
}
POSTMARK_SOFT_BOUNCE = {**POSTMARK_HARD_BOUNCE, "Type": "SoftBounce", "TypeCode": 4096, "Name": "Soft bounce"}
POSTMARK_SPAM_COMPLAINT = {
    **POSTMARK_HARD_BOUNCE,
    "RecordType": "SpamComplaint",
    "Type": "SpamComplaint",
    "TypeCode": 512,
    "Name": "Spam complaint",
    "Description": "",
    "Details": "Test spam complaint details",
}
# Brevo's documented transactional webhook payload for a hard bounce.
BREVO_HARD_BOUNCE = {
    "event": "hard_bounce",
    "email": "gone@example.org",
    "id": 1234,
    "date": "2020-10-09 00:00:00",
    "ts": 1604933619,
    "message-id": "<201798300811.5787683@relay.domain.com>",
    "ts_event": 1604933654,
    "subject": "My first Transactional",
    "tag": '["transactionalTag"]',
    "sending_ip": "185.41.28.109",
    "ts_epoch": 1604933654223,
    "tags": ["transactionalTag"],
    "reason": "550 5.1.1 <gone@example.org>: Recipient address rejected",
}


@pytest.fixture(autouse=True)
def _webhook_secret(settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": SECRET}


def post(client, provider, payload, credentials=SECRET):
    headers = {}
    if credentials:
        headers["authorization"] = "Basic " + base64.b64encode(credentials.encode()).decode()
    return client.post(
        f"/anymail/{provider}/tracking/", json.dumps(payload), content_type="application/json", headers=headers
    )


def test_a_postmark_hard_bounce_marks_the_address_and_a_later_signup_sends_nothing_saying_why(client, committed):
    response = post(client, "postmark", POSTMARK_HARD_BOUNCE)
    assert response.status_code == 200
    suppression = Suppression.objects.get()
    assert (suppression.address, suppression.reason, suppression.provider) == (
        "gone@example.org",
        "bounced",
        "postmark",
    )
    assert suppression.address_hash == Suppression.hash_address("Gone@Example.org")

    with committed():
        signup = services.signup_request(action=ActionFactory(), name="Ana", email="GONE@example.org", language="es")
    row = OutgoingMail.objects.get(signup=signup)
    assert row.status == OutgoingMail.Status.UNDELIVERABLE and outbox.outbox == []
    assert "Bounced for good" in row.error and "postmark" in row.error


def test_a_bounce_is_noted_on_the_message_it_answers(client, committed):
    with committed():
        signup = services.signup_request(action=ActionFactory(), name="Ana", email="gone@example.org", language="en")
    OutgoingMail.objects.filter(signup=signup).update(message_id=POSTMARK_HARD_BOUNCE["MessageID"])
    post(client, "postmark", POSTMARK_HARD_BOUNCE)
    row = OutgoingMail.objects.get(signup=signup)
    assert row.status == "sent" and row.error.startswith("bounced (postmark)") and "gone@" not in row.error


@pytest.mark.parametrize("credentials", [None, "movement-hooks:wrong"], ids=["without", "wrong"])
def test_without_the_secret_the_webhook_refuses_and_records_nothing(client, credentials):
    response = post(client, "postmark", POSTMARK_HARD_BOUNCE, credentials=credentials)
    assert response.status_code == 400
    assert not Suppression.objects.exists()


def test_without_a_configured_secret_nobody_is_believed(client, settings, monkeypatch):
    import importlib

    from movement import settings as module

    monkeypatch.delenv("ANYMAIL_WEBHOOK_SECRET", raising=False)
    settings.ANYMAIL = importlib.reload(module).ANYMAIL  # as a server without ANYMAIL_WEBHOOK_SECRET starts
    for credentials in (None, "unset:", "anymail:anymail"):
        assert post(client, "postmark", POSTMARK_HARD_BOUNCE, credentials=credentials).status_code == 400
    assert not Suppression.objects.exists()


def test_a_spam_complaint_marks_the_address(client):
    assert post(client, "postmark", POSTMARK_SPAM_COMPLAINT).status_code == 200
    assert Suppression.objects.get().reason == "complained"


def test_a_soft_bounce_changes_nothing(client):
    assert post(client, "postmark", POSTMARK_SOFT_BOUNCE).status_code == 200
    assert not Suppression.objects.exists()


def test_a_brevo_hard_bounce_marks_the_address_with_its_reason_masked(client):
    assert post(client, "brevo", BREVO_HARD_BOUNCE).status_code == 200
    suppression = Suppression.objects.get()
    assert (suppression.reason, suppression.provider) == ("bounced", "brevo")
    assert "550 5.1.1" in suppression.detail and "gone@example.org" not in suppression.detail


def test_the_same_bounce_twice_keeps_one_row(client):
    post(client, "postmark", POSTMARK_HARD_BOUNCE)
    post(client, "postmark", POSTMARK_SPAM_COMPLAINT)
    assert Suppression.objects.count() == 1 and Suppression.objects.get().reason == "bounced"


def test_deleting_the_suppression_lets_mail_go_again(client, committed):
    post(client, "postmark", POSTMARK_HARD_BOUNCE)
    Suppression.objects.all().delete()
    with committed():
        signup = services.signup_request(action=ActionFactory(), name="Ana", email="gone@example.org", language="en")
    assert OutgoingMail.objects.get(signup=signup, kind=MailKind.CONFIRM).status == "sent"


@pytest.mark.parametrize("body", ["not json", "[]", "null", "[1, 2]", '"s"', '{"x": 1}'])
def test_a_body_the_webhook_cannot_read_is_refused_or_ignored_never_a_500(client, body):
    auth = "Basic " + base64.b64encode(SECRET.encode()).decode()
    for provider in ("postmark", "brevo", "sendgrid"):
        response = client.post(
            f"/anymail/{provider}/tracking/", body, content_type="application/json", headers={"authorization": auth}
        )
        assert response.status_code < 500, (provider, body)  # an empty list or an unknown event may be accepted
        if body == "not json":
            assert response.status_code == 400, provider
    assert not Suppression.objects.exists()


def test_a_provider_this_site_is_not_set_up_for_is_a_404(client):
    # Mailgun's webhook needs its signing key, Amazon SES's needs boto3: neither is configured here.
    for provider in ("mailgun", "amazon_ses"):
        assert post(client, provider, {"event-data": {}}).status_code == 404, provider


def test_an_amazon_ses_transient_bounce_changes_nothing():
    from anymail.signals import AnymailTrackingEvent, EventType, RejectReason

    from actions.webhooks import suppression_reason

    def event(bounce_type):
        raw = {"notificationType": "Bounce", "bounce": {"bounceType": bounce_type}}
        return AnymailTrackingEvent(
            event_type=EventType.BOUNCED, reject_reason=RejectReason.BOUNCED, recipient="a@example.org", esp_event=raw
        )

    assert [suppression_reason(event(kind)) for kind in ("Transient", "Undetermined", "Permanent")] == [
        None,
        None,
        "bounced",
    ]


def test_a_quoted_spelling_of_a_suppressed_address_is_suppressed_too(client):
    post(client, "postmark", POSTMARK_HARD_BOUNCE)
    assert Suppression.hash_address('"gone"@example.org') == Suppression.objects.get().address_hash
