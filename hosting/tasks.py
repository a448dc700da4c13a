"""Celery tasks of hosting: thin wrappers over services (beat, hourly)."""

from celery import shared_task

from actions.services import tables_vacuum

from . import services
from .models import Host, HostChange, Proposal


@shared_task
def follow_ups_send() -> int:
    """Ask the volunteers and hosts of yesterday's actions how it went; see services.follow_ups_send."""
    return services.follow_ups_send()


@shared_task
def hosting_erase() -> dict[str, int]:
    """Delete unconfirmed proposals and erase hosts' personal data after the retention period, and
    what is left of those rows on disk."""
    erased = services.hosting_erase()
    tables_vacuum(Proposal, Host, HostChange)
    return erased
