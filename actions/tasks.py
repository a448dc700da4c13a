"""Celery tasks: thin wrappers over services and the mail pipeline. Payloads are ids; a task returns
quietly when its rows are gone or already done.

Messages are acknowledged after the task ran (settings: CELERY_TASK_ACKS_LATE), so a worker that dies
loses nothing: its mail rows, claimed in the database, are taken up again (see actions/mail.py)."""

from celery import shared_task

from . import mail, services


@shared_task
def mail_dispatch() -> dict[str, int]:
    """Record the reminders due now and hand every ready email to workers (beat, every minute)."""
    return mail.mail_dispatch()


@shared_task
def mail_send(ids: list[int]) -> int:
    """Claim and send a batch of outgoing mail over one connection; see mail.mail_send."""
    return mail.mail_send(ids=ids)


@shared_task
def signups_expire() -> int:
    """Delete signups whose email was not confirmed in time (beat, every 15 minutes)."""
    return services.signups_expire()


@shared_task
def signups_anonymize() -> int:
    """Erase volunteers' personal data after the retention period, and what is left of erased rows on
    disk (beat, hourly)."""
    erased = services.signups_anonymize()
    services.signups_vacuum()  # volunteers erase their own data at any time, too
    return erased
