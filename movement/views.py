"""Site-wide plain views, outside any language."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse


def robots_txt(request):
    """Crawlers: every public page, not the admin nor volunteers' links; where the sitemap is."""
    context = {"sitemap_url": request.build_absolute_uri(reverse("sitemap"))}
    return render(request, "robots.txt", context, content_type="text/plain; charset=utf-8")


def hello(request):
    """The least a Django view can do (BENCHMARK_VIEWS only): the yardstick of bench/pages.py."""
    return HttpResponse("hello", content_type="text/plain")
