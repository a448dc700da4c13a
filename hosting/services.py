"""Writes of hosting from below. Views and the admin call these; they hold the rules.

The path: proposal_submit (unconfirmed; the host gets a confirmation link) -> proposal_confirm
(awaiting review) -> proposal_approve (the action is created, the host gets their host link),
proposal_request_changes (the host gets an edit link; proposal_resubmit sends it back to review) or
proposal_decline. Each decision is emailed to the host in their language."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from actions import mail
from actions import services as action_services
from actions.models import Action, Campaign, MailKind, Organization, OutgoingMail, Signup

from .models import ActionReport, Host, HostChange, HostMessage, Proposal, ReportPhoto

TEXT_FIELDS = ("title_en", "title_es", "description_en", "description_es")


class ProposalsClosed(Exception):
    """The campaign does not take proposals today (see Campaign.accepts_proposals)."""


class NotUnderReview(Exception):
    """A decision on a proposal that is not awaiting review (decided already, or unconfirmed)."""


class MessageLimitReached(Exception):
    """The action's volunteers had HOST_MESSAGES_PER_DAY messages in the last 24 hours."""


class NoRecipients(Exception):
    """Nobody with an address is on the list a message is for: it would use up one of the day's
    messages for nothing."""


def _queue(kind: str, *, to: str, language: str, **context) -> None:
    mail.mail_queue_to(kind=kind, recipient=to, language=language, context=context)


def proposal_submit(*, proposal: Proposal) -> Proposal:
    """Save a new `proposal` (validated, unsaved) as unconfirmed, keeping what the host typed, and
    send the host its confirmation link. Raises ProposalsClosed.

    The same proposal sent again (same campaign, address, title and start, not yet decided: a double
    press, a reload) is not saved twice: an unconfirmed one gets its confirmation email again, at most
    once per SIGNUP_RESEND_MINUTES; the one already saved is returned."""
    if not proposal.campaign.accepts_proposals():
        raise ProposalsClosed
    proposal.status = Proposal.Status.UNCONFIRMED
    proposal.submitted = {name: getattr(proposal, name) for name in TEXT_FIELDS}
    with transaction.atomic():
        # The campaign's row lock makes two presses at once see each other's proposal.
        Campaign.objects.select_for_update().filter(pk=proposal.campaign_id).first()
        same = _same_proposal(proposal)
        if same is None:
            proposal.save()
        elif same.status != Proposal.Status.UNCONFIRMED or _confirm_sent_recently(same):
            return same
        else:
            proposal = same
        _queue(MailKind.PROPOSAL_CONFIRM, to=proposal.email, language=proposal.language, proposal=proposal.pk)
    return proposal


def _same_proposal(proposal: Proposal) -> Proposal | None:
    """An undecided proposal of the same campaign, address, title and start as `proposal`."""
    undecided = [Proposal.Status.UNCONFIRMED, Proposal.Status.SUBMITTED]
    title = f"title_{proposal.language}"
    return (
        Proposal.objects.filter(
            campaign_id=proposal.campaign_id,
            email__iexact=proposal.email,
            starts_at=proposal.starts_at,
            status__in=undecided,
            **{f"{title}__iexact": getattr(proposal, title)},
        )
        .order_by("pk")
        .first()
    )


def _confirm_sent_recently(proposal: Proposal) -> bool:
    since = timezone.now() - datetime.timedelta(minutes=settings.SIGNUP_RESEND_MINUTES)
    return OutgoingMail.objects.filter(
        kind=MailKind.PROPOSAL_CONFIRM, context__proposal=proposal.pk, created_at__gte=since
    ).exists()


def proposal_confirm(*, proposal: Proposal) -> Proposal:
    """The host confirmed their address: an unconfirmed proposal goes to review. Confirming again
    changes nothing. Raises ProposalsClosed if the campaign stopped taking proposals meanwhile."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().select_related("campaign").get(pk=proposal.pk)
        if proposal.status != Proposal.Status.UNCONFIRMED:
            return proposal
        if not proposal.campaign.accepts_proposals():
            raise ProposalsClosed
        proposal.status = Proposal.Status.SUBMITTED
        proposal.confirmed_at = timezone.now()
        proposal.save(update_fields=["status", "confirmed_at"])
    return proposal


def proposal_resubmit(*, proposal: Proposal) -> Proposal:
    """Save the host's corrections (a proposal coordinators asked changes of, edited and validated)
    and send it back to review. Raises NotUnderReview for a proposal in another state."""
    with transaction.atomic():
        current = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if current.status != Proposal.Status.CHANGES_REQUESTED:
            raise NotUnderReview
        proposal.status = Proposal.Status.SUBMITTED
        proposal.submitted = {name: getattr(proposal, name) for name in TEXT_FIELDS}
        proposal.save()
    return proposal


def _decide(proposal: Proposal, status: str, user: User | None, message: str) -> Proposal:
    """Caller holds the proposal's row lock."""
    proposal.status = status
    proposal.reviewed_at = timezone.now()
    proposal.reviewed_by = user
    proposal.review_message = message
    proposal.save()
    return proposal


def _locked_for_review(proposal: Proposal) -> Proposal:
    current = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if current.status != Proposal.Status.SUBMITTED:
        raise NotUnderReview
    return current


def proposal_approve(*, proposal: Proposal, user: User | None, message: str = "", draft: bool = False) -> Action:
    """Publish `proposal` (its texts as reviewers left them) as an action of its campaign, a draft
    with `draft`, hosted by the proposer, who is emailed their host link. An organization of the
    same name (any case) becomes a hosting organization. Raises NotUnderReview."""
    with transaction.atomic():
        _locked_for_review(proposal)  # reviewers' edits to `proposal` are saved below
        action = Action(
            campaign=proposal.campaign,
            city=proposal.city,
            kind=proposal.kind,
            venue=proposal.venue,
            address=proposal.address,
            starts_at=proposal.starts_at,
            ends_at=proposal.ends_at,
            capacity=proposal.capacity,
            status=Action.Status.DRAFT if draft else Action.Status.PUBLISHED,
            **{name: getattr(proposal, name) for name in TEXT_FIELDS},
        )
        base = proposal.title_en or proposal.title_es
        action_services.action_create(
            action=action, slug_base=f"{base}-{proposal.city.slug}" if proposal.city else base
        )
        action.demands.set(proposal.campaign.demands.all())
        if proposal.organization:
            action.hosts.set(Organization.objects.filter(_named(proposal.organization)))
        proposal.action = action
        _decide(proposal, Proposal.Status.APPROVED, user, message)
        host = Host.objects.create(
            action=action,
            proposal=proposal,
            name=proposal.host_name,
            email=proposal.email,
            phone=proposal.phone,
            language=proposal.language,
        )
        _queue(MailKind.PROPOSAL_DECISION, to=host.email, language=host.language, proposal=proposal.pk, host=host.pk)
    return action


def _named(name: str) -> Q:
    lookups = Q()
    for code, _name in settings.LANGUAGES:
        lookups |= Q(**{f"name_{code}__iexact": name.strip()})
    return lookups


def proposal_request_changes(*, proposal: Proposal, user: User | None, message: str) -> Proposal:
    """Send `proposal` back to its host with `message`, and a link to correct it. Raises NotUnderReview."""
    return _send_back(proposal, Proposal.Status.CHANGES_REQUESTED, user, message)


def proposal_decline(*, proposal: Proposal, user: User | None, message: str) -> Proposal:
    """Decline `proposal`, telling its host why (`message`). Raises NotUnderReview."""
    return _send_back(proposal, Proposal.Status.DECLINED, user, message)


def _send_back(proposal: Proposal, status: str, user: User | None, message: str) -> Proposal:
    with transaction.atomic():
        _locked_for_review(proposal)
        _decide(proposal, status, user, message)
        _queue(MailKind.PROPOSAL_DECISION, to=proposal.email, language=proposal.language, proposal=proposal.pk)
    return proposal


def host_link_new(*, host: Host) -> Host:
    """Give `host` a new link (the old one stops working) and email it to them; a revoked host is
    let in again."""
    host.token = Host._meta.get_field("token").get_default()
    host.revoked_at = None
    with transaction.atomic():
        host.save(update_fields=["token", "revoked_at"])
        _queue(MailKind.HOST_LINK, to=host.email, language=host.language, host=host.pk, reason="new")
    return host


def host_revoke(*, host: Host) -> None:
    """Close the host page to `host`'s link (coordinators); host_link_new opens it again."""
    Host.objects.filter(pk=host.pk, revoked_at=None).update(revoked_at=timezone.now())


class CohostRefused(Exception):
    """An invitation that cannot be made; `code` says why: "already" (the address hosts the action),
    "revoked" (coordinators closed that address's link: only they can let it in again), "full"
    (HOSTS_PER_ACTION_MAX active hosts)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def cohost_invite(*, host: Host, name: str, email: str, language: str) -> Host:
    """Add a co-host to `host`'s action, with their own link, emailed to them. Raises CohostRefused
    for an address that hosts the action already (its link is left as it is: no host can kill
    another's), one whose link the coordinators revoked, or past HOSTS_PER_ACTION_MAX active hosts."""
    with transaction.atomic():
        # The action's row lock serializes invitations, so that two at once both count.
        Action.objects.select_for_update().filter(pk=host.action_id).first()
        hosts = host.action.host_people.filter(anonymized_at=None)
        same = hosts.filter(email__iexact=email)
        if same.filter(revoked_at=None).exists():
            raise CohostRefused("already")
        if same.exists():
            raise CohostRefused("revoked")
        if hosts.filter(revoked_at=None).count() >= settings.HOSTS_PER_ACTION_MAX:
            raise CohostRefused("full")
        cohost = Host.objects.create(action=host.action, invited_by=host, name=name, email=email, language=language)
        _queue(MailKind.HOST_LINK, to=email, language=language, host=cohost.pk, reason="invited", by=host.pk)
    return cohost


def message_send(
    *,
    action: Action,
    audience: str,
    subjects: dict[str, str],
    bodies: dict[str, str],
    host: Host | None = None,
    user: User | None = None,
) -> HostMessage:
    """Email a message to `action`'s volunteers of `audience` (HostMessage.Audience), one email each,
    in their language where the author wrote it, else in the other. `subjects` and `bodies` map
    language codes to text (Markdown); at least one language has both. From a host (`host`) or an
    organizer (`user`). Raises MessageLimitReached past HOST_MESSAGES_PER_DAY in 24 hours,
    NoRecipients if nobody is on the list, ValidationError without a whole language."""
    with transaction.atomic():
        # The lock serializes two messages sent at once, so that both count against the limit.
        Action.objects.select_for_update().filter(pk=action.pk).first()
        since = timezone.now() - datetime.timedelta(hours=24)
        if action.host_messages.filter(created_at__gte=since).count() >= settings.HOST_MESSAGES_PER_DAY:
            raise MessageLimitReached
        signups = message_recipients(action, audience)
        if not signups.exists():
            raise NoRecipients
        message = HostMessage(action=action, audience=audience, host=host, sent_by=user)
        for code, _name in settings.LANGUAGES:
            setattr(message, f"subject_{code}", subjects.get(code, "").strip())
            setattr(message, f"body_{code}", bodies.get(code, "").strip())
        message.full_clean()
        message.save()
        message.recipients = mail.mail_queue_for(
            kind=MailKind.MESSAGE, signups=signups, context={"message": message.pk}
        )
        message.save(update_fields=["recipients"])
    return message


def message_recipients(action: Action, audience: str):
    """The signups a message to `audience` (HostMessage.Audience) of `action` goes to: a queryset."""
    return action.signups.filter(status=audience).exclude(email="")


def messages_left(action: Action) -> int:
    """How many messages the action's hosts may still send in the coming 24 hours."""
    since = timezone.now() - datetime.timedelta(hours=24)
    return max(settings.HOST_MESSAGES_PER_DAY - action.host_messages.filter(created_at__gte=since).count(), 0)


def host_action_edit(*, host: Host, action: Action, fields: Iterable[str]) -> list[str]:
    """Save the changes `host` made to `action` (validated; `fields` names those changed) and record
    them with who made them. Volunteers get the update email as for organizers' edits (see
    actions.services.action_save). Returns what volunteers are told of."""
    fields = list(fields)
    with transaction.atomic():
        told = action_services.action_save(action=action)
        if fields:
            HostChange.objects.create(action=action, host=host, host_name=host.name, fields=fields)
    return told


def host_action_cancel(*, host: Host, action: Action) -> list[str]:
    """Cancel `action` from the host page: its volunteers are told, the change recorded. Cancelling
    again (two presses at once) changes and records nothing: returns []."""
    with transaction.atomic():
        current = Action.objects.select_for_update().get(pk=action.pk)
        if current.is_cancelled:
            return []
        action.status = Action.Status.CANCELLED
        return host_action_edit(host=host, action=action, fields=["status"])


class CheckInClosed(Exception):
    """Check-in is for the day of the action (see check_in_open)."""


def check_in_open(action: Action, now: datetime.datetime | None = None) -> bool:
    """Whether hosts may check volunteers in at `now` (aware; default: now): from midnight of the
    action's first day, in its own zone, until a day after it ends (names typed in late)."""
    now = now or timezone.now()
    day = datetime.datetime.combine(action.local_starts_at.date(), datetime.time(0), tzinfo=action.zone)
    return day <= now < action.ends_at + datetime.timedelta(days=1)


def check_in(*, action: Action, signup_id: int, attended: bool) -> bool:
    """Mark a confirmed volunteer of `action` as there (or not, a tap undone). Returns whether a
    signup of that action was found. Raises CheckInClosed outside check_in_open()."""
    if not check_in_open(action):
        raise CheckInClosed
    signups = action.signups.filter(pk=signup_id, status=Signup.Status.CONFIRMED)
    return bool(signups.update(attended_at=timezone.now() if attended else None))


def attendance_record(*, signup: Signup, attended: bool) -> None:
    """The volunteer's own answer, after the action, to "Did you make it?"."""
    value = Signup.Attendance.ATTENDED if attended else Signup.Attendance.MISSED
    Signup.objects.filter(pk=signup.pk).update(attendance=value)


def report_save(
    *,
    action: Action,
    host: Host | None,
    turnout: int,
    press_url: str = "",
    notes: str = "",
    photos: Iterable = (),
    remove: Iterable[int] = (),
) -> ActionReport:
    """Create or replace `action`'s report; `photos` are (JPEG bytes, width, height) of photos to add
    (see photos.prepared), at most REPORT_PHOTOS_MAX in all (the first ones); `remove` are ids of the
    report's photos to delete first (others' ids are ignored)."""
    with transaction.atomic():
        report, _created = ActionReport.objects.select_for_update().update_or_create(
            action=action, defaults={"host": host, "turnout": turnout, "press_url": press_url, "notes": notes}
        )
        report.photos.filter(pk__in=list(remove)).delete()
        room = settings.REPORT_PHOTOS_MAX - report.photos.count()
        for data, width, height in list(photos)[: max(room, 0)]:
            ReportPhoto.objects.create(report=report, image=data, width=width, height=height)
    return report


def follow_ups_send(*, now: datetime.datetime | None = None) -> int:
    """The day after each published action, from FOLLOW_UP_HOUR in its own zone: ask its confirmed
    volunteers whether they made it, and its hosts for a report. Once per action; an action over for
    more than a week is left alone. `now` is aware (default: now). Returns how many actions."""
    now = now or timezone.now()
    candidates = (
        Action.objects.published()
        .filter(
            status=Action.Status.PUBLISHED,
            followed_up_at=None,
            ends_at__lte=now,
            ends_at__gt=now - datetime.timedelta(days=7),
        )
        .select_related("city", "campaign")
    )
    done = 0
    for action in candidates:
        local_end = action.local_ends_at
        due = datetime.datetime.combine(
            local_end.date() + datetime.timedelta(days=1), datetime.time(settings.FOLLOW_UP_HOUR), tzinfo=action.zone
        )
        if now < due:
            continue
        with transaction.atomic():
            if not Action.objects.filter(pk=action.pk, followed_up_at=None).update(followed_up_at=now):
                continue  # another run took it
            mail.mail_queue_for(kind=MailKind.FOLLOW_UP, signups=action.signups.confirmed())
            for host in action.host_people.filter(revoked_at=None, anonymized_at=None):
                _queue(MailKind.HOST_REPORT, to=host.email, language=host.language, host=host.pk)
        done += 1
    return done


def hosting_erase(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete proposals never confirmed within SIGNUP_CONFIRM_HOURS; erase the name, address and
    phone of hosts and proposers SIGNUP_RETENTION_DAYS after their action ended, or after the
    decision on a proposal that was not published. What was published stays. Returns counts."""
    now = now or timezone.now()
    retention = now - datetime.timedelta(days=settings.SIGNUP_RETENTION_DAYS)
    expired = Proposal.objects.filter(
        status=Proposal.Status.UNCONFIRMED, created_at__lt=now - datetime.timedelta(hours=settings.SIGNUP_CONFIRM_HOURS)
    )
    deleted, _by_model = expired.delete()
    personal = {"email": "", "phone": "", "anonymized_at": now}
    proposals = Proposal.objects.filter(anonymized_at=None).filter(
        Q(action__ends_at__lt=retention)
        | Q(status__in=[Proposal.Status.DECLINED, Proposal.Status.CHANGES_REQUESTED], reviewed_at__lt=retention)
    )
    erased_proposals = proposals.update(host_name="", organization="", **personal)
    hosts = Host.objects.filter(anonymized_at=None, action__ends_at__lt=retention)
    HostChange.objects.filter(host__in=hosts).update(host_name="")
    erased_hosts = hosts.update(name="", **personal)
    return {"deleted": deleted, "proposals": erased_proposals, "hosts": erased_hosts}
