"""The read-only public API (/api/v1/): what the public pages show, for partners' sites."""

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Prefetch, QuerySet
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

    queryset = Action.objects.published().for_listing()
    serializer_class = serializers.ActionSerializer
    filterset_class = filters.ActionFilter

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return page if page is None else _with_slugs(page)

    def get_object(self) -> Action:
        return _with_slugs([super().get_object()])[0]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        if {"near", "lat", "lon"} & request.query_params.keys():
            patch_cache_control(response, private=True)  # neither our page cache nor a proxy keeps a search
        return response


def _with_slugs(actions: list[Action]) -> list[Action]:
    """`actions`, each with `demand_slugs` and `host_slugs` ([str], in the demands' and hosts' own
    order): two queries whatever their number, as a prefetch, without the queryset a prefetch builds
    for each action (5 of the 14 ms a page of 50 took)."""
    ids = [action.pk for action in actions]
    demands = _slugs(Action.demands.through.objects.filter(action_id__in=ids), "demand", "demand__ordering")
    hosts = _slugs(
        Action.hosts.through.objects.filter(action_id__in=ids), "organization", ReadOrder("organization__name")
    )
    for action in actions:
        action.demand_slugs, action.host_slugs = demands[action.pk], hosts[action.pk]  # type: ignore[attr-defined]
    return actions


def _slugs(links: QuerySet, target: str, order: Any) -> defaultdict[int, list[str]]:
    """{action id: the slugs of the `target` rows its `links` (a many-to-many's through rows) name,
    by `order`, then by primary key}."""
    found = defaultdict(list)
    rows = links.order_by(order, f"{target}__pk").values_list("action_id", f"{target}__slug")
    for action_id, slug in rows:
        found[action_id].append(slug)
    return found


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
