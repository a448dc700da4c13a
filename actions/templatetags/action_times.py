"""Template tags for an action's times and calendar link ({% load action_times %})."""

import datetime
from urllib.parse import urlencode

from django import template
from django.utils.html import format_html_join

from ..calendar import where
from ..localtime import when_parts

register = template.Library()


@register.simple_tag
def action_when(action) -> str:
    """The action's date and times in its own zone with the zone's abbreviation, as <time> elements.

    "June 30, 2023, 6:00 PM CDT – 8:00 PM CDT"; "30 de junio de 2023, hora por anunciar" when only the
    date is known.
    """
    return format_html_join(" – ", '<time datetime="{}">{}</time>', when_parts(action))


@register.simple_tag
def action_when_text(action) -> str:
    """action_when as plain text, for emails."""
    return " – ".join(text for _iso, text in when_parts(action))


@register.simple_tag(takes_context=True)
def google_calendar_url(context, action) -> str:
    """A link that opens Google Calendar with `action` filled in (the visitor follows it; the page
    loads nothing from Google). Times in UTC; a whole day when the time is to be announced."""
    request = context["request"]
    if action.time_to_be_announced:
        day = action.local_starts_at.date()
        dates = f"{day:%Y%m%d}/{day + datetime.timedelta(days=1):%Y%m%d}"
    else:
        start, end = (moment.astimezone(datetime.UTC) for moment in (action.starts_at, action.ends_at))
        dates = f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}"
    query = {
        "action": "TEMPLATE",
        "text": action.title,
        "dates": dates,
        "details": request.build_absolute_uri(action.get_absolute_url()),
        "location": where(action, show_meeting_link=False),
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)
