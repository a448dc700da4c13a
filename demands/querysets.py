"""The read vocabulary of the demands app."""

from django.db import models


class DemandQuerySet(models.QuerySet):
    def for_listing(self):
        """Demands in the organizers' chosen order."""
        return self.order_by("ordering", "pk")


class OutcomeQuerySet(models.QuerySet):
    def timeline(self):
        """Newest first; outcomes whose date is not yet recorded come last."""
        return self.order_by(models.F("date").desc(nulls_last=True), "-pk")
