"""iCalendar (RFC 5545) files for actions, built with the icalendar library."""

import datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Action


def action_uid(action: Action) -> str:
    """The event's identity across every file sent for it, so calendars update it in place."""
    return f"action-{action.pk}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}"


def where(action: Action, *, show_meeting_link: bool) -> str:
    """Venue, address and city; online, the meeting link if it may be shown, else "Online"."""
    if action.city is None:
        return action.online_url if show_meeting_link and action.online_url else _("Online")
    return ", ".join(filter(None, [action.venue, action.address, str(action.city)]))


def action_ics(action: Action, *, url: str, show_meeting_link: bool, now: datetime.datetime | None = None) -> bytes:
    """One VEVENT for `action` in the active language: start and end in UTC (a date alone when the
    time is to be announced), its place, its page `url`; STATUS:CANCELLED once cancelled.

    SEQUENCE is the last change's Unix time, so a later file replaces an earlier one."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//movement//actions//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", action_uid(action))
    event.add("dtstamp", now or timezone.now())
    event.add("sequence", int(action.updated_at.timestamp()) if action.updated_at else 0)
    if action.time_to_be_announced:
        event.add("dtstart", action.local_starts_at.date())
    else:
        event.add("dtstart", action.starts_at.astimezone(datetime.UTC))
        event.add("dtend", action.ends_at.astimezone(datetime.UTC))
    event.add("summary", action.title)
    event.add("location", where(action, show_meeting_link=show_meeting_link))
    event.add("url", url)
    event.add("status", "CANCELLED" if action.is_cancelled else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()
