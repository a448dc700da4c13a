from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from demands.models import Demand, Outcome

from .forms import ActionFilterForm
from .models import Action, Campaign, City

PAGE_SIZE = 20


def action_list(request):
    form = ActionFilterForm(request.GET)
    actions = form.filter(Action.objects.published().for_listing())
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "actions/action_list.html", {"form": form, "page": page})


def action_detail(request, slug):
    action = get_object_or_404(Action.objects.published().select_related("city", "campaign"), slug=slug)
    context = {
        "action": action,
        "hosts": action.hosts.all(),
        "demands": action.demands.for_listing(),
        "outcomes": action.outcomes.timeline(),
    }
    return render(request, "actions/action_detail.html", context)


def city_detail(request, slug):
    city = get_object_or_404(City, slug=slug)
    actions = city.actions.published().for_listing()
    context = {"city": city, "upcoming": actions.upcoming(), "past": actions.past().order_by("-starts_at")}
    return render(request, "actions/city_detail.html", context)


def campaign_list(request):
    return render(request, "actions/campaign_list.html", {"campaigns": Campaign.objects.all()})


def campaign_detail(request, slug):
    campaign = get_object_or_404(Campaign, slug=slug)
    actions = campaign.actions.published().for_listing().order_by("city__country", "city__name", "starts_at", "pk")
    context = {
        "campaign": campaign,
        "actions": actions,
        "demands": campaign.demands.for_listing(),
        "outcomes": campaign.outcomes.timeline(),
    }
    return render(request, "actions/campaign_detail.html", context)


def home(request):
    context = {
        "campaign": Campaign.objects.featured(),
        "upcoming": Action.objects.published().upcoming().for_listing()[:6],
        "demands": Demand.objects.for_listing(),
        "outcomes": Outcome.objects.timeline()[:3],
    }
    return render(request, "home.html", context)
