"""Template helpers shared by every public page: times in an action's zone, the language switch."""

import datetime
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from actions.calendar import where
from actions.localtime import zoned_text
from movement.markup import markdown_html, markdown_text
from movement.site import absolute_url

register = template.Library()


def local_start_text(action) -> str:
    """When `action` starts, in its own zone: "June 30, 2023, 6:00 PM CDT", or the date alone and
    "time to be announced"."""
    if action.time_to_be_announced:
        return _("%(date)s, time to be announced") % {"date": date_format(action.local_starts_at, "DATE_FORMAT")}
    return zoned_text(action.local_starts_at)


def relative_start_text(action, now) -> str:
    """When `action` starts, seen from `now` (aware), for a subject line: "tomorrow 6:00 PM CST",
    "hoy 18:00 CST", "June 30, 6:00 PM CDT"; "tomorrow, time to be announced"."""
    local = action.local_starts_at
    days = (local.date() - now.astimezone(action.zone).date()).days
    day = {0: _("today"), 1: _("tomorrow")}.get(days)
    if action.time_to_be_announced:
        return _("%(day)s, time to be announced") % {"day": day or date_format(local, "MONTH_DAY_FORMAT")}
    if day:
        return f"{day} {zoned_text(local, with_date=False)}"
    return f"{date_format(local, 'MONTH_DAY_FORMAT')}, {zoned_text(local, with_date=False)}"


def _span(start, end) -> list[tuple[str, str]]:
    """[(ISO 8601, text)] for a start and an end, aware and already in the zone to show; the end's
    date only if it differs."""
    return [
        (start.isoformat(), zoned_text(start)),
        (end.isoformat(), zoned_text(end, with_date=start.date() != end.date())),
    ]


def span_text(start, end) -> str:
    """A start and an end (aware, in the zone to show): "June 30, 2023, 6:00 PM CDT – 8:00 PM CDT"."""
    return " – ".join(text for _iso, text in _span(start, end))


def _when(action) -> list[tuple[str, str]]:
    """[(ISO 8601, text)] for the start and, when a time is known, the end, in the action's zone."""
    if action.time_to_be_announced:
        return [(action.local_starts_at.date().isoformat(), local_start_text(action))]
    return _span(action.local_starts_at, action.local_ends_at)


@register.simple_tag
def action_when(action) -> str:
    """The action's date and times in its own zone with the zone's abbreviation, as <time> elements.

    "June 30, 2023, 6:00 PM CDT – 8:00 PM CDT"; "30 de junio de 2023, hora por anunciar" when only the
    date is known.
    """
    return format_html_join(" – ", '<time datetime="{}">{}</time>', _when(action))


@register.simple_tag
def action_when_text(action) -> str:
    """action_when as plain text, for emails."""
    return " – ".join(text for _iso, text in _when(action))


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


@register.simple_tag(takes_context=True)
def language_versions(context) -> list[dict]:
    """This page in every language: [{"code", "name", "url", "current"}], urls root-relative.

    A path that does not resolve (a 404 page) keeps its rest and swaps only the language prefix.
    """
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = translation.get_language()
    versions = []
    for code, name in settings.LANGUAGES:
        url = translate_url(path, code)
        if url == path and code != current and path.startswith(f"/{current}/"):
            url = f"/{code}/{path[len(current) + 2 :]}"
        elif not url.startswith(f"/{code}/"):
            url = f"/{code}/"
        versions.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "current": code == current,
            }
        )
    return versions


@register.simple_tag
def fallback_lang(obj, field: str) -> str:
    """` lang="en"` where `obj.<field>` is shown in another language than the page's (its own text is
    empty and modeltranslation fell back), so that screen readers pronounce it right; else ""."""
    current = translation.get_language()
    if getattr(obj, build_localized_fieldname(field, current), None):
        return ""
    for code, _name in settings.LANGUAGES:
        if code != current and getattr(obj, build_localized_fieldname(field, code), None):
            return format_html(' lang="{}"', code)
    return ""


@register.filter
def markdown(text: str):
    """An organizer's Markdown description as sanitized HTML (movement.markup)."""
    return markdown_html(text)


@register.filter
def markdown_plain(text: str) -> str:
    """An organizer's Markdown description as plain text, for plain-text emails and meta tags."""
    return markdown_text(text)


class CaptureNode(template.Node):
    child_nodelists = ("nodelist",)  # so that blocks inside stay overridable by child templates

    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        # Rendered, so already escaped; on one line, as meta tags want it.
        context[self.name] = mark_safe(" ".join(self.nodelist.render(context).split()))
        return ""


@register.tag
def capture(parser, token):
    """`{% capture as name %}...{% endcapture %}`: render the content once into `name`, so that a
    page's title and description blocks can fill several meta tags."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}...{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


OPEN_GRAPH_LOCALES = {"en": "en_US", "es": "es_MX"}


@register.simple_tag
def open_graph_locales() -> dict:
    """{"locale": "es_MX", "alternates": ["en_US"]}: the page's Open Graph locale and the others."""
    current = translation.get_language()
    return {
        "locale": OPEN_GRAPH_LOCALES[current],
        "alternates": [OPEN_GRAPH_LOCALES[code] for code, _name in settings.LANGUAGES if code != current],
    }


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """This page's address on the public site (SITE_URL), without its query string."""
    return absolute_url(context["request"].path)
