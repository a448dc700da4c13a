"""Emails to volunteers, each rendered in the volunteer's own language and the action's time zone,
and their delivery over one SMTP connection per batch."""

import datetime
import logging
import re
import smtplib
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from common.site import absolute_url

from .calendar import action_ics
from .localtime import relative_start_text, span_text
from .models import Action, OutgoingMail, Signup
from .tokens import confirm_token, manage_token

logger = logging.getLogger(__name__)

# confirm: a new signup's confirmation link; existing: the address signed up already, here is its
# manage link; promoted: a seat came free for a waitlisted volunteer; cancelled: an organizer
# cancelled the signup.
SIGNUP_EMAIL_KINDS = ("confirm", "existing", "promoted", "cancelled")

# What an update email says changed (see services.action_changes): when, where, the meeting link;
# or the whole action was cancelled, or reinstated after a cancellation.
ACTION_CHANGES = ("time", "place", "meeting_link", "cancelled", "reinstated")


class NotWanted(Exception):
    """Raised while building an email that should no longer be sent; deliver() passes it on."""


class MailError(Exception):
    """A message could not be sent. Its text (see describe_error) names no address, so it may be
    logged."""


def describe_error(error: Exception) -> str:
    """`error` as text for logs and the admin, at most 1,000 characters: its type, and for an SMTP
    error the server's codes and replies, with any email address (servers often quote the
    recipient's) replaced by "<address>"."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        detail = "; ".join(f"{code} {_text(reply)}" for code, reply in error.recipients.values())
    elif isinstance(error, smtplib.SMTPResponseException):
        detail = f"{error.smtp_code} {_text(error.smtp_error)}"
    else:
        detail = str(error)
    return mask_addresses(f"{type(error).__name__}: {detail}")


def mask_addresses(text: str) -> str:
    """`text` with anything shaped like an email address replaced by "<address>", at most 1,000
    characters: what may be logged or kept of an error."""
    return ADDRESS.sub("<address>", text)[:1000]


# Anything shaped like an email address, with or without its angle brackets, or URL-encoded (%40).
ADDRESS = re.compile(r"<?[^\s<>@]+(?:@|%40)[^\s<>]+>?")


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply


def _email(
    signup: Signup, template: str, context: dict, *, with_calendar: bool = False, calendars: dict | None = None
) -> EmailMultiAlternatives:
    """`template` ("signup", "reminder", "update") rendered for `signup` in the volunteer's language:
    subject, plain text and HTML, and with `with_calendar` an .ics of the action, taken from
    `calendars` (a dict kept across a batch's messages) when an equal one was built before."""
    action = signup.action
    with translation.override(signup.language):
        context = {**signup_email_context(signup), **context}
        subject = " ".join(render_to_string(f"actions/email/{template}_subject.txt", context).split())
        text = render_to_string(f"actions/email/{template}.txt", context)
        html = render_to_string(f"actions/email/{template}.html", context)
        ics = with_calendar and _calendar(
            action, context["action_url"], signup.is_confirmed, {} if calendars is None else calendars
        )
    message = EmailMultiAlternatives(subject, text, to=[signup.email])
    message.attach_alternative(html, "text/html")
    if ics:
        message.attach("action.ics", ics, "text/calendar")
    return message


def signup_email_context(signup: Signup) -> dict:
    """What every email to a volunteer shows: the signup, its action, the action's page and the
    volunteer's manage page (links in the active language)."""
    return {
        "signup": signup,
        "action": signup.action,
        "action_url": absolute_url(signup.action.get_absolute_url()),
        "manage_url": absolute_url(reverse("actions:signup_manage", kwargs={"token": manage_token(signup)})),
    }


def _calendar(action: Action, url: str, show_meeting_link: bool, calendars: dict) -> bytes:
    key = (action.pk, action.updated_at, action.starts_at, action.status, url, show_meeting_link)
    if key not in calendars:
        calendars[key] = action_ics(action, url=url, show_meeting_link=show_meeting_link)
    return calendars[key]


def signup_email(signup: Signup, kind: str) -> EmailMultiAlternatives:
    """The `kind` email (one of SIGNUP_EMAIL_KINDS) for `signup`. Raises ValueError for another kind."""
    if kind not in SIGNUP_EMAIL_KINDS:
        raise ValueError(f"unknown signup email {kind!r}")
    with translation.override(signup.language):  # the link opens the page in the volunteer's language
        confirm_url = absolute_url(reverse("actions:signup_confirm", kwargs={"token": confirm_token(signup)}))
    context = {"kind": kind, "confirm_url": confirm_url, "confirm_hours": settings.SIGNUP_CONFIRM_HOURS}
    return _email(signup, "signup", context)


def reminder_email(reminder: OutgoingMail, calendars: dict | None = None) -> EmailMultiAlternatives:
    """The reminder (an OutgoingMail of kind reminder) before the action: "Recordatorio: Vigilia en
    Tapachula, mañana 18:00 CST". `calendars`: see _email. Raises ValueError without a signup."""
    signup = reminder.signup
    if signup is None:
        raise ValueError("a reminder is written to a signup")
    with translation.override(signup.language):
        when = relative_start_text(signup.action, timezone.now())
    return _email(signup, "reminder", {"when": when}, with_calendar=True, calendars=calendars)


def previous_times(action: Action) -> dict:
    """What an update email needs of an action's old times, as JSON: ISO 8601 start and end, whether
    the time was to be announced, and the zone volunteers were shown them in."""
    return {
        "starts_at": action.starts_at.isoformat(),
        "ends_at": action.ends_at.isoformat(),
        "time_to_be_announced": action.time_to_be_announced,
        "time_zone": action.zone.key,
    }


def _previous_when(previous: dict | None) -> str | None:
    """The old times (see previous_times) as volunteers were shown them, or None if not known."""
    if not previous or previous["time_to_be_announced"]:
        return None
    zone = zoneinfo.ZoneInfo(previous["time_zone"])
    start, end = (datetime.datetime.fromisoformat(previous[name]).astimezone(zone) for name in ("starts_at", "ends_at"))
    return span_text(start, end)


def action_update_email(
    signup: Signup, *, changes: Iterable[str], previous: dict | None = None
) -> EmailMultiAlternatives:
    """What the organizers changed (some of ACTION_CHANGES) and the action as it is now; when the
    time changed, the old times too (`previous`, see previous_times). A volunteer who is not
    confirmed is not told of the meeting link. Raises ValueError for an unknown change."""
    changes = list(changes)
    if unknown := set(changes) - set(ACTION_CHANGES):
        raise ValueError(f"unknown action changes {sorted(unknown)}")
    if not signup.is_confirmed:
        changes = [change for change in changes if change != "meeting_link"]
    with translation.override(signup.language):
        when = relative_start_text(signup.action, timezone.now())
        before = _previous_when(previous) if "time" in changes else None
    context = {"changes": changes, "previous_when": before, "when": when}
    return _email(signup, "update", context, with_calendar=True)


T = TypeVar("T")


def deliver(
    items: Iterable[T], build: Callable[[T], EmailMultiAlternatives]
) -> Iterator[tuple[T, Exception | None, str]]:
    """Build and send one email per item over one connection to the mail server or provider, yielding
    (item, None, the provider's message id or "") once sent or (item, the error, "") when building or
    sending failed (NotWanted: `build` declined). After a failure the connection is opened again, so
    one bad address or dropped connection does not fail the rest."""
    connection = get_connection()
    try:
        for item in items:
            try:
                connection.open()  # reuses the open connection; opens again after a failure
                message = build(item)
                sent = connection.send_messages([message])
                if not sent:
                    raise ConnectionError("the mail backend sent nothing")
            except SoftTimeLimitExceeded:
                raise
            except NotWanted as declined:
                yield item, declined, ""
            except Exception as error:  # noqa: BLE001 - any failure is this item's, recorded by the caller
                _close_quietly(connection)
                yield item, error, ""
            else:
                yield item, None, _message_id(message)
    finally:
        _close_quietly(connection)


def _message_id(message: EmailMultiAlternatives) -> str:
    """The provider's id of a sent message (django-anymail backends set it), else ""."""
    status = getattr(message, "anymail_status", None)
    return (status and status.message_id) or ""


def _close_quietly(connection) -> None:
    try:
        connection.close()
    except Exception:  # noqa: BLE001 - a connection that is already broken has nothing left to close
        logger.debug("closing the mail connection failed", exc_info=True)
