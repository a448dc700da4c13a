"""Celery tasks: thin wrappers over services and emails. Payloads are ids; every task is safe to run
twice and returns quietly when its row is gone."""

import datetime
import logging
import smtplib

from celery import shared_task

from . import reminders, services
from .emails import action_update_email, deliver, signup_email
from .models import Signup

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
)
def send_signup_email(signup_id: int, kind: str) -> None:
    """Send a signup email (see emails.SIGNUP_EMAIL_KINDS); retried with backoff on SMTP errors."""
    signup = Signup.objects.select_related("action__city", "action__campaign").filter(pk=signup_id).first()
    if signup is None:
        return  # erased or expired since it was queued
    signup_email(signup, kind).send()
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
def send_action_update(self, signup_ids: list[int], changes: list[str], previous_start: str) -> int:
    """The update email (see emails.action_update_email) to each of a batch of volunteers, over one
    SMTP connection. The volunteers it failed for are retried after 1, 2, 4... minutes (at most 30).
    `previous_start` is the old start in ISO 8601. Returns how many were sent."""
    signups = Signup.objects.filter(
        pk__in=signup_ids, status__in=[Signup.Status.CONFIRMED, Signup.Status.WAITLISTED]
    ).select_related("action__city", "action__campaign")
    moved_from = datetime.datetime.fromisoformat(previous_start)
    results = list(deliver(signups, lambda s: action_update_email(s, changes=changes, previous_start=moved_from)))
    failed = [signup.pk for signup, error in results if error is not None]
    if failed:
        countdown = min(60 * 2**self.request.retries, 30 * 60)
        logger.warning("action update: %s of %s failed, retrying in %s s", len(failed), len(results), countdown)
        raise self.retry(args=(failed, changes, previous_start), countdown=countdown)
    return len(results)
