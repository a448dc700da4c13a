"""Celery tasks: thin wrappers over services and emails. Payloads are ids; every task is safe to run
twice and returns quietly when its row is gone."""

import logging
import smtplib

from celery import shared_task

from . import services
from .emails import signup_email
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
    """Erase volunteers' personal data after the retention period (run by beat daily)."""
    return services.signups_anonymize()
