"""Organizers write descriptions in Markdown. They reach pages, feeds, emails and calendars only
through these two functions, which keep links and emphasis and drop anything that could run: script
and style elements, event-handler attributes, and links other than http(s), mailto and relative
(made absolute, so that they work in an email or on a partner's site)."""

import functools
import html
import re
from urllib.parse import urljoin

import markdown as markdown_lib
import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

ALLOWED_TAGS = {"p", "br", "a", "strong", "b", "em", "i", "ul", "ol", "li", "blockquote", "code", "pre", "h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Python-Markdown's time grows with the square of some nestings ("[[[…]]]"): 5,000 characters
# render in under a second, and each text is rendered once per process (cached).
MAX_LENGTH = 5000
MARKDOWN_HELP = _("Markdown: **bold**, *italic*, [a link](https://example.org), a blank line between paragraphs.")


def markdown_html(text: str) -> SafeString:
    """`text` (Markdown; a single newline is a line break) as sanitized HTML, safe to put in a page
    as is. Headings deeper than the page's own (h3, h4) stay; others become plain text. Text too
    deeply nested for the Markdown parser is shown as plain paragraphs."""
    return mark_safe(_render(text or "", settings.SITE_URL))


@functools.lru_cache(maxsize=2048)
def _render(text: str, site_url: str) -> str:
    try:
        rendered = markdown_lib.markdown(text, extensions=["nl2br", "sane_lists"])
    except RecursionError:
        return linebreaks(escape(text))

    def absolute_links(tag, attribute, value):
        return urljoin(site_url, value) if attribute == "href" and value.startswith("/") else value

    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        attribute_filter=absolute_links,
    )


def markdown_text(text: str) -> str:
    """`text` (Markdown) as plain text without any markup, for plain-text emails, calendars and
    meta descriptions: a link's address follows its text in brackets ("the map (https://…)"), so
    that it is not lost. Not escaped: escape it where it goes into HTML."""
    spelled_out = LINK.sub(_link_as_text, markdown_html(text))
    stripped = nh3.clean(spelled_out.replace("</p>", "</p>\n"), tags=set())
    return html.unescape(stripped).strip()


# A link in markdown_html's output, whose attributes nh3 wrote: href first, then rel.
LINK = re.compile(r'<a href="([^"]*)"[^>]*>(.*?)</a>', re.DOTALL)


def _link_as_text(match: re.Match) -> str:
    address, words = match.groups()
    shown = html.unescape(nh3.clean(words, tags=set())).strip()
    target = html.unescape(address)
    if shown in (target, target.removeprefix("mailto:")) or not target:
        return words
    return f"{words} ({address})"


def valid_markdown(text: str) -> None:
    """Model validator for descriptions: raises ValidationError for text longer than MAX_LENGTH
    characters, or nested too deeply for the Markdown parser (a list inside a list, 500 deep)."""
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            _("Keep it under %(max)s characters (it has %(length)s)."),
            code="max_length",
            params={"max": MAX_LENGTH, "length": len(text)},
        )
    try:
        markdown_lib.markdown(text, extensions=["nl2br", "sane_lists"])
    except RecursionError:
        raise ValidationError(_("This text is nested too deeply; simplify its lists."), code="nesting") from None
