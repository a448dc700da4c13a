"""The read vocabulary of the demands app."""

from django.db import models


class DemandQuerySet(models.QuerySet):
    def for_listing(self):
        """Demands in the organizers' chosen order."""
        return self.order_by("ordering", "pk")

    def standing(self) -> list[dict]:
        """Where the demands stand, one row per status that has any, in the statuses' order:
        [{"status": code, "label": text, "counts": [n per target, in DemandTarget's order],
        "demands": [...]}]."""
        from .models import DemandStatus, DemandTarget

        demands = list(self.for_listing())
        rows = []
        for status in DemandStatus:
            if of_status := [demand for demand in demands if demand.status == status]:
                counts = [sum(d.target == target for d in of_status) for target in DemandTarget.values]
                rows.append({"status": status.value, "label": status.label, "counts": counts, "demands": of_status})
        return rows


class OutcomeQuerySet(models.QuerySet):
    def timeline(self):
        """Newest first; outcomes whose date is not yet recorded come last."""
        return self.order_by(models.F("date").desc(nulls_last=True), "-pk")

    def by_institution(self, name: str):
        """Outcomes of the institution named `name` in either language."""
        return self.filter(models.Q(institution_en=name) | models.Q(institution_es=name))

    def institutions(self) -> list[str]:
        """The institutions' names in the active language (English where no Spanish is written),
        once each, sorted."""
        return sorted({outcome.institution for outcome in self.only("institution_en", "institution_es")})

    def years(self) -> list[int]:
        """The years that have a dated outcome, newest first."""
        return [day.year for day in self.dates("date", "year", order="DESC")]
