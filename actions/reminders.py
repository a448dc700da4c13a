"""Reminders before an action: when each is due, and sending each once.

The schedule is the database, not the broker. Every minute `dispatch()` (beat's send_due_reminders
task, or the send_due_reminders command) records what has come due as Reminder rows and hands their
ids to workers in batches; `send()` runs in a worker, claims its batch and sends it over one SMTP
connection. Nothing is queued days ahead, so neither a broker restart nor a moved action leaves a
stale message behind: whatever was lost is found again by the next dispatch.

Each reminder goes out once: its row is unique per (signup, offset, action start) and a worker
claims it (queued -> sending, under a row lock) before sending. A second dispatch, a message
delivered twice or two workers racing find it claimed or sent. One narrow window remains: a worker
that dies (or loses its database) after the SMTP server accepted a message and before it committed
"sent" leaves a claim that is retried after REMINDER_CLAIM_TIMEOUT, and that volunteer gets the
reminder twice.

A row names the start it was made for, so an action that moves needs no clean-up: rows for the old
start are skipped, and the new start gets rows of its own (see covered_by_update for those already
due when it moves).
"""

import contextlib
import datetime
import logging
from collections.abc import Callable, Iterable, Iterator

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from .emails import NotWanted, deliver, describe_error, reminder_email
from .models import Action, Reminder, Signup

logger = logging.getLogger(__name__)


def offsets() -> list[int]:
    """settings.REMINDER_OFFSETS (minutes before the start), smallest first, without repeats."""
    return sorted(set(settings.REMINDER_OFFSETS))


def _due_offsets(action: Action, now: datetime.datetime) -> list[int]:
    """The offsets of `action` that are due at `now` (aware), in real time (through UTC: arithmetic
    on a datetime in a zone with DST would count clock hours)."""
    starts_at = action.starts_at.astimezone(datetime.UTC)
    return [m for m in offsets() if starts_at - datetime.timedelta(minutes=m) <= now]


def due_soon(action: Action, now: datetime.datetime) -> bool:
    """Whether a reminder of `action` is due at `now` (aware) for a volunteer confirmed now."""
    return bool(_due_offsets(action, now))


def pages(queryset, size: int, *fields: str) -> Iterator[list]:
    """`queryset`'s primary keys (with `fields`: tuples of the key and those fields) in ascending
    pages of `size`, each read by its own query, so that writing between pages (even to the same
    rows) neither skips nor repeats one, on SQLite too."""
    rows = queryset.order_by("pk").values_list("pk", *fields, flat=not fields)
    last = 0
    while page := list(rows.filter(pk__gt=last)[:size]):
        yield page
        last = page[-1][0] if fields else page[-1]


def _record(rows: list[tuple[int, datetime.datetime]], minutes: list[int], now, status) -> None:
    """Reminder rows for each (signup id, action start) at each of `minutes`; a row already there
    (another dispatch was quicker) is left as it is."""
    next_attempt_at = now if status == Reminder.Status.QUEUED else None
    Reminder.objects.bulk_create(
        [
            Reminder(
                signup_id=pk,
                action_starts_at=starts_at,
                minutes_before=m,
                status=status,
                next_attempt_at=next_attempt_at,
            )
            for pk, starts_at in rows
            for m in minutes
        ],
        ignore_conflicts=True,
    )


def schedule(now: datetime.datetime, recorded: Callable[[], object] | None = None) -> int:
    """Record the reminders due at `now` (aware): a queued row for each confirmed signup whose action
    starts within an offset. If several offsets of a signup are due (a late signup, or the system was
    down), only the smallest (the latest before the start) is queued and the larger ones are recorded
    as skipped. An offset whose volunteer was reminded of the same start less than half of it ago
    is skipped too: confirming 2 h 3 min before brings one reminder, not two three minutes apart.
    `recorded`, if given, is called after each page of rows is written. Returns how many were queued."""
    queued = 0
    all_offsets = offsets()
    for i, minutes in enumerate(all_offsets):
        # Signups starting between the previous offset and this one: this is their latest due offset.
        earlier = all_offsets[i - 1] if i else 0
        signups = (
            Signup.objects.awaiting_reminder(minutes, now)
            .filter(action__starts_at__gt=now + datetime.timedelta(minutes=earlier))
            .with_recent_reminder(now - datetime.timedelta(minutes=minutes / 2))
        )
        for rows in pages(signups, 1000, "action__starts_at", "recent_reminder"):
            due = [(pk, starts_at) for pk, starts_at, recent in rows if not recent]
            just_reminded = [(pk, starts_at) for pk, starts_at, recent in rows if recent]
            _record(due, [minutes], now, Reminder.Status.QUEUED)
            _record(just_reminded, [minutes], now, Reminder.Status.SKIPPED)
            _record(due + just_reminded, all_offsets[i + 1 :], now, Reminder.Status.SKIPPED)
            queued += len(due)
            if recorded:
                recorded()
    return queued


def enqueue(now: datetime.datetime, after: int = 0) -> tuple[int, int]:
    """Hand reminders ready at `now` whose id is above `after` to workers, REMINDER_BATCH_SIZE ids
    per task. Returns (how many, the highest id handed out, or `after`).

    Two dispatches at once may hand out the same ids; the workers' claim keeps that harmless."""
    from .tasks import send_reminders

    count = 0
    for ids in pages(Reminder.objects.to_enqueue(now).filter(pk__gt=after), settings.REMINDER_BATCH_SIZE):
        Reminder.objects.filter(pk__in=ids).update(enqueued_at=now)
        send_reminders.delay(ids)
        count += len(ids)
        after = ids[-1]
    return count, after


def dispatch(now: datetime.datetime | None = None) -> dict[str, int]:
    """One round (every minute): skip what is obsolete, record what is due, hand it to workers.

    Each page of due reminders goes to the workers as soon as it is recorded, so that when many come
    due at once (100,000 take over a minute to record) sending starts at once; each page's hand-out
    reads only the rows after the last one handed out, not the queue of those waiting for a worker.
    A last hand-out reads them all: retries, and rows another dispatch recorded. `now` is aware
    (default: now). Returns {"skipped": n, "queued": n, "enqueued": n}."""
    now = now or timezone.now()
    result = {"skipped": Reminder.objects.obsolete(now).update(status=Reminder.Status.SKIPPED), "enqueued": 0}
    handed_up_to = 0

    def hand_out(after: int):
        nonlocal handed_up_to
        count, handed_up_to = enqueue(now, after)
        result["enqueued"] += count

    result["queued"] = schedule(now, recorded=lambda: hand_out(handed_up_to))
    hand_out(0)
    if any(result.values()):
        logger.info("reminders: %s", result)
    return result


def covered_by_update(action: Action, now: datetime.datetime) -> None:
    """Skip, for `action`'s start as it is now, the reminders already due at `now` (aware): the
    update email sent now tells its confirmed volunteers the time. Offsets not yet due go out as
    usual."""
    due = _due_offsets(action, now)
    Reminder.objects.filter(
        signup__action=action, action_starts_at=action.starts_at, minutes_before__in=due, status=Reminder.Status.QUEUED
    ).update(status=Reminder.Status.SKIPPED)
    signups = action.signups.confirmed().exclude(email="")
    for rows in pages(signups, 1000, "action__starts_at"):
        _record(rows, due, now, Reminder.Status.SKIPPED)


def claim(reminder_ids: Iterable[int], now: datetime.datetime) -> list[int]:
    """Mark as being sent, by this worker, those of `reminder_ids` that are claimable at `now`.

    Row locks make two workers claiming the same ids at once split them; neither waits for the
    other. Returns the ids this worker now holds."""
    with transaction.atomic():
        ids = list(
            Reminder.objects.claimable(now)
            .filter(pk__in=list(reminder_ids))
            .select_for_update(skip_locked=True)
            .order_by("pk")  # sent in the order they were recorded
            .values_list("pk", flat=True)
        )
        Reminder.objects.filter(pk__in=ids).update(
            status=Reminder.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    return ids


def still_wanted(reminder: Reminder, now: datetime.datetime) -> bool:
    """Whether the volunteer still wants this reminder: confirmed, with an address, for a published
    action with reminders on, a time, and the start the reminder was made for, yet to come."""
    signup, action = reminder.signup, reminder.signup.action
    return (
        signup.status == Signup.Status.CONFIRMED
        and bool(signup.email)
        and action.status == Action.Status.PUBLISHED
        and action.reminders_enabled
        and not action.time_to_be_announced
        and action.starts_at == reminder.action_starts_at
        and now < action.starts_at
    )


def _retry_or_fail(reminder_id: int, error: Exception, now: datetime.datetime) -> None:
    """After a failed attempt: queued again after 1, 2, 4... minutes (at most an hour), or failed
    for good after REMINDER_MAX_ATTEMPTS."""
    reminder = Reminder.objects.only("attempts").get(pk=reminder_id)
    if reminder.attempts >= settings.REMINDER_MAX_ATTEMPTS:
        changes = {"status": Reminder.Status.FAILED}
    else:
        backoff = datetime.timedelta(minutes=min(2 ** (reminder.attempts - 1), 60))
        changes = {"status": Reminder.Status.QUEUED, "next_attempt_at": now + backoff, "enqueued_at": None}
    text = describe_error(error)
    Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.SENDING).update(error=text, **changes)
    logger.warning("reminder %s: attempt %s failed: %s", reminder.pk, reminder.attempts, text)  # no address


class _Batch:
    """A task's reminders, read with their signup, action, city and campaign in one query. Just before
    each message, what decides whether it is still wanted (see still_wanted) is read again, with one
    light query, so that an action cancelled, moved or edited while the batch is under way stops or
    changes at the next message. The calendar attachment is built once per action and language."""

    def __init__(self, reminder_ids: list[int]):
        self.reminders = Reminder.objects.select_related("signup__action__city", "signup__action__campaign").in_bulk(
            reminder_ids
        )
        self.calendars = {}

    def email(self, reminder_id: int):
        """The reminder's email; raises NotWanted."""
        reminder = self.reminders.get(reminder_id)
        fresh = reminder and _fresh(reminder.signup_id)
        if not fresh:
            raise NotWanted  # erased meanwhile
        signup = reminder.signup
        signup.status, signup.email, updated_at, *action_fields = fresh
        if updated_at != signup.action.updated_at:
            signup.action = Action.objects.select_related("city", "campaign").get(pk=signup.action_id)
        for field, value in zip(_FRESH_ACTION_FIELDS, action_fields, strict=True):  # queryset updates leave updated_at
            setattr(signup.action, field, value)
        if not still_wanted(reminder, timezone.now()):
            raise NotWanted
        return reminder_email(reminder, calendars=self.calendars)


_FRESH_ACTION_FIELDS = ("status", "starts_at", "reminders_enabled", "time_to_be_announced")


def _fresh(signup_id: int) -> tuple | None:
    """(signup status, email, the action's updated_at and _FRESH_ACTION_FIELDS), or None. In SQL:
    the ORM's query building took twice the time of the query itself, and this runs per message."""
    columns = ", ".join(f"a.{field}" for field in ("updated_at", *_FRESH_ACTION_FIELDS))
    sql = f"SELECT s.status, s.email, {columns} FROM {Signup._meta.db_table} s"
    sql += f" JOIN {Action._meta.db_table} a ON a.id = s.action_id WHERE s.id = %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [signup_id])
        row = cursor.fetchone()
    # SQLite's driver gives naive datetimes, in UTC, where the ORM would give aware ones.
    return row and tuple(_aware(value) if isinstance(value, datetime.datetime) else value for value in row)


def _aware(value: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(value, datetime.UTC) if timezone.is_naive(value) else value


@contextlib.contextmanager
def _commits_without_waiting_for_disk():
    """PostgreSQL confirms this connection's commits before they reach the disk. A commit lost to a
    database crash (within a second of it) means a reminder is claimed or sent again: the same window
    as a worker dying before it commits, for a fraction of the cost per message."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        except BaseException:  # noqa: BLE001 - a broken connection, or the task's time limit, mid-RESET
            connection.close()  # never leave the setting on a connection kept for later work


def _finish(reminder_id: int, **changes) -> None:
    """Set `changes` (column: value) on the reminder this worker is sending. In SQL, as _fresh: the
    ORM's update took a quarter of the time per message (bench/reminders.py: 6.0 against 4.5 ms)."""
    fields = [Reminder._meta.get_field(name) for name in changes]
    values = [field.get_db_prep_save(value, connection) for field, value in zip(fields, changes.values(), strict=True)]
    sql = f"UPDATE {Reminder._meta.db_table} SET {', '.join(f'{field.column} = %s' for field in fields)}"
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} WHERE id = %s AND status = %s", [*values, reminder_id, Reminder.Status.SENDING])


def send(reminder_ids: list[int]) -> int:
    """Claim and send a batch over one SMTP connection (in a worker), one row at a time. Returns how
    many were sent.

    A failed message is retried later (see _retry_or_fail) and the batch goes on. If the task runs
    out of time, the reminders not yet sent count a failed attempt each and wait for a later round."""
    with _commits_without_waiting_for_disk():
        return _send(reminder_ids)


def _send(reminder_ids: list[int]) -> int:
    held = claim(reminder_ids, timezone.now())
    sent = 0
    try:
        batch = _Batch(held)
        for reminder_id, error in deliver(list(held), batch.email):
            held.remove(reminder_id)
            if error is None:
                _finish(reminder_id, status=Reminder.Status.SENT, sent_at=timezone.now(), error="")
                sent += 1
            elif isinstance(error, NotWanted):
                _finish(reminder_id, status=Reminder.Status.SKIPPED)
            else:
                _retry_or_fail(reminder_id, error, timezone.now())
    except SoftTimeLimitExceeded:
        pass  # the rest are released below
    finally:
        for reminder_id in held:
            _retry_or_fail(reminder_id, TimeoutError("the batch ran out of time"), timezone.now())
    return sent


def retry(reminders, now: datetime.datetime | None = None) -> int:
    """Queue failed reminders (a queryset) that are still wanted at `now` (aware; default: now) for a
    new round of attempts at the next dispatch: for the action's current start, yet to come, of a
    published action and a confirmed signup. Returns how many."""
    now = now or timezone.now()
    wanted = reminders.filter(
        status=Reminder.Status.FAILED,
        action_starts_at=F("signup__action__starts_at"),
        action_starts_at__gt=now,
        signup__action__status=Action.Status.PUBLISHED,
        signup__status=Signup.Status.CONFIRMED,
    )
    return Reminder.objects.filter(pk__in=list(wanted.values_list("pk", flat=True))).update(
        status=Reminder.Status.QUEUED, attempts=0, next_attempt_at=now, enqueued_at=None, error=""
    )
