"""The read-only public API (/api/v1/): what the public pages show, for partners' sites."""

import datetime
from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.cache import patch_cache_control
from drf_spectacular.utils import extend_schema
from rest_framework import views, viewsets
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from actions.models import Action, Campaign, City
from common.ordering import ReadOrder
from demands.models import Demand, DemandStatusChange, Outcome

from . import filters, serializers


class PublicApiView(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"  # SlugField's alphabet

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Filters' dates and offset-less times mean UTC, whatever the site's TIME_ZONE.
        with timezone.override(datetime.UTC):
            return super().dispatch(request, *args, **kwargs)

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        response.add_post_render_callback(_forget_data)
        return response


def _forget_data(response: Response) -> None:
    # The page cache stores the rendered response: without its data, which was thousands of Python
    # objects to unpickle on every hit (0.3 ms of the 0.7 a cached list took).
    response.data = None


class CampaignViewSet(PublicApiView):
    """Days of action, latest first."""

    queryset = Campaign.objects.prefetch_related("demands").order_by("-start_date", "-pk")
    serializer_class = serializers.CampaignSerializer


class ActionViewSet(PublicApiView):
    """Published and cancelled actions (never drafts), earliest first."""

    queryset = (
        Action.objects.published()
        .for_listing()
        .prefetch_related(Prefetch("demands", Demand.objects.only("pk", "slug")), "hosts")
    )
    serializer_class = serializers.ActionSerializer
    filterset_class = filters.ActionFilter

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        if {"near", "lat", "lon"} & request.query_params.keys():
            patch_cache_control(response, private=True)  # neither our page cache nor a proxy keeps a search
        return response


class CityViewSet(PublicApiView):
    """Cities with a public action (see CityQuerySet.public), by country, then by name as read in
    the request's language (its language cookie or Accept-Language header; else English)."""

    queryset = City.objects.public().order_by("country", ReadOrder("name"), "pk")
    serializer_class = serializers.CitySerializer


class DemandViewSet(PublicApiView):
    """Demands in the organizers' order, each with its status history."""

    queryset = Demand.objects.for_listing().prefetch_related(
        Prefetch("status_changes", DemandStatusChange.objects.select_related("outcome"))
    )
    serializer_class = serializers.DemandSerializer
    filterset_class = filters.DemandFilter


class OutcomeViewSet(PublicApiView):
    """Outcomes, newest first; undated ones last."""

    queryset = Outcome.objects.timeline().select_related("campaign").prefetch_related("demands")
    serializer_class = serializers.OutcomeSerializer
    filterset_class = filters.OutcomeFilter


@extend_schema(exclude=True)
@api_view()
def not_found(request: Request, path: str = "") -> Response:
    """Any other address under /api/: a JSON 404, as the API's own are, not the site's HTML page."""
    raise NotFound


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's, with the same translated "Not found." for an unknown slug as for any other 404
    (Django's own message names the model, in English)."""
    if isinstance(exc, Http404):
        exc = NotFound()
    return views.exception_handler(exc, context)
