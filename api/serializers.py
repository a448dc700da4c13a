"""What the public API shows: only what the public pages show. Never drafts, signups, meeting
links or anything about a volunteer."""

import datetime

from rest_framework import serializers

from actions.models import Action, Campaign, City
from common.fragments import remember, row_state
from demands.models import Demand, DemandStatusChange, Outcome

from .fields import LANGUAGE_CODES, LocalDateTimeField, PageUrlsField, TranslatedField, site_url


class UtcDateTimeField(serializers.DateTimeField):
    """An aware datetime in UTC, ISO 8601 with "Z"."""

    def to_representation(self, value):
        return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


class CitySerializer(serializers.ModelSerializer):
    name = TranslatedField()
    region = TranslatedField()
    urls = PageUrlsField()

    class Meta:
        model = City
        fields = ["slug", "name", "region", "country", "time_zone", "latitude", "longitude", "urls"]


class CampaignSerializer(serializers.ModelSerializer):
    title = TranslatedField()
    summary = TranslatedField()
    description_html = TranslatedField(markdown=True)
    demands: serializers.SlugRelatedField[Demand] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    urls = PageUrlsField()
    calendars = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "slug",
            "title",
            "summary",
            "description_html",
            "start_date",
            "end_date",
            "time_zone",
            "demands",
            "urls",
            "calendars",
        ]

    def get_calendars(self, campaign) -> dict[str, str]:
        """The campaign's subscribable calendar (.ics) in each language."""
        return {code: site_url("actions:campaign_calendar", code, slug=campaign.slug) for code in LANGUAGE_CODES}


class ActionSerializer(serializers.ModelSerializer):
    title = TranslatedField()
    description_html = TranslatedField(markdown=True)
    campaign: serializers.SlugRelatedField[Campaign] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    city: serializers.SlugRelatedField[City] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    country = serializers.SerializerMethodField()
    online = serializers.SerializerMethodField()
    starts_at = UtcDateTimeField()
    ends_at = UtcDateTimeField()
    starts_at_local = LocalDateTimeField("local_starts_at")
    ends_at_local = LocalDateTimeField("local_ends_at")
    time_zone = serializers.SerializerMethodField()
    time_zone_abbreviation = serializers.SerializerMethodField()
    # Set by the view (api.views._with_slugs), which reads them for a whole page at once.
    demands = serializers.ListField(child=serializers.SlugField(), source="demand_slugs", read_only=True)
    hosts = serializers.ListField(child=serializers.SlugField(), source="host_slugs", read_only=True)
    distance_km = serializers.SerializerMethodField()
    urls = PageUrlsField()

    class Meta:
        model = Action
        fields = [
            "slug",
            "title",
            "description_html",
            "kind",
            "status",
            "campaign",
            "city",
            "country",
            "online",
            "venue",
            "address",
            "starts_at",
            "ends_at",
            "starts_at_local",
            "ends_at_local",
            "time_zone",
            "time_zone_abbreviation",
            "time_to_be_announced",
            "demands",
            "hosts",
            "distance_km",
            "urls",
        ]

    def to_representation(self, action):
        """The action's representation, from the fragment cache (common.fragments): all of it but
        the distance is made of the rows below, and DRF took 0.3 ms an action (50 a page)."""
        state = (
            row_state(action, action.city, action.campaign),
            tuple(action.demand_slugs),
            tuple(action.host_slugs),
        )
        data = {**remember("api-action", state, lambda: self._represent(action))}
        data["distance_km"] = self.get_distance_km(action)
        return data

    def _represent(self, action) -> dict:
        data = super().to_representation(action)
        if action.city is None:
            # Whatever an organizer typed there, online actions show no place (as their pages).
            data["venue"] = data["address"] = ""
        return data

    def get_country(self, action) -> str | None:
        """ISO 3166-1 alpha-2 ("US", "MX"); null for an online action."""
        return action.city.country if action.city else None

    def get_distance_km(self, action) -> float | None:
        """Kilometres from the place searched for (near, or lat and lon), to 0.1 km; null otherwise."""
        distance = getattr(action, "distance_km", None)
        return None if distance is None else round(distance, 1)

    def get_online(self, action) -> bool:
        return action.city is None

    def get_time_zone(self, action) -> str:
        """The IANA zone the local times are in ("America/Chicago")."""
        return action.zone.key

    def get_time_zone_abbreviation(self, action) -> str:
        """The zone's abbreviation at the start ("CDT", "CST")."""
        return action.local_starts_at.tzname()


class StatusChangeSerializer(serializers.ModelSerializer):
    note = TranslatedField()
    outcome: serializers.SlugRelatedField[Outcome] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )

    class Meta:
        model = DemandStatusChange
        fields = ["date", "status", "outcome", "note"]


class DemandSerializer(serializers.ModelSerializer):
    title = TranslatedField()
    description_html = TranslatedField(markdown=True)
    history = StatusChangeSerializer(source="status_changes", many=True, read_only=True)
    urls = PageUrlsField()

    class Meta:
        model = Demand
        fields = ["slug", "title", "description_html", "target", "status", "history", "urls"]


class OutcomeSerializer(serializers.ModelSerializer):
    title = TranslatedField()
    description_html = TranslatedField(markdown=True)
    institution = TranslatedField()
    campaign: serializers.SlugRelatedField[Campaign] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    demands: serializers.SlugRelatedField[Demand] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    urls = PageUrlsField()

    class Meta:
        model = Outcome
        fields = [
            "slug",
            "title",
            "description_html",
            "date",
            "kind",
            "institution",
            "country",
            "source_url",
            "source_language",
            "campaign",
            "demands",
            "urls",
        ]
