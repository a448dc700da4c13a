"""The API's query-string filters (django-filter). Times given without an offset, and dates, are
read in UTC (see views.PublicApiView)."""

import datetime

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField

from actions.models import Action
from common.countries import Country
from demands.models import Demand, Outcome


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

    class Meta:
        model = Action
        fields = ["campaign", "city", "country", "kind", "online", "starts_after", "starts_before", "upcoming"]

    def filter_upcoming(self, queryset, name, value):
        return queryset.upcoming() if value else queryset.past()


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
