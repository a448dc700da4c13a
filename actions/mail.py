"""Outgoing mail: every email the site sends is an OutgoingMail row, queued in the transaction that
decides to send it, handed to a worker after the commit, claimed before it is sent and marked sent
after, retried with one backoff and marked failed after about two hours (MAIL_MAX_ATTEMPTS).

The schedule is the database, not the broker. Every minute `mail_dispatch()` (beat's mail_dispatch
task, or the send_due_reminders command) records the reminders that have come due (reminders.py) and
hands workers every row that is ready and not with a worker: new reminders, retries, and mail queued
while the broker was unreachable or whose message was lost. A worker claims its rows (queued ->
sending, under a row lock) before sending, so a second dispatch, a message delivered twice or two
workers racing find them claimed or sent: each email goes out once. One narrow window remains: a
worker that dies (or loses its database) after the mail server accepted a message and before it
committed "sent" leaves a claim that is taken up again after MAIL_CLAIM_TIMEOUT, and that person gets
the email twice.

Nothing is rendered until it is sent: the row names the signup, and the message is built then, in the
volunteer's language and to their address as they are then. An address the email provider reported
as bouncing or complaining (Suppression) is not sent to; the row says why.
"""

import contextlib
import datetime
import logging
from collections.abc import Callable, Iterable
from functools import partial
from typing import cast

from anymail.exceptions import AnymailRecipientsRefused
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Field, Q, QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError

from . import reminders
from .emails import (
    NotWanted,
    action_update_email,
    deliver,
    describe_error,
    mask_addresses,
    reminder_email,
    signup_email,
)
from .models import Action, MailKind, MailStatus, OutgoingMail, Signup, Suppression
from .querysets import pages

logger = logging.getLogger(__name__)

# What each kind needs of its signup to be still worth sending when its turn comes.
WANTED_STATUSES: dict[str, set[str]] = {
    MailKind.CONFIRM: {Signup.Status.PENDING},
    MailKind.EXISTING: {Signup.Status.CONFIRMED, Signup.Status.WAITLISTED},
    MailKind.PROMOTED: {Signup.Status.CONFIRMED},
    MailKind.CANCELLED: {Signup.Status.CANCELLED},
    MailKind.UPDATE: {Signup.Status.CONFIRMED, Signup.Status.WAITLISTED},
    MailKind.MESSAGE: {Signup.Status.CONFIRMED, Signup.Status.WAITLISTED},
    MailKind.FOLLOW_UP: {Signup.Status.CONFIRMED},
}
# Kinds still worth sending once their action is over.
AFTER_THE_ACTION = {MailKind.CANCELLED, MailKind.FOLLOW_UP, MailKind.MESSAGE}

# Kinds another app builds: kind -> a function of the row that returns the email, or raises
# NotWanted. The hosting app registers its own (hosting/apps.py).
EMAIL_BUILDERS: dict[str, Callable[[OutgoingMail], EmailMultiAlternatives]] = {}


class Undeliverable(NotWanted):
    """The address is suppressed (see Suppression); the text says since when and why."""


def mail_queue(*, kind: str, signup: Signup, context: dict | None = None, skipped: bool = False) -> OutgoingMail:
    """Queue one email of `kind` (a MailKind) to `signup`'s volunteer, handed to a worker once the
    transaction commits (a rolled-back signup is never mailed; the request never waits on SMTP).
    `context` is JSON the kind's email needs beyond the rows (an update's changes). With `skipped`, the
    row is recorded as skipped and handed out all the same: its worker finds nothing to send, and the
    caller has done the same work as for a real email."""
    mail = _queued(kind, signup.pk, signup.language, context)
    if skipped:
        mail.status = MailStatus.SKIPPED
    mail.save()
    _hand_out_after_commit([mail.pk])
    return mail


def mail_queue_to(*, kind: str, recipient: str, language: str, context: dict) -> OutgoingMail:
    """Queue one email of `kind` to someone who is not a signup (a host, a would-be host), at
    `recipient`, in `language`; `context` names what its builder (EMAIL_BUILDERS) reads, by id.
    Handed to a worker once the transaction commits."""
    now = timezone.now()
    mail = OutgoingMail.objects.create(
        kind=kind, recipient=recipient, language=language, context=context, next_attempt_at=now, enqueued_at=now
    )
    _hand_out_after_commit([mail.pk])
    return mail


def mail_queue_for(*, kind: str, signups: QuerySet, context: dict | None = None) -> int:
    """Queue one email of `kind` to each of `signups` that has an address, in batches of
    MAIL_BATCH_SIZE per worker task, handed out after the commit. Returns how many."""
    count = 0
    for rows in pages(signups.exclude(email=""), settings.MAIL_BATCH_SIZE, "language"):
        created = OutgoingMail.objects.bulk_create(_queued(kind, pk, language, context) for pk, language in rows)
        _hand_out_after_commit([mail.pk for mail in created])
        count += len(created)
    return count


def _queued(kind: str, signup_id: int, language: str, context: dict | None) -> OutgoingMail:
    """A row due now and counted as handed out: the commit hands it to a worker (see _hand_out)."""
    now = timezone.now()
    return OutgoingMail(
        kind=kind, signup_id=signup_id, language=language, context=context or {}, next_attempt_at=now, enqueued_at=now
    )


def mail_dispatch_soon() -> None:
    """Ask a worker for a dispatch now rather than at the next minute's (a volunteer confirmed when a
    reminder is already due). With the broker unreachable, beat's next dispatch does it."""
    from .tasks import mail_dispatch

    try:
        mail_dispatch.delay()
    except OperationalError:
        logger.warning("mail: the broker is unreachable; the next dispatch sends what is due")


def _hand_out_after_commit(ids: list[int]) -> None:
    transaction.on_commit(partial(_hand_out, ids))


def _hand_out(ids: list[int]) -> bool:
    """Give `ids` to a worker. With the broker unreachable, mark them never handed out, for the next
    dispatch that reaches it, and return False."""
    from .tasks import mail_send

    try:
        mail_send.delay(ids)
    except OperationalError:
        OutgoingMail.objects.filter(pk__in=ids).update(enqueued_at=None)
        logger.warning("mail: the broker is unreachable; %s emails wait for the next dispatch", len(ids))
        return False
    return True


def mail_enqueue(*, now: datetime.datetime, after: int = 0) -> tuple[int, int]:
    """Hand mail ready at `now` (aware) whose id is above `after` to workers, MAIL_BATCH_SIZE ids per
    task. Returns (how many, the highest id handed out, or `after`).

    Two dispatches at once may hand out the same ids; the workers' claim keeps that harmless."""
    count = 0
    for ids in pages(OutgoingMail.objects.to_enqueue(now).filter(pk__gt=after), settings.MAIL_BATCH_SIZE):
        OutgoingMail.objects.filter(pk__in=ids).update(enqueued_at=now)
        if not _hand_out(ids):
            break  # the rest too waits for the next dispatch
        count += len(ids)
        after = ids[-1]
    return count, after


def mail_dispatch(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """One round (every minute): skip obsolete reminders, record those due, hand out what is ready.

    Each page of due reminders goes to the workers as soon as it is recorded, so that when many come
    due at once (100,000 take over a minute to record) sending starts at once; each page's hand-out
    reads only the rows after the last one handed out. A last hand-out reads them all: retries, mail
    queued while the broker was down, and rows another dispatch recorded. `now` is aware (default:
    now). Returns {"skipped": n, "queued": n, "enqueued": n}."""
    now = now or timezone.now()
    result = {"skipped": OutgoingMail.objects.obsolete(now).update(status=MailStatus.SKIPPED), "enqueued": 0}
    handed_up_to = 0

    def hand_out(after: int) -> None:
        nonlocal handed_up_to
        count, handed_up_to = mail_enqueue(now=now, after=after)
        result["enqueued"] += count

    result["queued"] = reminders.reminders_schedule(now=now, recorded=lambda: hand_out(handed_up_to))
    hand_out(0)
    if any(result.values()):
        logger.info("mail: %s", result)
    return result


def mail_claim(*, ids: Iterable[int], now: datetime.datetime) -> list[int]:
    """Mark as being sent, by this worker, those of `ids` that are claimable at `now` (aware).

    Row locks make two workers claiming the same ids at once split them; neither waits for the
    other. Returns the ids this worker now holds, in the order they were queued."""
    with transaction.atomic():
        ids = list(
            OutgoingMail.objects.claimable(now)
            .filter(pk__in=list(ids))
            .select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        OutgoingMail.objects.filter(pk__in=ids).update(
            status=MailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    return ids


def backoff(attempts: int) -> datetime.timedelta:
    """How long after failed attempt number `attempts` (1, 2...) the next one is made: 1, 2, 4...
    minutes, at most an hour; MAIL_MAX_ATTEMPTS = 8 attempts span about two hours."""
    return datetime.timedelta(minutes=min(2 ** (attempts - 1), 60))


def _retry_or_fail(mail_id: int, error: Exception, now: datetime.datetime) -> None:
    """After a failed attempt: queued again after backoff(), or failed for good after
    MAIL_MAX_ATTEMPTS."""
    mail = OutgoingMail.objects.only("attempts").filter(pk=mail_id).first()
    if mail is None:
        return  # erased with its signup meanwhile
    changes: dict[str, object]
    if mail.attempts >= settings.MAIL_MAX_ATTEMPTS:
        changes = {"status": MailStatus.FAILED}
    else:
        changes = {"status": MailStatus.QUEUED, "next_attempt_at": now + backoff(mail.attempts), "enqueued_at": None}
    text = describe_error(error)
    OutgoingMail.objects.filter(pk=mail.pk, status=MailStatus.SENDING).update(error=text, **changes)
    logger.warning("mail %s: attempt %s failed: %s", mail.pk, mail.attempts, text)  # no address


class _Batch:
    """A task's mail, read with its signup, action, city and campaign in one query, and which of
    their addresses are suppressed, in another. Just before each reminder, what decides whether it is
    still wanted is read again with one light query (reminders.reminder_refresh), so that an action
    cancelled, moved or edited while the batch is under way stops or changes at the next message. The
    calendar attachment is built once per action and language."""

    def __init__(self, ids: list[int]):
        self.mail = OutgoingMail.objects.select_related("signup__action__city", "signup__action__campaign").in_bulk(ids)
        hashes = {Suppression.hash_address(mail.address) for mail in self.mail.values() if mail.address}
        self.suppressed: dict[str, Suppression | None] = dict.fromkeys(hashes)  # known, and not suppressed
        self.suppressed.update((s.address_hash, s) for s in Suppression.objects.filter(address_hash__in=hashes))
        self.calendars: dict = {}

    def email(self, mail_id: int):
        """The email of row `mail_id`; raises NotWanted, or Undeliverable."""
        mail = self.mail.get(mail_id)
        if mail is None or not self._wanted(mail):
            raise NotWanted
        self._check_suppressed(mail.address)
        if builder := EMAIL_BUILDERS.get(mail.kind):
            return builder(mail)
        if mail.signup is None:
            raise NotWanted  # the kinds built here are written to a signup
        if mail.kind == MailKind.REMINDER:
            return reminder_email(mail, calendars=self.calendars)
        if mail.kind == MailKind.UPDATE:
            return action_update_email(mail.signup, changes=mail.context["changes"], previous=mail.context["previous"])
        return signup_email(mail.signup, mail.kind)

    def _wanted(self, mail: OutgoingMail) -> bool:
        if mail.kind == MailKind.REMINDER:
            return reminders.reminder_refresh(reminder=mail) and reminders.reminder_wanted(
                reminder=mail, now=timezone.now()
            )
        signup = mail.signup
        if signup is None:
            return bool(mail.recipient)
        # Read again: the volunteer may have confirmed, cancelled or erased since the batch began.
        fresh = Signup.objects.filter(pk=signup.pk).values_list("status", "email").first()
        if fresh is None:
            return False
        signup.status, signup.email = fresh
        over = signup.action.ends_at <= timezone.now() and mail.kind not in AFTER_THE_ACTION
        return bool(signup.email) and signup.status in WANTED_STATUSES.get(mail.kind, {signup.status}) and not over

    def _check_suppressed(self, address: str) -> None:
        digest = Suppression.hash_address(address)
        suppression = self.suppressed.get(digest)
        if suppression is None and digest not in self.suppressed:  # an address changed since the batch began
            suppression = self.suppressed[digest] = Suppression.objects.filter(address_hash=digest).first()
        if suppression is not None:
            raise Undeliverable(_undeliverable_text(suppression))


def _undeliverable_text(suppression: Suppression) -> str:
    return (
        f"{suppression.get_reason_display()} ({suppression.provider or '-'}, "
        f"{suppression.created_at:%Y-%m-%d %H:%M} UTC)"
    )


@contextlib.contextmanager
def _commits_without_waiting_for_disk():
    """PostgreSQL confirms this connection's commits before they reach the disk. A commit lost to a
    database crash (within a second of it) means an email is claimed or sent again: the same window
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


def _finish(mail_id: int, **changes) -> None:
    """Set `changes` (column: value) on the row this worker is sending. In SQL: the ORM's update took
    a quarter of the time per message (bench/reminders.py: 6.0 against 4.5 ms)."""
    fields = [cast(Field, OutgoingMail._meta.get_field(name)) for name in changes]
    values = [field.get_db_prep_save(value, connection) for field, value in zip(fields, changes.values(), strict=True)]
    sql = f"UPDATE {OutgoingMail._meta.db_table} SET {', '.join(f'{field.column} = %s' for field in fields)}"
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} WHERE id = %s AND status = %s", [*values, mail_id, MailStatus.SENDING])


def mail_send(*, ids: list[int]) -> int:
    """Claim and send a batch over one mail connection (in a worker), one row at a time. Returns how
    many were sent.

    A failed message is retried later (see _retry_or_fail) and the batch goes on. If the task runs
    out of time, the rows not yet sent count a failed attempt each and wait for a later round."""
    with _commits_without_waiting_for_disk():
        return _send(ids)


def _send(ids: list[int]) -> int:
    held = mail_claim(ids=ids, now=timezone.now())
    sent = 0
    failure: Exception = TimeoutError("the batch ran out of time")
    try:
        batch = _Batch(held)
        for mail_id, error, message_id in deliver(list(held), batch.email):
            held.remove(mail_id)
            if error is None:
                signup = batch.mail[mail_id].signup
                language = signup.language if signup is not None else ""
                _finish(
                    mail_id,
                    status=MailStatus.SENT,
                    sent_at=timezone.now(),
                    error="",
                    message_id=message_id,
                    **({"language": language} if language else {}),
                )
                sent += 1
            elif isinstance(error, Undeliverable):
                _finish(mail_id, status=MailStatus.UNDELIVERABLE, error=str(error))
            elif isinstance(error, AnymailRecipientsRefused):
                # The provider refuses the address itself (it bounced or complained before): no retry.
                refused = suppression_record(
                    address=batch.mail[mail_id].address,
                    reason=Suppression.Reason.REJECTED,
                    provider=settings.EMAIL_PROVIDER,
                    detail=describe_error(error),
                )
                _finish(mail_id, status=MailStatus.UNDELIVERABLE, error=_undeliverable_text(refused))
            elif isinstance(error, NotWanted):
                _finish(mail_id, status=MailStatus.SKIPPED)
            else:
                _retry_or_fail(mail_id, error, timezone.now())
    except SoftTimeLimitExceeded:
        pass  # the rest are released below
    except Exception as error:
        failure = error  # e.g. no connection to the provider could even be made: say so on every row
        raise
    finally:
        for mail_id in held:
            _retry_or_fail(mail_id, failure, timezone.now())
    return sent


def mail_retry(*, mail: QuerySet, now: datetime.datetime | None = None) -> int:
    """Queue again the failed or undeliverable rows of `mail` (a queryset) that are still wanted at
    `now` (aware; default: now), for a new round of attempts; the next dispatch hands them out. A
    reminder is wanted for the action's current start, yet to come, of a published action and a
    confirmed signup; other mail while its signup keeps an address and its action is not over (a
    cancellation: even then). An address still undeliverable is not tried again. Returns how many."""
    now = now or timezone.now()
    stale_reminder = Q(kind=MailKind.REMINDER) & ~Q(
        action_starts_at=F("signup__action__starts_at"),
        action_starts_at__gt=now,
        signup__action__status=Action.Status.PUBLISHED,
        signup__status=Signup.Status.CONFIRMED,
    )
    over = Q(signup__action__ends_at__lte=now) & ~Q(kind__in=AFTER_THE_ACTION)
    candidates = (
        mail.filter(status__in=[MailStatus.FAILED, MailStatus.UNDELIVERABLE])
        .exclude(stale_reminder)
        .exclude(over)
        .exclude(signup__isnull=False, signup__email="")
        .select_related("signup")
    )
    rows = {row.pk: Suppression.hash_address(row.address) for row in candidates}
    suppressed = set(Suppression.objects.filter(address_hash__in=rows.values()).values_list("address_hash", flat=True))
    ids = [pk for pk, digest in rows.items() if digest not in suppressed]
    return OutgoingMail.objects.filter(pk__in=ids).update(
        status=MailStatus.QUEUED, attempts=0, next_attempt_at=now, enqueued_at=None, error=""
    )


def mail_anonymize(*, signups: QuerySet, now: datetime.datetime) -> None:
    """Erase what mail rows hold beyond their kind and status: errors (a server may quote an address),
    context, and addresses of mail to non-signups, for `signups` (their data is being erased) and for
    any row older than SIGNUP_RETENTION_DAYS. Suppressions keep only their hash after that time."""
    cutoff = now - datetime.timedelta(days=settings.SIGNUP_RETENTION_DAYS)
    rows = OutgoingMail.objects.filter(Q(signup__in=signups) | Q(created_at__lt=cutoff))
    rows.exclude(error="", context={}, recipient="").update(error="", context={}, recipient="")
    Suppression.objects.filter(created_at__lt=cutoff).exclude(address="", detail="").update(address="", detail="")


def suppression_record(*, address: str, reason: str, provider: str = "", detail: str = "") -> Suppression:
    """Mark `address` undeliverable for `reason` (a Suppression.Reason): later mail to it is not sent.
    The first report stands; `detail` is stored with any address in it masked."""
    digest = Suppression.hash_address(address)
    defaults = {"address": address, "reason": reason, "provider": provider, "detail": mask_addresses(detail)}
    try:
        with transaction.atomic():
            suppression, created = Suppression.objects.get_or_create(address_hash=digest, defaults=defaults)
    except IntegrityError:  # the same report, at the same moment
        return Suppression.objects.get(address_hash=digest)
    if created:
        logger.info("mail: an address was marked undeliverable (%s, %s)", reason, provider)
    return suppression
