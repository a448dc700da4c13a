"""The host page: what a host (or co-host) reaches with their private link, no account needed. It
shows their action as published, who signed up (first names; contact only where the volunteer
agreed), check-in on the day, and the forms to write to the volunteers, change or cancel the
action and invite a co-host. Every page is never cached, never indexed, and sends no Referer: the
link in the address is the key to the page."""

import copy
import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from actions.localtime import zoned_text
from actions.models import Action, Signup
from common.ordering import collated

from .. import services
from ..forms.hosts import COHOST_REFUSED, ActionEditForm, CheckInForm, CohostForm, MessageForm
from ..models import Host
from ..tokens import InvalidToken, RevokedLink, host_for_token, host_token

# A host's page takes the host its link names; the URL gives the view the link's token.
HostView = Callable[[HttpRequest, Host], HttpResponse]
TokenView = Callable[[HttpRequest, str], HttpResponse]

SENT_MESSAGES_SHOWN = 20
# What the lists read of a signup ("action": the related manager sets it on each row).
VOLUNTEER_FIELDS = (
    "id",
    "action",
    "name",
    "email",
    "phone",
    "share_with_host",
    "status",
    "attended_at",
    "confirmed_at",
    "created_at",
)
# What the host page says after each form, by its ?done= value.
DONE = ("message", "edited", "told", "unchanged", "cancelled", "cohost")
NO_RECIPIENTS = _("No volunteer is on this list yet: nothing to send.")
LIMIT_REACHED = _(
    "This action’s volunteers have had the most messages allowed in 24 hours. Nothing was sent: "
    "your message is still here, to send later."
)


def host_from_link(view: HostView) -> TokenView:
    """Give the view the host its link's `token` names, or answer with the "this link does not work"
    page (404): altered or replaced by a newer one, or closed by the coordinators."""

    @never_cache
    @functools.wraps(view)
    def wrapper(request: HttpRequest, token: str) -> HttpResponse:
        try:
            host = host_for_token(token)
        except RevokedLink:
            response = render(request, "hosting/host_link_invalid.html", {"revoked": True}, status=404)
        except InvalidToken:
            response = render(request, "hosting/host_link_invalid.html", {"revoked": False}, status=404)
        else:
            response = view(request, host)
        # The page's address is its key: no link followed from it, even to this site, carries it on.
        # Only the site's origin goes out ("no-referrer" would also make the browser send "Origin:
        # null" with the page's own forms, which the CSRF check refuses).
        response["Referrer-Policy"] = "strict-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


def _links(host: Host) -> dict[str, str]:
    """The host's pages, in the page's language: {"page", "check_in", "message", "edit", ...}."""
    token = host_token(host)
    names = ("page", "check_in", "message", "edit", "cancel", "cohost", "report")
    return {name: reverse(f"hosting:host_{name}", kwargs={"token": token}) for name in names}


@dataclass(frozen=True)
class Volunteer:
    """What a host sees of a volunteer: their first name; email and phone only where they agreed to
    share them with the host ("" otherwise)."""

    id: int
    first_name: str
    email: str
    phone: str
    checked_in: bool


def _volunteers(action: Action) -> tuple[list[Volunteer], list[Volunteer]]:
    """(confirmed by first name as the page's language reads it, waitlisted in waitlist order), in
    one query; erased and cancelled signups left out."""
    signups = (
        action.signups.filter(status__in=[Signup.Status.CONFIRMED, Signup.Status.WAITLISTED], anonymized_at=None)
        .exclude(name="")
        .only(*VOLUNTEER_FIELDS)
        .order_by(collated("name"), "pk")
    )
    confirmed, waitlisted = [], []
    for signup in signups:
        shared = signup.share_with_host
        volunteer = Volunteer(
            id=signup.pk,
            first_name=signup.name.split()[0],
            email=signup.email if shared else "",
            phone=signup.phone if shared else "",
            checked_in=signup.attended_at is not None,
        )
        if signup.status == Signup.Status.CONFIRMED:
            confirmed.append(volunteer)
        else:
            waitlisted.append((signup.confirmed_at or signup.created_at, signup.pk, volunteer))
    return confirmed, [volunteer for *_order, volunteer in sorted(waitlisted, key=lambda row: row[:2])]


def _counts(action: Action) -> dict[str, int]:
    """{"confirmed", "waitlisted", "cancelled"}: the action's signups of each status, in one query."""
    statuses = (Signup.Status.CONFIRMED, Signup.Status.WAITLISTED, Signup.Status.CANCELLED)
    return action.signups.order_by().aggregate(
        **{str(status): Count("pk", filter=Q(status=status)) for status in statuses}
    )


@dataclass(frozen=True)
class SentMessage:
    """A message to the volunteers as the host page lists it: its subject in the page's language
    where written, when (in the action's zone), to whom, by which host ("" if erased)."""

    subject: str
    sent: str
    audience: str
    recipients: int
    author: str


def _sent_messages(action: Action) -> list[SentMessage]:
    """The latest SENT_MESSAGES_SHOWN messages to the action's volunteers, newest first."""
    language = translation.get_language()
    return [
        SentMessage(
            subject=getattr(message, f"subject_{language}", "") or message.subject_en or message.subject_es,
            sent=zoned_text(message.created_at.astimezone(action.zone)),
            audience=message.get_audience_display(),
            recipients=message.recipients,
            author=message.host.first_name if message.host else "",
        )
        for message in action.host_messages.select_related("host")[:SENT_MESSAGES_SHOWN]
    ]


def _can_change(action: Action) -> bool:
    """Whether the host may still edit the action: not cancelled, and not over."""
    return not action.is_cancelled and timezone.now() < action.ends_at


def _can_cancel(action: Action) -> bool:
    """Whether the host may cancel: published (a draft cancelled would show on public pages), not over."""
    return action.status == Action.Status.PUBLISHED and timezone.now() < action.ends_at


def _context(host: Host, **extra) -> dict:
    action = host.action
    return {"host": host, "action": action, "links": _links(host), **extra}


def _render_page(request: HttpRequest, host: Host, *, problem: str = "", status: int = 200) -> HttpResponse:
    action = host.action
    confirmed, waitlisted = _volunteers(action)
    done = request.GET.get("done")
    context = _context(
        host,
        counts=_counts(action),
        confirmed=confirmed,
        waitlisted=waitlisted,
        sent_messages=_sent_messages(action),
        messages_left=services.messages_left(action),
        hosts=list(action.host_people.filter(revoked_at=None, anonymized_at=None)),
        done=done if done in DONE else "",
        problem=problem,
        can_change=_can_change(action),
        can_cancel=_can_cancel(action),
        check_in_open=services.check_in_open(action),
        is_over=action.ends_at <= timezone.now(),
    )
    return render(request, "hosting/host_page.html", context, status=status)


@host_from_link
@require_http_methods(["GET", "HEAD"])
def host_page(request: HttpRequest, host: Host) -> HttpResponse:
    return _render_page(request, host)


@host_from_link
@require_POST
def host_check_in(request: HttpRequest, host: Host) -> HttpResponse:
    """A tap on a confirmed volunteer's name, on the day: there (attended=1), or not after all (0). A
    signup that is not one of the action's confirmed (cancelled meanwhile, another action's), or a
    tap outside the day (409), changes nothing: the page comes back, up to date, saying so."""
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return _render_page(request, host, problem="check_in", status=400)
    try:
        found = services.check_in(
            action=host.action, signup_id=form.cleaned_data["signup"], attended=form.cleaned_data["attended"]
        )
    except services.CheckInClosed:
        return _render_page(request, host, status=409)
    if not found:
        return _render_page(request, host, problem="check_in", status=404)
    return redirect(_links(host)["page"] + "#checkin")


@host_from_link
@require_http_methods(["GET", "HEAD", "POST"])
def host_message(request: HttpRequest, host: Host) -> HttpResponse:
    """The form to write to the confirmed or the waitlisted volunteers. Refused with what was typed
    kept: errors, a list with nobody on it, the daily limit (HOST_MESSAGES_PER_DAY) reached."""
    action = host.action
    counts = _counts(action)
    form = MessageForm(request.POST if request.method == "POST" else None, language=host.language, recipients=counts)
    if request.method == "POST" and form.is_valid():
        audience = form.cleaned_data["audience"]
        subjects, bodies = form.texts()
        try:
            services.message_send(action=action, audience=audience, subjects=subjects, bodies=bodies, host=host)
        except services.NoRecipients:
            form.add_error("audience", NO_RECIPIENTS)
        except services.MessageLimitReached:
            form.add_error(None, LIMIT_REACHED)
        except ValidationError as error:  # the model's checks, which the form ran already
            form.add_error(None, error)
        else:
            return redirect(_links(host)["page"] + "?done=message#messages")
    context = _context(host, form=form, counts=counts, messages_left=services.messages_left(action))
    return render(request, "hosting/host_message.html", context, status=400 if form.errors else 200)


def _stored(value):
    # An empty translated text is NULL in some rows, "" from the form: the same text.
    return "" if value is None else value


@host_from_link
@require_http_methods(["GET", "HEAD", "POST"])
def host_edit(request: HttpRequest, host: Host) -> HttpResponse:
    """The action's time, place and description. Saved, its volunteers get the update email as for
    organizers' edits (services.host_action_edit), and the change is recorded with who made it. A
    cancelled or finished action cannot be changed (409)."""
    action = host.action
    shown = copy.copy(action)  # the page's heading keeps the stored action while the form is corrected
    if not _can_change(action):
        return render(request, "hosting/host_edit.html", _context(host, shown=shown, closed=True), status=409)
    before = {name: _stored(getattr(action, name)) for name in ActionEditForm.Meta.fields}
    form = ActionEditForm(request.POST if request.method == "POST" else None, instance=action)
    if request.method == "POST" and form.is_valid():
        changed = [name for name, value in before.items() if _stored(getattr(action, name)) != value]
        done = "unchanged"
        if changed:
            told = services.host_action_edit(host=host, action=action, fields=changed)
            done = "told" if told else "edited"
        return redirect(_links(host)["page"] + f"?done={done}")
    context = _context(host, shown=shown, form=form, closed=False)
    return render(request, "hosting/host_edit.html", context, status=400 if form.errors else 200)


@host_from_link
@require_http_methods(["GET", "HEAD", "POST"])
def host_cancel(request: HttpRequest, host: Host) -> HttpResponse:
    """Cancelling cannot be undone by the host: the first press (or a GET) asks, the confirmed POST
    cancels, and the volunteers are told. Only a published action not yet over (409 otherwise)."""
    action = host.action
    if action.is_cancelled:
        return redirect(_links(host)["page"])
    if not _can_cancel(action):
        return render(request, "hosting/host_cancel.html", _context(host, refused=True), status=409)
    if request.method == "POST" and request.POST.get("confirmed") == "on":
        services.host_action_cancel(host=host, action=action)
        return redirect(_links(host)["page"] + "?done=cancelled")
    return render(request, "hosting/host_cancel.html", _context(host, refused=False))


@host_from_link
@require_http_methods(["GET", "HEAD", "POST"])
def host_cohost(request: HttpRequest, host: Host) -> HttpResponse:
    """Invite a co-host, who gets their own link by email. Refused next to the address: one that
    hosts the action already, one the coordinators revoked, past HOSTS_PER_ACTION_MAX active hosts."""
    action = host.action
    form = CohostForm(request.POST if request.method == "POST" else None, language=translation.get_language())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.cohost_invite(host=host, name=data["name"], email=data["email"], language=data["language"])
        except services.CohostRefused as refused:
            message = COHOST_REFUSED[refused.code] % {"count": settings.HOSTS_PER_ACTION_MAX}
            form.add_error("email" if refused.code != "full" else None, message)
        else:
            return redirect(_links(host)["page"] + "?done=cohost#hosts")
    hosts = list(action.host_people.filter(revoked_at=None, anonymized_at=None))
    context = _context(host, form=form, hosts=hosts)
    return render(request, "hosting/host_cohost.html", context, status=400 if form.errors else 200)
