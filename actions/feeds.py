"""The Atom feed of new actions, per language."""

from django.urls import reverse
from django.utils.translation import gettext as _

from common.feeds import FEED_LENGTH, LocalizedAtomFeed, paragraphs

from .localtime import local_start_text
from .models import Action


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
