"""What every Atom feed of the site shares: one per language (the URL's), an author, text safe in XML.
The feeds themselves live in the apps whose rows they list."""

import re

from django.contrib.syndication.views import Feed
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from .markup import markdown_html

FEED_LENGTH = 50
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def paragraphs(*parts: str, markdown: str = "") -> str:
    """Non-empty `parts` as escaped HTML paragraphs, then the `markdown` description sanitized (Atom
    summaries are HTML)."""
    return linebreaks("\n\n".join(filter(None, parts)), autoescape=True) + markdown_html(markdown)


class LocalizedAtomFeed(Feed):
    feed_type = Atom1Feed

    def author_name(self):
        return _("People’s Movement for Peace and Justice")

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["language"] = translation.get_language()  # the URL's, not LANGUAGE_CODE
        for item in feed.items:
            # A control character pasted into a title (a vertical tab from a word processor) would
            # make the whole feed unwritable: XML 1.0 has no place for it.
            item.update({key: NOT_IN_XML.sub("", value) for key, value in item.items() if isinstance(value, str)})
        return feed
