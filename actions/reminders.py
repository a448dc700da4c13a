"""Reminders before an action: when each is due, and sending each once.

The schedule is the database, not the broker. Every minute `dispatch()` (beat's send_due_reminders
task, or the send_due_reminders command) records what has come due as Reminder rows and hands their
ids to workers in batches; `send()` runs in a worker, claims its batch and sends it over one SMTP
connection. Nothing is queued days ahead, so neither a broker restart nor a moved action leaves a
stale message behind: whatever was lost is found again by the next dispatch.

Each reminder goes out once: its row is unique per (signup, offset) and a worker claims it
(queued -> sending, under a row lock) before sending. A second dispatch, a message delivered twice or
two workers racing find it claimed or sent. One narrow window remains: a worker that dies after the
SMTP server accepted a message and before it committed "sent" leaves a claim that is retried after
REMINDER_CLAIM_TIMEOUT, and that volunteer gets the reminder twice.
"""

import datetime
import logging
from collections.abc import Iterable, Iterator

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .emails import deliver, reminder_email
from .models import Action, Reminder, Signup

logger = logging.getLogger(__name__)


def offsets() -> list[int]:
    """settings.REMINDER_OFFSETS (minutes before the start), smallest first, without repeats."""
    return sorted(set(settings.REMINDER_OFFSETS))


def pages(queryset, size: int) -> Iterator[list[int]]:
    """The primary keys of `queryset` in ascending pages of `size`, each read by its own query, so
    that writing between pages (even to the same rows) neither skips nor repeats one, on SQLite too."""
    last = 0
    while ids := list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size]):
        yield ids
        last = ids[-1]


def schedule(now: datetime.datetime) -> int:
    """Record the reminders due at `now` (aware): a queued row for each confirmed signup whose action
    starts within an offset. If several offsets of a signup are due (a late signup, or the system was
    down), only the smallest (the latest before the start) is queued and the larger ones are recorded
    as skipped. Returns how many were queued."""
    queued = 0
    all_offsets = offsets()
    for i, minutes in enumerate(all_offsets):
        # Signups starting between the previous offset and this one: this is their latest due offset.
        earlier = all_offsets[i - 1] if i else 0
        signups = Signup.objects.awaiting_reminder(minutes, now).filter(
            action__starts_at__gt=now + datetime.timedelta(minutes=earlier)
        )
        for ids in pages(signups, 1000):
            rows = [Reminder(signup_id=pk, minutes_before=minutes, next_attempt_at=now) for pk in ids]
            rows += [
                Reminder(signup_id=pk, minutes_before=larger, status=Reminder.Status.SKIPPED)
                for pk in ids
                for larger in all_offsets[i + 1 :]
            ]
            # A row already there (another dispatch was quicker) is left as it is.
            Reminder.objects.bulk_create(rows, ignore_conflicts=True)
            queued += len(ids)
    return queued


def enqueue(now: datetime.datetime) -> int:
    """Hand reminders ready at `now` to workers, REMINDER_BATCH_SIZE ids per task. Returns how many.

    Two dispatches at once may hand out the same ids; the workers' claim keeps that harmless."""
    from .tasks import send_reminders

    count = 0
    for ids in pages(Reminder.objects.to_enqueue(now), settings.REMINDER_BATCH_SIZE):
        Reminder.objects.filter(pk__in=ids).update(enqueued_at=now)
        send_reminders.delay(ids)
        count += len(ids)
    return count


def dispatch(now: datetime.datetime | None = None) -> dict[str, int]:
    """One round (every minute): skip what came too late, record what is due, hand it to workers.

    `now` is aware (default: now). Returns {"skipped": n, "queued": n, "enqueued": n}."""
    now = now or timezone.now()
    skipped = Reminder.objects.too_late(now).update(status=Reminder.Status.SKIPPED)
    result = {"skipped": skipped, "queued": schedule(now), "enqueued": enqueue(now)}
    if any(result.values()):
        logger.info("reminders: %s", result)
    return result


def claim(reminder_ids: Iterable[int], now: datetime.datetime) -> list[int]:
    """Mark as being sent, by this worker, those of `reminder_ids` that are claimable at `now`.

    Row locks make two workers claiming the same ids at once split them; neither waits for the
    other. Returns the ids this worker now holds."""
    with transaction.atomic():
        ids = list(
            Reminder.objects.claimable(now)
            .filter(pk__in=list(reminder_ids))
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        Reminder.objects.filter(pk__in=ids).update(
            status=Reminder.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    return ids


def still_wanted(reminder: Reminder, now: datetime.datetime) -> bool:
    """Whether the volunteer still wants this reminder: confirmed, with an address, for a published
    action with reminders on that has not started."""
    signup, action = reminder.signup, reminder.signup.action
    return (
        signup.status == Signup.Status.CONFIRMED
        and bool(signup.email)
        and action.status == Action.Status.PUBLISHED
        and action.reminders_enabled
        and now < action.starts_at
    )


def _retry_or_fail(reminder: Reminder, error: Exception, now: datetime.datetime) -> None:
    """After a failed attempt: queued again after 1, 2, 4... minutes, or failed for good after
    REMINDER_MAX_ATTEMPTS."""
    text = f"{type(error).__name__}: {error}"[:1000]
    if reminder.attempts >= settings.REMINDER_MAX_ATTEMPTS:
        changes = {"status": Reminder.Status.FAILED}
    else:
        backoff = datetime.timedelta(minutes=2 ** (reminder.attempts - 1))
        changes = {"status": Reminder.Status.QUEUED, "next_attempt_at": now + backoff, "enqueued_at": None}
    Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.SENDING).update(error=text, **changes)
    logger.warning("reminder %s: attempt %s failed: %s", reminder.pk, reminder.attempts, type(error).__name__)


def send(reminder_ids: list[int]) -> int:
    """Claim and send a batch over one SMTP connection (in a worker). Returns how many were sent.

    A failed message is retried later (see _retry_or_fail) and the batch goes on. If the task's time
    runs out, the reminders not yet sent are released for the next dispatch."""
    now = timezone.now()
    held = set(claim(reminder_ids, now))
    reminders = Reminder.objects.filter(pk__in=held).select_related("signup__action__city", "signup__action__campaign")
    wanted = []
    for reminder in reminders:
        if still_wanted(reminder, now):
            wanted.append(reminder)
        else:
            Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.SKIPPED)
            held.discard(reminder.pk)
    sent = 0
    try:
        for reminder, error in deliver(wanted, reminder_email):
            held.discard(reminder.pk)
            if error is None:
                Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.SENDING).update(
                    status=Reminder.Status.SENT, sent_at=timezone.now(), error=""
                )
                sent += 1
            else:
                _retry_or_fail(reminder, error, timezone.now())
    except SoftTimeLimitExceeded:
        logger.warning("reminder batch out of time: %s left for the next dispatch", len(held))
    finally:
        Reminder.objects.filter(pk__in=held, status=Reminder.Status.SENDING).update(
            status=Reminder.Status.QUEUED, enqueued_at=None
        )
    return sent


def retry(reminders) -> int:
    """Queue failed reminders (a queryset) for a new round of attempts at the next dispatch."""
    return reminders.filter(status=Reminder.Status.FAILED).update(
        status=Reminder.Status.QUEUED, attempts=0, next_attempt_at=timezone.now(), enqueued_at=None, error=""
    )


def rearm(action: Action) -> int:
    """Forget the reminders of `action` (its start moved): the next dispatches schedule them again
    from the new time, so one already sent for the old time goes out again before the new one."""
    deleted, _by_model = Reminder.objects.filter(signup__action=action).delete()
    return deleted
