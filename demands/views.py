from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .forms import OutcomeFilterForm
from .models import Demand, Outcome

OUTCOME_PAGE_SIZE = 50  # the timeline grows with every campaign: a page of it at a time


def demand_list(request: HttpRequest) -> HttpResponse:
    """Where our demands stand: counts by status and target government, each demand linked."""
    context = {"standing": Demand.objects.standing(), "targets": Demand.Target.choices}
    return render(request, "demands/demand_list.html", context)


def demand_detail(request: HttpRequest, slug: str) -> HttpResponse:
    demand = get_object_or_404(Demand, slug=slug)
    context = {
        "demand": demand,
        "history": demand.status_changes.select_related("outcome"),
        "actions": demand.actions.published().for_listing(),
        "outcomes": demand.outcomes.timeline(),
        "campaigns": demand.campaigns.all(),
    }
    return render(request, "demands/demand_detail.html", context)


def outcome_list(request: HttpRequest) -> HttpResponse:
    form = OutcomeFilterForm(request.GET)
    page = Paginator(form.filter(Outcome.objects.timeline()), OUTCOME_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "demands/outcome_list.html", {"form": form, "page": page, "outcomes": page.object_list})


def outcome_detail(request: HttpRequest, slug: str) -> HttpResponse:
    outcome = get_object_or_404(Outcome.objects.select_related("campaign"), slug=slug)
    context = {
        "outcome": outcome,
        "demands": outcome.demands.for_listing(),
        "actions": outcome.actions.published().for_listing(),
    }
    return render(request, "demands/outcome_detail.html", context)
