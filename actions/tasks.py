"""Celery tasks: thin wrappers over services and emails. Payloads are ids (and JSON); a task returns
quietly when its row is gone.

Messages are acknowledged after the task ran (settings: CELERY_TASK_ACKS_LATE), so a worker that dies
loses nothing. Reminders are claimed in the database and go out once; the other emails go out at
least once: a worker that dies mid-batch has that batch sent again, after Redis's visibility
timeout, to everyone in it."""

import logging

from celery import shared_task

from . import reminders, services
from .emails import MailError, action_update_email, deliver, describe_error, signup_email
from .models import Signup

logger = logging.getLogger(__name__)


def _backoff(retries: int) -> int:
    """Seconds before retry number `retries` + 1: 1, 2, 4... minutes, at most 30."""
    return min(60 * 2**retries, 30 * 60)


@shared_task(bind=True, max_retries=6)
def send_signup_email(self, signup_id: int, kind: str) -> None:
    """Send a signup email (see emails.SIGNUP_EMAIL_KINDS), retried with backoff on failure."""
    signup = Signup.objects.select_related("action__city", "action__campaign").filter(pk=signup_id).first()
    if signup is None:
        return  # erased or expired since it was queued
    ((_signup, error),) = deliver([signup], lambda s: signup_email(s, kind))
    if error is not None:
        raise self.retry(exc=MailError(describe_error(error)), countdown=_backoff(self.request.retries))
    logger.info("signup email sent: kind=%s signup=%s", kind, signup_id)


@shared_task
def expire_pending_signups() -> int:
    """Delete signups whose email was not confirmed in time (run by beat every 15 minutes)."""
    return services.signups_expire()


@shared_task
def anonymize_past_signups() -> int:
    """Erase volunteers' personal data after the retention period (run by beat hourly)."""
    return services.signups_anonymize()


@shared_task
def send_due_reminders() -> dict[str, int]:
    """Record the reminders due now and hand them to workers (run by beat every minute)."""
    return reminders.dispatch()


@shared_task
def send_reminders(reminder_ids: list[int]) -> int:
    """Claim and send a batch of reminders over one SMTP connection; see reminders.send."""
    return reminders.send(reminder_ids)


@shared_task(bind=True, max_retries=6)
def send_action_update(self, signup_ids: list[int], changes: list[str], previous: dict) -> int:
    """The update email (see emails.action_update_email) to each of a batch of volunteers, over one
    SMTP connection; the volunteers it failed for are retried with backoff. `previous` holds the old
    times (emails.previous_times). Returns how many were sent."""
    signups = Signup.objects.filter(
        pk__in=signup_ids, status__in=[Signup.Status.CONFIRMED, Signup.Status.WAITLISTED]
    ).select_related("action__city", "action__campaign")
    results = list(deliver(signups, lambda s: action_update_email(s, changes=changes, previous=previous)))
    failed = [(signup.pk, error) for signup, error in results if error is not None]
    if failed:
        logger.warning("action update: %s of %s failed: %s", len(failed), len(results), describe_error(failed[0][1]))
        raise self.retry(
            args=([pk for pk, _error in failed], changes, previous),
            exc=MailError(describe_error(failed[0][1])),
            countdown=_backoff(self.request.retries),
        )
    return len(results)
