"""common/logs.py: logs carry ids, never a volunteer's name, email or phone, nor the token of their links."""

import datetime
import io
import logging
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from actions import mail as outgoing
from actions import services
from actions.models import Signup
from common.logs import RedactTokens
from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db

NAME, EMAIL, PHONE = "Rosa Quispe Mamani", "rosa.quispe@example.org", "+52 55 1234 5678"
TRACES = [NAME, "Quispe", EMAIL, "rosa.quispe", "5512345678", "55 1234 5678"]


def link(name):
    return re.search(rf"https?://[^/\s]+(/\w\w/signups/{name}/\S+/)", mail.outbox[-1].body).group(1)


def test_a_whole_signup_and_reminder_run_logs_no_personal_data(
    client, caplog, smtp_sink, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    start = (timezone.now() + datetime.timedelta(days=2)).replace(second=0, microsecond=0)
    action = ActionFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    smtp_sink.refused.add("otra@example.org")  # a refusal quotes the address back
    with django_capture_on_commit_callbacks(execute=True):
        form = {"name": NAME, "email": EMAIL, "phone": PHONE, "language": "es", "consent": "on"}
        client.post(f"/es/actions/{action.slug}/signup/", form)
        client.post(f"/es/actions/{action.slug}/signup/", {**form, "email": "otra@example.org"})
    confirm = re.search(r"/es/signups/confirm/\S+/", smtp_sink.messages[0].get_body(("plain",)).get_content())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm.group(0))
    signup = Signup.objects.get(email=EMAIL)
    assert signup.status == "confirmed"
    with time_machine.travel(start - datetime.timedelta(hours=1), tick=False):
        outgoing.mail_dispatch()
        with django_capture_on_commit_callbacks(execute=True):
            action.venue = "Plaza"
            services.action_save(action=action)
    with django_capture_on_commit_callbacks(execute=True):
        services.signup_cancel(signup=signup, notify=True)
    assert len(smtp_sink.messages) >= 4  # confirmation, reminder, update, cancellation
    logged = "\n".join(caplog.handler.format(r) for r in caplog.records if r.name != "mail.log")  # not the sink's
    assert logged  # the run did log
    for trace in TRACES + ["otra@example.org"]:
        assert trace not in logged, trace


def test_a_token_in_a_logged_path_is_replaced():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactTokens())
    logger = logging.getLogger("tests.redact")
    logger.addHandler(handler)
    try:
        logger.warning("Not Found: %s", "/es/signups/manage/AbC123:sig-nature/")
    finally:
        logger.removeHandler(handler)
    assert stream.getvalue() == "Not Found: /es/signups/manage/…/\n"


def test_log_lines_hide_tokens_and_query_strings():
    from common.logs import QUERY, redact

    assert redact("GET /es/signups/manage/AbC:dEf HTTP/1.1") == "GET /es/signups/manage/…/ HTTP/1.1"
    assert QUERY.sub("?…", "<WSGIRequest: GET '/es/x/?email=ana@example.org'>") == "<WSGIRequest: GET '/es/x/?…'>"
