"""actions/management/commands/: what cron or an operator runs (send_due_reminders)."""

import pytest
import time_machine
from django.core.management import call_command

from tests.actions.clock import HOUR, START, reminder_mail
from tests.factories import ConfirmedSignupFactory

pytestmark = pytest.mark.django_db


def test_the_send_due_reminders_command_runs_one_dispatch(vigil, capsys):
    ConfirmedSignupFactory(action=vigil)
    with time_machine.travel(START - HOUR, tick=False):
        call_command("send_due_reminders")
    assert "1 reminders newly due, 1 emails handed to workers" in capsys.readouterr().out
    assert len(reminder_mail()) == 1
