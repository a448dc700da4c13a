"""Writes on demands. The admin and the loaders call these; they hold the rules."""

import datetime

from django.db import transaction

from .models import Demand, DemandStatusChange, Outcome


def demand_status_change(
    *,
    demand: Demand,
    status: str,
    note: dict[str, str],
    date: datetime.date | None = None,
    outcome: Outcome | None = None,
) -> DemandStatusChange:
    """Move `demand` to `status` and record why in its history, in one transaction.

    `note` is {"en": text, "es": text} (English required, as for every translated text); `date` is
    when it happened (not after today; None if not known). An `outcome` justifying the step is also
    counted among those that advanced the demand. Raises ValidationError on an unknown status, a
    future date or an empty English note. Recording the demand's current status again is allowed:
    it documents a new step (another outcome).
    """
    change = DemandStatusChange(
        demand=demand, status=status, date=date, outcome=outcome, **{f"note_{c}": t for c, t in note.items()}
    )
    change.full_clean(exclude=["demand", "note"])  # "note" is note_en and note_es
    with transaction.atomic():
        change.save()
        Demand.objects.filter(pk=demand.pk).update(status=status)
        if outcome is not None:
            outcome.demands.add(demand)
    demand.status = status
    return change
