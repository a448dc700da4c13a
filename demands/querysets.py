"""The read vocabulary of the demands app."""

from typing import TYPE_CHECKING, Self

from django.db import models

from common.ordering import ReadOrder

if TYPE_CHECKING:  # models.py imports this module: the models are named here for the checker only
    from .models import Demand, Outcome


class DemandQuerySet(models.QuerySet["Demand"]):
    def for_listing(self) -> Self:
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


class OutcomeQuerySet(models.QuerySet["Outcome"]):
    def timeline(self) -> Self:
        """Newest first; outcomes whose date is not yet recorded come last."""
        return self.order_by(models.F("date").desc(nulls_last=True), "-pk")

    def by_institution(self, name: str) -> Self:
        """Outcomes of the institution named `name` in either language (English names it in
        filters, so that a link works in both)."""
        return self.filter(models.Q(institution_en=name) | models.Q(institution_es=name))

    def institutions(self) -> list[tuple[str, str]]:
        """[(English name, name in the active language, else in English)] once each, in the order of the
        latter as read (ReadOrder): the English name identifies the institution in both languages (it
        is required)."""
        rows = self.annotate(read=ReadOrder("institution")).values_list("institution_en", "read").distinct()
        return list(rows.order_by("read", "institution_en"))

    def years(self) -> list[int]:
        """The years that have a dated outcome, newest first."""
        return [day.year for day in self.dates("date", "year", order="DESC")]
