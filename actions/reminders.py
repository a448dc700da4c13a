"""Reminders before an action: when each is due, and whether it is still wanted when its turn comes.

Nothing is queued days ahead. Every minute the mail dispatch (mail.mail_dispatch) calls
`reminders_schedule()`, which records what has come due as reminder rows of the outgoing mail
(models.Reminder); sending them, once each, is the mail pipeline's (actions/mail.py). So neither a
broker restart nor a moved action leaves a stale message behind: whatever was lost is found again by
the next dispatch.

A row names the start it was made for, so an action that moves needs no clean-up: rows for the old
start are skipped, and the new start gets rows of its own (see reminders_skip_for_update for those
already due when it moves).
"""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import Action, OutgoingMail, Reminder, Signup
from .querysets import pages


def offsets() -> list[int]:
    """settings.REMINDER_OFFSETS (minutes before the start), smallest first, without repeats."""
    return sorted(set(settings.REMINDER_OFFSETS))


def _due_offsets(action: Action, now: datetime.datetime) -> list[int]:
    """The offsets of `action` that are due at `now` (aware), in real time (through UTC: arithmetic
    on a datetime in a zone with DST would count clock hours)."""
    starts_at = action.starts_at.astimezone(datetime.UTC)
    return [m for m in offsets() if starts_at - datetime.timedelta(minutes=m) <= now]


def reminder_due_soon(*, action: Action, now: datetime.datetime) -> bool:
    """Whether a reminder of `action` is due at `now` (aware) for a volunteer confirmed now."""
    return bool(_due_offsets(action, now))


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


def reminders_schedule(*, now: datetime.datetime, recorded: Callable[[], object] | None = None) -> int:
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


def reminders_skip_for_update(*, action: Action, now: datetime.datetime) -> None:
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


def reminder_wanted(*, reminder: OutgoingMail, now: datetime.datetime) -> bool:
    """Whether the volunteer still wants this reminder: confirmed, with an address, for a published
    action with reminders on, a time, and the start the reminder was made for, yet to come."""
    signup = reminder.signup
    if signup is None:
        return False
    action = signup.action
    return (
        signup.status == Signup.Status.CONFIRMED
        and bool(signup.email)
        and action.status == Action.Status.PUBLISHED
        and action.reminders_enabled
        and not action.time_to_be_announced
        and action.starts_at == reminder.action_starts_at
        and now < action.starts_at
    )


def reminder_refresh(*, reminder: OutgoingMail) -> bool:
    """Read again, with one light query, what decides whether `reminder` is still wanted (see
    reminder_wanted) onto its signup and action, and the whole action if it was edited since it was
    read. Returns False if the signup is gone."""
    signup = reminder.signup
    fresh = signup and _fresh(signup.pk)
    if not signup or not fresh:
        return False
    signup.status, signup.email, updated_at, *action_fields = fresh
    if updated_at != signup.action.updated_at:
        signup.action = Action.objects.select_related("city", "campaign").get(pk=signup.action_id)
    for field, value in zip(_FRESH_ACTION_FIELDS, action_fields, strict=True):  # queryset updates leave updated_at
        setattr(signup.action, field, value)
    return True


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
