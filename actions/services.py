"""Writes on actions. Views and the admin call these; they hold the rules."""

import secrets
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Field, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from modeltranslation.utils import build_localized_fieldname

from common.translations import translated_fields

from . import mail, reminders
from .emails import previous_times
from .models import AccessLog, Action, City, MailKind, OutgoingMail, Signup


def _same_wall_time(moment: datetime, source: ZoneInfo, target: ZoneInfo) -> datetime:
    """The instant that reads in `target` as `moment` reads in `source` (6 PM in New York -> 6 PM in
    San Francisco). Aware in, aware out in UTC, so that adding a duration adds real time. A time the
    clocks skip in `target` comes out an hour later, as a clock would show it."""
    return moment.astimezone(source).replace(tzinfo=target).astimezone(UTC)


def _unique_action_slug(base: str) -> str:
    """`base` slugified, with -2, -3... appended until no action uses it."""
    stem = slugify(base)[:110] or "action"
    slug, n = stem, 1
    while Action.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{stem}-{n}"
    return slug


def _save_with_unique_slug(action: Action, base: str, attempts: int = 5) -> None:
    """Insert `action` under a free slug made from `base`.

    Organizers saving at once can pick the same free slug; the unique index refuses all but one,
    and the others try again, with a random suffix after the first try so that a crowd spreads out.
    """
    for attempt in range(attempts):
        action.slug = _unique_action_slug(base if attempt == 0 else f"{base}-{secrets.token_hex(3)}")
        try:
            with transaction.atomic():
                action.save()
            return
        except IntegrityError:
            if attempt == attempts - 1 or not Action.objects.filter(slug=action.slug).exists():
                raise


def action_create(*, action: Action, slug_base: str) -> Action:
    """Insert the new `action` under a free slug made from `slug_base` (its title, say)."""
    _save_with_unique_slug(action, slug_base)
    return action


def _city_name(city: City, language: str) -> str:
    """The city's name in `language`, else in any language (names like Tucson are often left
    untranslated)."""
    names = [getattr(city, build_localized_fieldname("name", code)) for code, _name in settings.LANGUAGES]
    return getattr(city, build_localized_fieldname("name", language)) or next(filter(None, names), "")


def _retitled(title: str | None, old: City | None, new: City, language: str) -> str | None:
    """`title` with the old city's name replaced by the new city's, where it appears; at most as
    long as a title may be."""
    if not title or old is None:
        return title
    field = Action._meta.get_field(build_localized_fieldname("title", language))
    assert isinstance(field, Field)  # a column of Action's, not a relation's other end
    max_length = field.max_length
    return title.replace(_city_name(old, language), _city_name(new, language))[:max_length]


def _slug_base(title: str, city: City) -> str:
    """The title, with the city's slug added unless the title already names the city."""
    return title if city.slug in slugify(title) else f"{title}-{city.slug}"


class Duplicates(NamedTuple):
    created: list[Action]
    skipped: list[City]  # cities where the copy would break a rule (e.g. fall outside 2000-2099)


def action_duplicate(*, action: Action, cities: Iterable[City]) -> Duplicates:
    """Copy `action` into each of `cities` as a draft, at the same local time there.

    Keeps the duration. Copies kind, campaign, texts in every language (the old city's name in a
    title becomes the new one's), capacity, hosts and demands; leaves venue, address and meeting
    link empty, since those differ by city. Skips the action's own city, and reports as skipped a
    city where the copy would not validate.
    """
    text_fields = [
        build_localized_fieldname(field, code)
        for field in translated_fields(Action)
        for code, _name in settings.LANGUAGES
    ]
    result = Duplicates([], [])
    with transaction.atomic():
        for city in cities:
            if city.pk == action.city_id:
                continue
            texts = {name: getattr(action, name) for name in text_fields}
            for code, _name in settings.LANGUAGES:
                title = build_localized_fieldname("title", code)
                texts[title] = _retitled(texts[title], action.city, city, code)
            starts_at = _same_wall_time(action.starts_at, action.zone, city.zone)
            copy = Action(
                campaign=action.campaign,
                city=city,
                kind=action.kind,
                status=Action.Status.DRAFT,
                starts_at=starts_at,
                ends_at=starts_at + (action.ends_at - action.starts_at),
                time_to_be_announced=action.time_to_be_announced,
                capacity=action.capacity,
                **texts,
            )
            try:
                copy.full_clean(exclude=["slug"])
            except ValidationError:
                result.skipped.append(city)
                continue
            _save_with_unique_slug(copy, _slug_base(texts["title_en"] or texts["title_es"], city))
            copy.hosts.set(action.hosts.all())
            copy.demands.set(action.demands.all())
            result.created.append(copy)
    return result


# What volunteers hear about when it changes, under the names the update email uses.
NOTIFIED_FIELDS = {
    "time": ("starts_at", "ends_at", "time_to_be_announced"),
    "place": ("city_id", "venue", "address"),
    "meeting_link": ("online_url",),
}


def action_changes(before: Action, after: Action) -> list[str]:
    """What volunteers must hear about between two versions of an action: ["cancelled"] when it was
    cancelled; "reinstated" when it was published again (after being cancelled or a draft), with
    what else changed; else those of "time", "place", "meeting_link" that changed, in that order."""
    if after.status != Action.Status.PUBLISHED:
        return ["cancelled"] if after.is_cancelled and not before.is_cancelled else []
    changed = [
        name for name, fields in NOTIFIED_FIELDS.items() if any(getattr(before, f) != getattr(after, f) for f in fields)
    ]
    return changed if before.status == Action.Status.PUBLISHED else ["reinstated", *changed]


def action_save(*, action: Action) -> list[str]:
    """Save `action`, new or changed, and tell its volunteers what changed (see action_changes).

    Unless the action is over, its confirmed and waitlisted volunteers get one update email after
    the commit, however many fields changed (a new meeting link: the confirmed only). Reminders
    follow a new start by themselves (see reminders.py); those already due at the new time are not
    sent, since the update email says the same. A reinstated action, or one whose capacity changed,
    gives its free seats to the waitlist (after the update email: the promoted hear of their seat in
    their own). Returns the changes the volunteers are told of ([] if there is nobody to tell).
    """
    with transaction.atomic():
        before = Action.objects.select_for_update().filter(pk=action.pk).first() if action.pk else None
        action.save()
        if before is None:
            return []
        now = timezone.now()
        changes = []
        if now < before.ends_at or now < action.ends_at:
            changes = action_changes(before, action)
            if changes and not _update_after_commit(action, changes, previous_times(before)):
                changes = []
        # The row is locked since before the save: no signup can take a freed seat meanwhile.
        if "reinstated" in changes or action.capacity != before.capacity:
            _promote_waitlisted(action)
        if "reinstated" in changes or "time" in changes:
            reminders.reminders_skip_for_update(action=action, now=now)
    return changes


def _update_after_commit(action: Action, changes: list[str], previous: dict) -> int:
    """Queue the update email to the volunteers who must hear of `changes`. Returns how many."""
    statuses = [Signup.Status.CONFIRMED]
    if changes != ["meeting_link"]:  # the link is for the confirmed alone
        statuses.append(Signup.Status.WAITLISTED)
    recipients = action.signups.filter(status__in=statuses)
    context = {"changes": changes, "previous": previous}
    return mail.mail_queue_for(kind=MailKind.UPDATE, signups=recipients, context=context)


class SignupClosed(Exception):
    """The action takes no signups now: a draft, cancelled, started, or past its signup deadline."""


def signup_request(
    *,
    action: Action,
    name: str,
    email: str,
    phone: str = "",
    language: str,
    flag: str = "",
    share_with_host: bool = False,
) -> Signup:
    """Sign `email` up for `action` as a pending signup and send the confirmation email. `flag` (a
    SignupFlag, or "") says which signup limit the volunteer passed the challenge for;
    `share_with_host`, whether the volunteer lets the action's hosts see their email and phone.

    If the address (compared case-insensitively) already has a live signup there, nothing is
    created: a pending one is sent its confirmation email again, any other its manage link, one of
    them at most once per SIGNUP_RESEND_MINUTES (the form must not become a way to flood somebody's
    inbox).
    Callers show the same page either way, and both ways take the same three statements (find the
    live signup, create it or check the throttle, queue one outgoing-mail row, a throttled one as
    skipped) and one hand-out to the broker, so that the time taken does not tell whether the address
    is known.
    Raises SignupClosed.
    """
    if not action.signups_open():
        raise SignupClosed
    new: dict[str, str | bool] = {"name": name, "email": email, "phone": phone, "language": language}
    new |= {"flag": flag, "share_with_host": share_with_host}
    try:
        return _signup_or_resend(action, new)
    except IntegrityError:
        # The same address, submitted at the same moment: the unique index let the other one through,
        # and this one now finds it.
        return _signup_or_resend(action, new)


def _signup_or_resend(action: Action, new: dict) -> Signup:
    now = timezone.now()
    cutoff = now - timedelta(hours=settings.SIGNUP_CONFIRM_HOURS)
    with transaction.atomic():
        # One statement finds the address's live signup and every signup of the action past its time
        # (SignupQuerySet.expired), locked: the row lock makes two submissions of a known address at
        # once see each other's email, and an unconfirmed signup past its time no longer holds the
        # address, even before beat removes it. Which signups have expired does not depend on the
        # address, so neither does the work of removing them.
        mine = action.signups.active().filter(email__iexact=new["email"])
        found = list((mine | action.signups.expired(now)).select_for_update())
        if expired := [s.pk for s in found if s.status == Signup.Status.PENDING and s.created_at < cutoff]:
            Signup.objects.filter(pk__in=expired).delete()
        signup = next((s for s in found if s.pk not in expired), None)
        if signup is None:
            signup = Signup.objects.create(action=action, **new)
            # In the same transaction: a second submission, which waits on the unique index, then
            # finds this email queued and sends none of its own.
            mail.mail_queue(kind=MailKind.CONFIRM, signup=signup)
            return signup
        since = timezone.now() - timedelta(minutes=settings.SIGNUP_RESEND_MINUTES)
        recent = signup.mail.recent(RESENT_KINDS, since).exists()
        mail.mail_queue(kind=_resent_kind(signup), signup=signup, skipped=recent)
        return signup


# What signing up again sends; together at most one per SIGNUP_RESEND_MINUTES.
RESENT_KINDS = (MailKind.CONFIRM, MailKind.EXISTING)


def _resent_kind(signup: Signup) -> str:
    """What signing up again sends: the confirmation link while pending, else the manage link."""
    return MailKind.CONFIRM if signup.status == Signup.Status.PENDING else MailKind.EXISTING


def signup_confirm(*, signup: Signup, flag: str = "") -> Signup:
    """Allot the volunteer a seat: confirmed while confirmed signups are below capacity, otherwise
    waitlisted. Confirming again changes nothing. `flag` (a SignupFlag) marks a confirmation that had
    to pass the challenge, unless the signup is flagged already. Raises SignupClosed if signups have
    closed.

    A volunteer confirmed when a reminder is already due gets it at once, not at the next minute's
    dispatch. The signup returned holds its action with city and campaign, for the page that tells
    the volunteer where they stand."""
    with transaction.atomic():
        # Lock the action, not the signups: its seat count is the shared resource. Only its row is
        # locked; its city and campaign come in the same statement, for the caller's page.
        locked = Action.objects.select_related("city", "campaign").select_for_update(of=("self",))
        action = locked.get(pk=signup.action_id)
        signup = Signup.objects.get(pk=signup.pk)
        signup.action = action
        if signup.status != Signup.Status.PENDING:
            return signup
        if not action.signups_open():
            raise SignupClosed
        confirmed = action.signups.confirmed().count()
        has_seat = action.capacity is None or confirmed < action.capacity
        signup.status = Signup.Status.CONFIRMED if has_seat else Signup.Status.WAITLISTED
        signup.confirmed_at = timezone.now()
        signup.flag = signup.flag or flag
        signup.save(update_fields=["status", "confirmed_at", "flag"])
        if signup.is_confirmed and reminders.reminder_due_soon(action=action, now=signup.confirmed_at):
            transaction.on_commit(mail.mail_dispatch_soon)
    return signup


def signup_cancel(*, signup: Signup, erase: bool = False, notify: bool = False) -> None:
    """Cancel the signup, or with `erase` delete it and every signup of the same address at that
    action. A seat it frees goes to the first waitlisted volunteer, who is emailed. With `notify`
    (an organizer cancelled it), the volunteer is emailed too."""
    with transaction.atomic():
        action = Action.objects.select_for_update().get(pk=signup.action_id)
        current = Signup.objects.filter(pk=signup.pk).first()
        if current is None:
            return
        signup = current
        frees_a_seat = signup.status == Signup.Status.CONFIRMED
        if erase:
            # Earlier, cancelled signups of the same address hold the same personal data.
            action.signups.filter(email__iexact=signup.email).exclude(email="").delete()
            signup.delete()
        elif signup.status != Signup.Status.CANCELLED:
            signup.status = Signup.Status.CANCELLED
            signup.cancelled_at = timezone.now()
            signup.save(update_fields=["status", "cancelled_at"])
            if notify:
                mail.mail_queue(kind=MailKind.CANCELLED, signup=signup)
        if frees_a_seat:
            _promote_waitlisted(action)


def signups_cancel_quietly(*, signups: QuerySet[Signup]) -> int:
    """Cancel `signups` (a queryset; suspected bots) without emailing them, all of an action's at once
    before its freed seats go to the waitlist, so that none of them is promoted on the way. Returns
    how many were cancelled."""
    cancelled = 0
    for action_id in signups.order_by().values_list("action_id", flat=True).distinct():
        with transaction.atomic():
            action = Action.objects.select_for_update().get(pk=action_id)
            mine = signups.filter(action_id=action_id).exclude(status=Signup.Status.CANCELLED)
            cancelled += mine.update(status=Signup.Status.CANCELLED, cancelled_at=timezone.now())
            _promote_waitlisted(action)
    return cancelled


def signup_delete(*, signup: Signup) -> None:
    """Delete one signup (an organizer's correction); a seat it frees goes to the waitlist."""
    with transaction.atomic():
        action = Action.objects.select_for_update().get(pk=signup.action_id)
        frees_a_seat = action.signups.confirmed().filter(pk=signup.pk).exists()
        Signup.objects.filter(pk=signup.pk).delete()
        if frees_a_seat:
            _promote_waitlisted(action)


def waitlist_promote(*, action: Action) -> list[Signup]:
    """Give free seats (after a capacity raise) to the first waitlisted volunteers, who are emailed.
    Lowering capacity bumps nobody. Returns the promoted signups."""
    with transaction.atomic():
        return _promote_waitlisted(Action.objects.select_for_update().get(pk=action.pk))


def _promote_waitlisted(action: Action) -> list[Signup]:
    """Caller holds the action's row lock. Nobody is promoted into an action that is cancelled or
    has started."""
    if action.status != Action.Status.PUBLISHED or timezone.now() >= action.starts_at:
        return []
    waitlist = action.signups.waitlist()
    if action.capacity is not None:
        free = action.capacity - action.signups.confirmed().count()
        waitlist = waitlist[: max(free, 0)]
    promoted = list(waitlist)
    for signup in promoted:
        signup.status = Signup.Status.CONFIRMED
        signup.save(update_fields=["status"])
        mail.mail_queue(kind=MailKind.PROMOTED, signup=signup)
    return promoted


def signup_set_language(*, signup: Signup, language: str) -> None:
    """The language of the volunteer's emails and pages, a code from settings.LANGUAGES."""
    Signup.objects.filter(pk=signup.pk).update(language=language)


def signup_set_sharing(*, signup: Signup, share: bool) -> None:
    """Whether the action's hosts see the volunteer's email and phone (their first name they always see)."""
    Signup.objects.filter(pk=signup.pk).update(share_with_host=share)


def signup_resend(*, signup: Signup) -> None:
    """Send the confirmation email again to a pending signup, or the manage link to any other."""
    mail.mail_queue(kind=_resent_kind(signup), signup=signup)


def signups_mark_attended(*, signups: QuerySet[Signup]) -> int:
    """Check confirmed volunteers in at the event (a Signup queryset). Returns how many were marked."""
    return signups.filter(status=Signup.Status.CONFIRMED, attended_at__isnull=True).update(attended_at=timezone.now())


def signups_expire() -> int:
    """Delete pending signups not confirmed within SIGNUP_CONFIRM_HOURS. Returns how many."""
    deleted, _by_model = Signup.objects.expired().delete()
    return deleted


def signups_anonymize() -> int:
    """Erase name, email and phone of signups whose action ended SIGNUP_RETENTION_DAYS ago, keeping
    status and language for counts, and what their mail rows hold beyond kind and status (see
    mail.mail_anonymize). Rows already erased are left alone. Returns how many."""
    now = timezone.now()
    due = Signup.objects.due_for_anonymizing(now)
    mail.mail_anonymize(signups=due, now=now)
    return due.update(name="", email="", phone="", anonymized_at=now)


def signups_vacuum() -> None:
    """On PostgreSQL, VACUUM the tables that hold volunteers' data, so that the old versions of rows
    erased or anonymized (dead tuples, still holding names and addresses on disk) are removed now, not
    whenever autovacuum comes by. Pages all visible since the last run are skipped, so an hourly run
    costs little. Must run outside a transaction (VACUUM cannot run inside one)."""
    tables_vacuum(Signup, OutgoingMail)


def tables_vacuum(*models) -> None:
    """VACUUM the tables of `models` on PostgreSQL (see signups_vacuum); nothing elsewhere."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM {connection.ops.quote_name(model._meta.db_table)}")


def access_log_create(*, user: User, kind: str, signup_id: int | None = None, count: int = 1) -> AccessLog:
    """Record that `user` saw volunteers' contact details: one signup's page (`signup_id`), or an
    export of `count` signups. `kind` is one of AccessLog.Kind."""
    return AccessLog.objects.create(
        user=user, username=user.get_username(), kind=kind, signup_id=signup_id, signup_count=count
    )
