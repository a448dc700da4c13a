"""Organizers write descriptions in Markdown. They reach pages, feeds, emails and calendars only
through these two functions, which keep links and emphasis and drop anything that could run: script
and style elements, event-handler attributes, and links other than http(s), mailto and relative."""

import html

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

ALLOWED_TAGS = {"p", "br", "a", "strong", "b", "em", "i", "ul", "ol", "li", "blockquote", "code", "pre", "h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
MARKDOWN_HELP = _("Markdown: **bold**, *italic*, [a link](https://example.org), a blank line between paragraphs.")


def markdown_html(text: str) -> SafeString:
    """`text` (Markdown; a single newline is a line break) as sanitized HTML, safe to put in a page
    as is. Headings deeper than the page's own (h3, h4) stay; others become plain text."""
    rendered = markdown_lib.markdown(text or "", extensions=["nl2br", "sane_lists"])
    return mark_safe(
        nh3.clean(
            rendered,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel="noopener noreferrer nofollow",
        )
    )


def markdown_text(text: str) -> str:
    """`text` (Markdown) as plain text without any markup, for plain-text emails, calendars and
    meta descriptions. Not escaped: escape it where it goes into HTML."""
    stripped = nh3.clean(markdown_html(text).replace("</p>", "</p>\n"), tags=set())
    return html.unescape(stripped).strip()
