"""The read vocabulary of hosting: what public pages show of hosts' reports."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self, TypedDict

from django.db import models
from django.db.models.functions import Coalesce

if TYPE_CHECKING:  # models.py imports this module: the models are named here for the checker only
    from actions.models import Campaign

    from .models import ActionReport


class ReportTotals(TypedDict):
    actions_held: int  # actions with a report
    people: int  # the sum of their hosts' turnout estimates


class ActionReportQuerySet(models.QuerySet["ActionReport"]):
    def held(self) -> Self:
        """Reports of actions that took place as published: not drafts, not cancelled."""
        from actions.models import Action

        return self.filter(action__status=Action.Status.PUBLISHED)

    def for_campaign(self, campaign: Campaign) -> Self:
        return self.filter(action__campaign=campaign)

    def totals(self) -> ReportTotals:
        """How many actions these reports cover, and how many people they say came, in one
        aggregate query: {"actions_held": int, "people": int}, zeros when there are none."""
        counted = self.aggregate(
            actions_held=models.Count("action_id", distinct=True),
            people=Coalesce(models.Sum("turnout"), 0),
        )
        return {"actions_held": counted["actions_held"], "people": counted["people"]}


def campaign_totals(campaign: Campaign) -> ReportTotals:
    """What the hosts of `campaign`'s actions reported, for its page and for an outcome to cite:
    "actions_held", its published actions that have a report, and "people", the sum of those
    reports' turnout (hosts' estimates, not a count). One query."""
    from .models import ActionReport

    return ActionReport.objects.held().for_campaign(campaign).totals()
