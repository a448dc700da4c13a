"""Emails of hosting from below, each built from its outgoing-mail row when sent (see
actions/mail.py), in the recipient's language: to (would-be) hosts at the row's address, and to
volunteers (a host's message, "Did you make it?") at their signup's."""

from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from actions.emails import NotWanted, signup_email_context
from actions.localtime import span_text
from actions.models import MailKind, OutgoingMail
from actions.tokens import manage_token
from common.site import absolute_url

from .models import Host, HostMessage, Proposal
from .tokens import host_token, proposal_confirm_token, proposal_edit_token


def _url(name: str, **kwargs) -> str:
    return absolute_url(reverse(name, kwargs=kwargs))


def _message(template: str, subject: str, context: dict, *, to: str, reply_to: str = "") -> EmailMultiAlternatives:
    """`template` (hosting/email/<template>.txt and .html) rendered in the current language."""
    text = render_to_string(f"hosting/email/{template}.txt", context)
    html = render_to_string(f"hosting/email/{template}.html", context)
    message = EmailMultiAlternatives(
        " ".join(subject.split()), text, to=[to], reply_to=[reply_to] if reply_to else None
    )
    message.attach_alternative(html, "text/html")
    return message


def _get(model, mail: OutgoingMail, key: str):
    """The row `mail.context[key]` names; gone (erased, deleted): NotWanted."""
    row = model.objects.filter(pk=mail.context.get(key)).first()
    if row is None or getattr(row, "anonymized_at", None) is not None:
        raise NotWanted
    return row


def proposal_summary(proposal: Proposal) -> dict[str, str]:
    """{"when", "where"}: the proposal's times in its zone with the zone's abbreviation, and its
    place, as the host can check them (in the active language)."""
    zone = proposal.zone
    when = span_text(proposal.starts_at.astimezone(zone), proposal.ends_at.astimezone(zone))
    if proposal.city is None:
        return {"when": when, "where": gettext("Online")}
    venue = proposal.venue or gettext("Venue to be announced")
    return {
        "when": when,
        "where": f"{venue}, {proposal.address or gettext('Address to be announced')}, {proposal.city}",
    }


def proposal_confirm_email(mail: OutgoingMail) -> EmailMultiAlternatives:
    proposal = _get(Proposal, mail, "proposal")
    if proposal.status != Proposal.Status.UNCONFIRMED:
        raise NotWanted
    with translation.override(proposal.language):
        context = {
            "proposal": proposal,
            "confirm_url": _url("hosting:proposal_confirm", token=proposal_confirm_token(proposal)),
            "hours": settings.SIGNUP_CONFIRM_HOURS,
            **proposal_summary(proposal),
        }
        subject = gettext("Confirm your proposal: %(title)s") % {"title": proposal.title}
        return _message("proposal_confirm", subject, context, to=mail.address)


def proposal_decision_email(mail: OutgoingMail) -> EmailMultiAlternatives:
    proposal = _get(Proposal, mail, "proposal")
    with translation.override(proposal.language):
        context: dict = {"proposal": proposal, "decision": proposal.status, "message": proposal.review_message}
        if proposal.status == Proposal.Status.APPROVED:
            host = _get(Host, mail, "host")
            action = proposal.action
            context |= {"action": action, "host_url": _url("hosting:host_page", token=host_token(host))}
            if action is not None:
                context["action_url"] = absolute_url(action.get_absolute_url())
            subject = gettext("Your action is approved: %(title)s")
        elif proposal.status == Proposal.Status.CHANGES_REQUESTED:
            context["edit_url"] = _url("hosting:proposal_edit", token=proposal_edit_token(proposal))
            subject = gettext("Changes asked to your proposal: %(title)s")
        elif proposal.status == Proposal.Status.DECLINED:
            subject = gettext("Your proposal was not accepted: %(title)s")
        else:
            raise NotWanted
        return _message("proposal_decision", subject % {"title": proposal.title}, context, to=mail.address)


def host_link_email(mail: OutgoingMail) -> EmailMultiAlternatives:
    host = _get(Host, mail, "host")
    if not host.is_active:
        raise NotWanted
    by = Host.objects.filter(pk=mail.context.get("by")).first()
    with translation.override(host.language):
        action = host.action
        context = {
            "host": host,
            "action": action,
            "reason": mail.context.get("reason"),
            "invited_by": by.first_name if by else "",
            "host_url": _url("hosting:host_page", token=host_token(host)),
            "action_url": absolute_url(action.get_absolute_url()),
        }
        subject = gettext("Your host page: %(title)s") % {"title": action.title}
        return _message("host_link", subject, context, to=mail.address)


def host_report_email(mail: OutgoingMail) -> EmailMultiAlternatives:
    host = _get(Host, mail, "host")
    if not host.is_active:
        raise NotWanted
    with translation.override(host.language):
        action = host.action
        context = {
            "host": host,
            "action": action,
            "report_url": _url("hosting:host_report", token=host_token(host)),
            "attended": action.signups.filter(attended_at__isnull=False).count(),
        }
        subject = gettext("How did it go? %(title)s") % {"title": action.title}
        return _message("host_report", subject, context, to=mail.address)


def message_email(mail: OutgoingMail) -> EmailMultiAlternatives:
    """A host's message to one volunteer: in the volunteer's language where the host wrote it, else
    in the other with a note in the volunteer's own. Replies go to the host who wrote it."""
    signup = mail.signup
    message = _get(HostMessage, mail, "message")
    if signup is None:
        raise NotWanted
    written = [code for code, _name in settings.LANGUAGES if getattr(message, f"body_{code}")]
    language = signup.language if signup.language in written else written[0]
    host = message.host
    with translation.override(signup.language):
        context = {
            **signup_email_context(signup),
            "message": message,
            "subject": getattr(message, f"subject_{language}"),
            "body": getattr(message, f"body_{language}"),
            "body_language": language,
            "translated_note": language != signup.language,
            "author": host.first_name if host and host.is_active else gettext("The organizers"),
        }
        subject = f"{context['subject']} · {signup.action.title}"
        reply_to = host.email if host and host.is_active else ""
        return _message("message", subject, context, to=signup.email, reply_to=reply_to)


def follow_up_email(mail: OutgoingMail) -> EmailMultiAlternatives:
    signup = mail.signup
    if signup is None:
        raise NotWanted
    with translation.override(signup.language):
        context = {
            **signup_email_context(signup),
            "attendance_url": _url("hosting:attendance", token=manage_token(signup)),
        }
        subject = gettext("Did you make it? %(title)s") % {"title": signup.action.title}
        return _message("follow_up", subject, context, to=signup.email)


BUILDERS: dict[str, Callable[[OutgoingMail], EmailMultiAlternatives]] = {
    MailKind.PROPOSAL_CONFIRM: proposal_confirm_email,
    MailKind.PROPOSAL_DECISION: proposal_decision_email,
    MailKind.HOST_LINK: host_link_email,
    MailKind.HOST_REPORT: host_report_email,
    MailKind.MESSAGE: message_email,
    MailKind.FOLLOW_UP: follow_up_email,
}
