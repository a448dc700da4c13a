"""The API's query-string filters (django-filter). Times given without an offset, and dates, are
read in UTC (see views.PublicApiView)."""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField

from actions.models import Action
from common.countries import Country
from demands.models import Demand, Outcome
from places.search import PlaceProblem, locate


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 time, converted to UTC here: PostgreSQL refuses offsets past ±15:59, which
    Python accepts."""

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return value and value.astimezone(datetime.UTC)
        except OverflowError:
            raise ValidationError(_("This time is out of range."), code="invalid") from None


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class NearForm(forms.Form):
    """The action filters' form, which also finds the place a search is near: `point` (latitude,
    longitude) from `near` (places.search.locate) or from `lat` and `lon`, or None."""

    def clean(self):
        super().clean()
        data = self.cleaned_data
        self.point = None
        lat, lon = data.get("lat"), data.get("lon")
        if data.get("near") and (lat is not None or lon is not None):
            self.add_error("near", _("Give near, or lat and lon, not both."))
        elif data.get("near"):
            try:
                location = locate(data["near"], country=data.get("country") or "")
            except PlaceProblem as problem:
                self.add_error("near", problem.with_options())
            else:
                self.point = location.point
        elif "lat" in self.errors or "lon" in self.errors:
            pass
        elif (lat is None) != (lon is None):
            self.add_error("lat" if lat is None else "lon", _("Give both lat and lon."))
        elif lat is not None and lon is not None:
            self.point = (float(lat), float(lon))
        if data.get("radius") is not None and self.point is None and not self.errors:
            self.add_error("radius", _("A radius needs near, or lat and lon."))
        return data


class ActionFilter(django_filters.FilterSet):
    campaign = django_filters.CharFilter(field_name="campaign__slug", help_text=_("A campaign's slug."))
    city = django_filters.CharFilter(field_name="city__slug", help_text=_("A city's slug."))
    country = django_filters.ChoiceFilter(
        field_name="city__country", choices=Country.choices, help_text=_("In-person actions in this country.")
    )
    online = django_filters.BooleanFilter(
        field_name="city", lookup_expr="isnull", help_text=_("Online actions only (true) or in-person only (false).")
    )
    starts_after = UtcDateTimeFilter(
        field_name="starts_at", lookup_expr="gte", help_text=_("Starting at or after this time (ISO 8601).")
    )
    starts_before = UtcDateTimeFilter(
        field_name="starts_at", lookup_expr="lt", help_text=_("Starting before this time (ISO 8601).")
    )
    upcoming = django_filters.BooleanFilter(
        method="filter_upcoming", help_text=_("Not yet over (true) or over (false).")
    )

    near = django_filters.CharFilter(
        method="filter_later",
        max_length=100,
        help_text=_(
            'In-person actions near a postal code or city ("06600", "10001, US", "Tapachula"), nearest first, '
            "with distance_km; online ones are left out."
        ),
    )
    lat = django_filters.NumberFilter(
        method="filter_later",
        min_value=-90,
        max_value=90,
        help_text=_("With lon: in-person actions near this latitude (decimal degrees), nearest first."),
    )
    lon = django_filters.NumberFilter(
        method="filter_later", min_value=-180, max_value=180, help_text=_("With lat: the longitude.")
    )
    radius = django_filters.NumberFilter(
        method="filter_later",
        min_value=0,
        max_value=20000,
        help_text=_("With near, or lat and lon: only actions at most this many kilometres away."),
    )

    class Meta:
        model = Action
        form = NearForm
        fields = [
            "campaign",
            "city",
            "country",
            "kind",
            "online",
            "starts_after",
            "starts_before",
            "upcoming",
            "near",
            "lat",
            "lon",
            "radius",
        ]

    def filter_upcoming(self, queryset, name, value):
        return queryset.upcoming() if value else queryset.past()

    def filter_later(self, queryset, name, value):
        return queryset  # the search by place comes after the other filters (filter_queryset)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.form.point is None:
            return queryset
        radius = self.form.cleaned_data.get("radius")
        return queryset.nearest(self.form.point, within_km=None if radius is None else float(radius))


class DemandFilter(django_filters.FilterSet):
    campaign = django_filters.CharFilter(field_name="campaigns__slug", help_text=_("A campaign's slug."))

    class Meta:
        model = Demand
        fields = ["status", "target", "campaign"]


class OutcomeFilter(django_filters.FilterSet):
    demand = django_filters.CharFilter(field_name="demands__slug", help_text=_("A demand's slug."))
    campaign = django_filters.CharFilter(field_name="campaign__slug", help_text=_("A campaign's slug."))
    year = django_filters.NumberFilter(method="filter_year", help_text=_("The year of the outcome's date."))

    class Meta:
        model = Outcome
        fields = ["demand", "campaign", "kind", "country", "year"]

    def filter_year(self, queryset, name, value):
        # A year no date can have (0, 1.5, 10000) matches nothing rather than failing.
        if value != int(value) or not datetime.MINYEAR <= value <= datetime.MAXYEAR:
            return queryset.none()
        return queryset.filter(date__year=int(value))
