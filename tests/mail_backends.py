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
