"""The frozen clock of the reminder tests: an action starting at START (the `vigil` fixture in
tests/actions/conftest.py), a dispatch at any moment, and the reminders that went out."""

import datetime

import time_machine
from django.core import mail

from actions import mail as outgoing
from actions.models import Reminder
from tests.factories import local

MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)
START = local(2027, 5, 20, 18, 0, "America/Mexico_City")  # Thursday, 18:00 CST (UTC-6, no DST)


def record(signup, **fields):
    """A reminder row, 2 hours before the signup's action, as a dispatch would have made it."""
    return Reminder.objects.create(
        signup=signup, minutes_before=120, action_starts_at=signup.action.starts_at, **fields
    )


def dispatch_at(moment):
    with time_machine.travel(moment, tick=False):
        return outgoing.mail_dispatch()


def reminder_mail():
    return [m for m in mail.outbox if m.subject.startswith(("Reminder", "Recordatorio"))]
