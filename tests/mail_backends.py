"""Email backends that fail the way a real send can, for tests of what happens then."""

from celery.exceptions import SoftTimeLimitExceeded
from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend

from actions.models import Action


class OutOfTimeBackend(BaseEmailBackend):
    """Every send runs into the task's soft time limit, as a stalled SMTP server would make it."""

    def send_messages(self, email_messages):
        raise SoftTimeLimitExceeded()


class CancelsTheActionBackend(locmem.EmailBackend):
    """Delivers to mail.outbox; after the first message, the action is cancelled, as an organizer
    might while a batch is under way."""

    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        Action.objects.update(status=Action.Status.CANCELLED)
        return sent


class MovesTheVenueBackend(locmem.EmailBackend):
    """Delivers to mail.outbox; after the first message, an organizer saves a new venue and one
    volunteer cancels, while the batch is under way."""

    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        for action in Action.objects.exclude(venue="Plaza Nueva"):
            action.venue = "Plaza Nueva"
            action.save()
            action.signups.filter(name="Leaves").update(status="cancelled")
        return sent


class RefusesTheRecipientBackend(BaseEmailBackend):
    """The provider's API refuses every recipient (an address on its suppression list), as anymail
    reports it."""

    def send_messages(self, email_messages):
        from anymail.exceptions import AnymailRecipientsRefused

        raise AnymailRecipientsRefused("Postmark API response 422: inactive recipient")


class CannotConnectBackend(BaseEmailBackend):
    """No connection can even be opened: a provider with a wrong key, a mail server that is not there."""

    def open(self):
        raise ConnectionRefusedError("the provider is not reachable")

    def send_messages(self, email_messages):
        self.open()
