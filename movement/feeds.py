"""Atom feeds of new actions and of outcomes, one per language (the URL's)."""

import datetime
import re

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from actions.models import Action
from actions.templatetags.movement import local_start_text
from demands.models import Outcome
from movement.markup import markdown_html

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


class ActionFeed(LocalizedAtomFeed):
    """The latest published actions, newest first: where and when, and what they are about."""

    def title(self):
        return _("New actions")

    def link(self):
        return reverse("actions:action_list")

    def items(self):
        return (
            Action.objects.published().select_related("city", "campaign").order_by("-created_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, action):
        return action.title

    def item_description(self, action):
        where = str(action.city) if action.city else _("Online")
        return paragraphs(local_start_text(action), where, markdown=action.description)

    def item_pubdate(self, action):
        return action.created_at

    def item_updateddate(self, action):
        return action.updated_at


class OutcomeFeed(LocalizedAtomFeed):
    """What the days of action won, latest first."""

    def title(self):
        return _("Outcomes")

    def link(self):
        return reverse("demands:outcome_list")

    def items(self):
        return Outcome.objects.timeline().select_related("campaign")[:FEED_LENGTH]

    def item_title(self, outcome):
        return outcome.title

    def item_description(self, outcome):
        return paragraphs(outcome.institution, markdown=outcome.description)

    def item_pubdate(self, outcome):
        return datetime.datetime.combine(outcome.date, datetime.time(), datetime.UTC) if outcome.date else None

    def item_updateddate(self, outcome):
        """Its date; while that is unknown, the end of the campaign it came from, so the entry
        (and the feed) does not look new at every poll."""
        day = outcome.date or (outcome.campaign.end_date if outcome.campaign else None)
        return datetime.datetime.combine(day, datetime.time(), datetime.UTC) if day else None
