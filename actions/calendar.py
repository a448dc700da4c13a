"""iCalendar (RFC 5545) files for actions, built with the icalendar library."""

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from common.markup import markdown_text

from .models import Action


def action_uid(action: Action) -> str:
    """The event's identity across every file sent for it, so calendars update it in place."""
    return f"action-{action.pk}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}"


def where(action: Action, *, show_meeting_link: bool) -> str:
    """Venue, address and city; online, the meeting link if it may be shown, else "Online"."""
    if action.city is None:
        return action.online_url if show_meeting_link and action.online_url else _("Online")
    return ", ".join(filter(None, [action.venue, action.address, str(action.city)]))


def _event(action: Action, *, url: str, show_meeting_link: bool, now: datetime.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", action_uid(action))
    event.add("dtstamp", now)
    event.add("sequence", int(action.updated_at.timestamp()) if action.updated_at else 0)
    if action.time_to_be_announced:
        event.add("dtstart", action.local_starts_at.date())
    else:
        event.add("dtstart", action.starts_at.astimezone(datetime.UTC))
        event.add("dtend", action.ends_at.astimezone(datetime.UTC))
    event.add("summary", action.title)
    if action.description:
        event.add("description", markdown_text(action.description))
    event.add("location", where(action, show_meeting_link=show_meeting_link))
    event.add("url", url)
    event.add("status", "CANCELLED" if action.is_cancelled else "CONFIRMED")
    return event


def calendar_ics(actions: Iterable[Action], *, url_for, name: str = "", show_meeting_link: bool = False) -> bytes:
    """A calendar of `actions`, one VEVENT each, in the active language: start and end in UTC (a date
    alone when the time is to be announced), the place, the page (`url_for(action)`, absolute);
    STATUS:CANCELLED once cancelled. `name` titles a calendar to subscribe to.

    SEQUENCE is the last change's Unix time, so a later file replaces an earlier one. Escaping and
    75-octet line folding are the icalendar library's."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//movement//actions//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    now = timezone.now()
    for action in actions:
        calendar.add_component(_event(action, url=url_for(action), show_meeting_link=show_meeting_link, now=now))
    return calendar.to_ical()


def action_ics(action: Action, *, url: str, show_meeting_link: bool) -> bytes:
    """The calendar of one action (see calendar_ics), for an email or the action's page."""
    return calendar_ics([action], url_for=lambda _action: url, show_meeting_link=show_meeting_link)
