"""The read vocabulary of the actions app: every filter a view needs has a name here."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone

if TYPE_CHECKING:  # models.py imports this module: the models are named here for the checker only
    from .models import Action, Campaign, City, OutgoingMail, Signup


class CityQuerySet(models.QuerySet["City"]):
    def public(self) -> Self:
        """Cities with a published or cancelled action: those with a public page. A city is also made
        for a host's proposal before anybody reviewed it (hosting/places.py); it stays unlisted until
        an action there is published."""
        from .models import Action

        shown = Action.objects.filter(city=models.OuterRef("pk")).exclude(status=Action.Status.DRAFT)
        return self.filter(models.Exists(shown))

    def with_public_action_counts(self) -> Self:
        """Annotate `public_action_count`: published or cancelled actions in the city."""
        from .models import Action

        return self.annotate(
            public_action_count=models.Count("actions", filter=~models.Q(actions__status=Action.Status.DRAFT))
        )

    def nearest(self, point: tuple[float, float]) -> Self:
        """Cities with coordinates, annotated with `distance_km` from `point` (latitude, longitude in
        decimal degrees), nearest first."""
        from places.distance import distance_km

        cities = self.filter(latitude__isnull=False, longitude__isnull=False)
        return cities.annotate(distance_km=distance_km("latitude", "longitude", to=point)).order_by("distance_km", "pk")


class CampaignQuerySet(models.QuerySet["Campaign"]):
    def current_or_upcoming(self, today: datetime.date | None = None) -> Self:
        """Campaigns that have not ended by `today` (a local date; default: today), soonest first."""
        today = today or timezone.localdate()
        return self.filter(end_date__gte=today).order_by("start_date", "pk")

    def taking_proposals(self, today: datetime.date | None = None) -> Self:
        """Campaigns that take proposals for actions on `today` (default: today), soonest first: the
        queryset form of Campaign.accepts_proposals()."""
        today = today or timezone.localdate()
        open_until = models.Q(proposals_close_on__gte=today) | models.Q(proposals_close_on=None, end_date__gte=today)
        return self.filter(open_until, proposals_open_on__lte=today).order_by("start_date", "pk")

    def featured(self, today: datetime.date | None = None) -> Campaign | None:
        """The campaign the home page leads with: the current or next one, else the latest past one.

        Returns a Campaign, or None when there is none at all.
        """
        return self.current_or_upcoming(today).first() or self.order_by("-end_date", "-pk").first()


class ActionQuerySet(models.QuerySet["Action"]):
    def published(self) -> Self:
        """Actions the public may see: published or cancelled (shown marked), never drafts."""
        return self.exclude(status=self.model.Status.DRAFT)

    def upcoming(self, now: datetime.datetime | None = None) -> Self:
        """Actions not yet over at `now` (aware; default: now), so one under way still counts."""
        return self.filter(ends_at__gte=now or timezone.now())

    def past(self, now: datetime.datetime | None = None) -> Self:
        """Actions that ended before `now` (aware; default: now)."""
        return self.filter(ends_at__lt=now or timezone.now())

    def online(self) -> Self:
        """Online-only actions: those without a city."""
        return self.filter(city__isnull=True)

    def in_person(self) -> Self:
        return self.filter(city__isnull=False)

    def in_country(self, country: str) -> Self:
        """In-person actions in `country`, an ISO 3166-1 alpha-2 code ("US", "MX")."""
        return self.filter(city__country=country)

    def nearest(self, point: tuple[float, float], *, within_km: float | None = None) -> Self:
        """In-person actions whose city has coordinates, annotated with `distance_km` from `point`
        (latitude, longitude in decimal degrees), nearest first, then earliest; with `within_km`, only
        those at most that far."""
        from places.distance import bounding_box, distance_km

        actions = self.filter(city__latitude__isnull=False, city__longitude__isnull=False)
        if within_km is not None:  # the box first: cheap comparisons leave few distances to compute
            latitudes, longitudes = bounding_box(point, within_km)
            actions = actions.filter(city__latitude__range=latitudes, city__longitude__range=longitudes)
        actions = actions.annotate(distance_km=distance_km("city__latitude", "city__longitude", to=point))
        if within_km is not None:
            actions = actions.filter(distance_km__lte=within_km)
        return actions.order_by("distance_km", "starts_at", "pk")

    def for_listing(self) -> Self:
        """Load what an action card shows (city, campaign) in the same query, earliest first."""
        return self.select_related("city", "campaign").order_by("starts_at", "pk")

    def with_seat_counts(self) -> Self:
        """Annotate `confirmed_count` and `waitlist_count` in the same query, as subqueries: counted
        only for the rows fetched (a page of a list), and left out of counts of the rows."""
        from .models import Signup, SignupStatus

        def count(status):
            signups = Signup.objects.filter(action=models.OuterRef("pk"), status=status).order_by()
            counted = signups.values("action").annotate(n=models.Count("pk")).values("n")
            return Coalesce(models.Subquery(counted), 0)

        return self.annotate(
            confirmed_count=count(SignupStatus.CONFIRMED), waitlist_count=count(SignupStatus.WAITLISTED)
        )


class SignupQuerySet(models.QuerySet["Signup"]):
    def active(self) -> Self:
        """Signups that hold or wait for a place: every status but cancelled."""
        return self.exclude(status=self.model.Status.CANCELLED)

    def confirmed(self) -> Self:
        return self.filter(status=self.model.Status.CONFIRMED)

    def waitlist(self) -> Self:
        """Waitlisted signups in the order they confirmed: the first is promoted first."""
        return self.filter(status=self.model.Status.WAITLISTED).order_by("confirmed_at", "pk")

    def due_for_anonymizing(self, now: datetime.datetime | None = None) -> Self:
        """Signups still holding personal data SIGNUP_RETENTION_DAYS after their action ended."""
        cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.SIGNUP_RETENTION_DAYS)
        return self.filter(action__ends_at__lt=cutoff, anonymized_at__isnull=True)

    def awaiting_reminder(self, minutes_before: int, now: datetime.datetime) -> Self:
        """Confirmed signups with an address, for a published action with reminders on and a time
        (not "to be announced") that starts after `now` (aware) and at most `minutes_before` minutes
        later, with no reminder recorded for that offset and that start yet."""
        from .models import ActionStatus, Reminder

        recorded = Reminder.objects.filter(
            signup=models.OuterRef("pk"),
            minutes_before=minutes_before,
            action_starts_at=models.OuterRef("action__starts_at"),
        )
        return (
            self.confirmed()
            .exclude(email="")
            .filter(
                action__status=ActionStatus.PUBLISHED,
                action__reminders_enabled=True,
                action__time_to_be_announced=False,
                action__starts_at__gt=now,
                action__starts_at__lte=now + datetime.timedelta(minutes=minutes_before),
            )
            .exclude(models.Exists(recorded))
        )

    def with_recent_reminder(self, since: datetime.datetime) -> Self:
        """Annotate `recent_reminder`: whether a reminder of the action's current start was queued,
        is being sent or was sent for the signup after `since` (aware)."""
        from .models import MailStatus, Reminder

        recent = Reminder.objects.filter(
            signup=models.OuterRef("pk"),
            action_starts_at=models.OuterRef("action__starts_at"),
            status__in=[MailStatus.QUEUED, MailStatus.SENDING, MailStatus.SENT],
            created_at__gt=since,
        )
        return self.annotate(recent_reminder=models.Exists(recent))

    def expired(self, now: datetime.datetime | None = None) -> Self:
        """Pending signups whose email was not confirmed within SIGNUP_CONFIRM_HOURS of signing up."""
        cutoff = (now or timezone.now()) - datetime.timedelta(hours=settings.SIGNUP_CONFIRM_HOURS)
        return self.filter(status=self.model.Status.PENDING, created_at__lt=cutoff)


class OutgoingMailQuerySet(models.QuerySet["OutgoingMail"]):
    """Outgoing mail's states: queued -> sending (claimed by a worker) -> sent, or back to queued
    after a failed attempt, or failed for good; skipped when no longer wanted; undeliverable."""

    def _stale(self, now: datetime.datetime) -> datetime.datetime:
        return now - datetime.timedelta(minutes=settings.MAIL_CLAIM_TIMEOUT)

    def claimable(self, now: datetime.datetime) -> Self:
        """What a worker may claim at `now`: queued and due for an attempt, or claimed so long ago
        (MAIL_CLAIM_TIMEOUT) that the worker holding it must have died."""
        status = self.model.Status
        return self.filter(
            models.Q(status=status.QUEUED, next_attempt_at__lte=now)
            | models.Q(status=status.SENDING, claimed_at__lt=self._stale(now))
        )

    def to_enqueue(self, now: datetime.datetime) -> Self:
        """Claimable mail not handed to a worker within MAIL_CLAIM_TIMEOUT: never handed (the broker
        was down when it was queued), or its message was lost (a broker restart) or its worker died."""
        stale = self._stale(now)
        return self.claimable(now).filter(models.Q(enqueued_at__isnull=True) | models.Q(enqueued_at__lt=stale))

    def obsolete(self, now: datetime.datetime) -> Self:
        """Unsent reminders for a start that has come, or that is no longer the action's (it moved),
        but for those a live worker holds."""
        status = self.model.Status
        live_claim = models.Q(status=status.SENDING, claimed_at__gte=self._stale(now))
        gone = models.Q(action_starts_at__lte=now) | ~models.Q(action_starts_at=models.F("signup__action__starts_at"))
        return self.filter(gone, kind=self.model.Kind.REMINDER, status__in=[status.QUEUED, status.SENDING]).exclude(
            live_claim
        )

    def recent(self, kinds, since: datetime.datetime) -> Self:
        """Mail of `kinds` queued after `since` (aware) that has not failed nor been skipped."""
        return self.filter(kind__in=kinds, created_at__gt=since).exclude(
            status__in=[self.model.Status.FAILED, self.model.Status.SKIPPED]
        )


def pages(queryset: models.QuerySet, size: int, *fields: str) -> Iterator[list]:
    """`queryset`'s primary keys (with `fields`: tuples of the key and those fields) in ascending
    pages of `size`, each read by its own query, so that writing between pages (even to the same
    rows) neither skips nor repeats one, on SQLite too."""
    rows = queryset.order_by("pk").values_list("pk", *fields, flat=not fields)
    last = 0
    while page := list(rows.filter(pk__gt=last)[:size]):
        yield page
        last = page[-1][0] if fields else page[-1]
