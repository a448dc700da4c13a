"""The Atom feed of outcomes, per language."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from common.feeds import FEED_LENGTH, LocalizedAtomFeed, paragraphs

from .models import Outcome


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
