"""The site's own pages, about no single app: home, privacy, the rate-limit page, robots.txt."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django_ratelimit.exceptions import Ratelimited

from actions.models import Action, Campaign
from demands.models import Demand, Outcome


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "campaign": Campaign.objects.featured(),
        "upcoming": Action.objects.published().upcoming().for_listing()[:6],
        "demands": Demand.objects.for_listing(),
        "outcomes": Outcome.objects.timeline()[:3],
    }
    return render(request, "home.html", context)


def privacy(request: HttpRequest) -> HttpResponse:
    """What the site keeps about volunteers, why, who sees it and when it is erased."""
    context = {
        "confirm_hours": settings.SIGNUP_CONFIRM_HOURS,
        "retention_days": settings.SIGNUP_RETENTION_DAYS,
        "backup_days": settings.BACKUP_RETENTION_DAYS,
    }
    return render(request, "privacy.html", context)


def rate_limited(request: HttpRequest, exception: Ratelimited) -> HttpResponse:
    """RATELIMIT_VIEW: the page a refused request gets, in its language, with status 429."""
    return render(request, "429.html", status=429)


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers: every public page, not the admin nor volunteers' links; where the sitemap is."""
    context = {"sitemap_url": request.build_absolute_uri(reverse("sitemap"))}
    return render(request, "robots.txt", context, content_type="text/plain; charset=utf-8")


def hello(request: HttpRequest) -> HttpResponse:
    """The least a Django view can do (BENCHMARK_VIEWS only): the yardstick of bench/pages.py."""
    return HttpResponse("hello", content_type="text/plain")
