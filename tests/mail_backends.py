"""Email backends that fail the way a real send can, for tests of what happens then."""

from celery.exceptions import SoftTimeLimitExceeded
from django.core.mail.backends.base import BaseEmailBackend


class OutOfTimeBackend(BaseEmailBackend):
    """Every send runs into the task's soft time limit, as a stalled SMTP server would make it."""

    def send_messages(self, email_messages):
        raise SoftTimeLimitExceeded()
