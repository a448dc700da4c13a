"""What public pages of the actions app show of hosting, loaded from their templates so that the
actions app need not know this one: `{% load hosting %}`."""

from django import template
from django.db.models import Prefetch

from actions.models import Action, Campaign

from ..models import ActionReport, ReportPhoto
from ..querysets import ReportTotals
from ..querysets import campaign_totals as totals_of

register = template.Library()


@register.simple_tag
def action_report(action: Action) -> ActionReport | None:
    """`{% action_report action as report %}`: the hosts' report with its photos (not their bytes),
    in one query and one more when there is a report; None without one."""
    photos = Prefetch("photos", queryset=ReportPhoto.objects.defer("image"))
    return ActionReport.objects.filter(action=action).prefetch_related(photos).first()


@register.simple_tag
def campaign_totals(campaign: Campaign) -> ReportTotals:
    """`{% campaign_totals campaign as totals %}`: see hosting.querysets.campaign_totals."""
    return totals_of(campaign)
