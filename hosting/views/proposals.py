"""The would-be host's pages, no account needed: the proposal form, "check your email", the
confirm link's button, and the edit link to correct a proposal the coordinators sent back. Every
page of the flow shows or takes personal data: never cached."""

import functools
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from actions import limits
from actions.models import Campaign

from .. import services
from ..emails import proposal_summary
from ..forms.proposals import ProposalForm
from ..models import Proposal
from ..tokens import InvalidToken, proposal_for_confirm_token, proposal_for_edit_token

ProposalView = Callable[[HttpRequest, Proposal], HttpResponse]
TokenView = Callable[[HttpRequest, str], HttpResponse]


def _closed(request: HttpRequest, status: int = 200) -> HttpResponse:
    return render(request, "hosting/propose.html", {"closed": True}, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def propose(request: HttpRequest) -> HttpResponse:
    """GET shows the form (?campaign=<slug> chooses the campaign); every valid submission ends on the
    same "check your email" page, whatever the address. With no campaign taking proposals, a page
    that says so (409 for a form sent).

    A valid submission past the proposal limit (actions/limits.py) comes back with what was typed
    and the challenge. A form sent back with errors counts against no limit."""
    campaigns = list(Campaign.objects.taking_proposals())
    if not campaigns:
        return _closed(request, status=409 if request.method == "POST" else 200)
    language = translation.get_language()
    if request.method != "POST":
        form = ProposalForm(language=language, campaigns=campaigns, initial={"campaign": request.GET.get("campaign")})
        return render(request, "hosting/propose.html", {"form": form})
    form = ProposalForm(request.POST, language=language, campaigns=campaigns)
    if form.is_from_a_bot:
        return redirect("hosting:proposal_sent")
    if not form.is_valid():
        if "challenge" in form.errors:
            limits.challenge_failed(request, group="proposal")
        return render(request, "hosting/propose.html", {"form": form}, status=400)
    if limits.proposal_limit(request) and not form.challenge_passed:
        form.add_challenge()
        return render(request, "hosting/propose.html", {"form": form})
    try:
        with transaction.atomic():  # a city made for the proposal goes with it
            services.proposal_submit(proposal=form.proposal())
    except services.ProposalsClosed:
        return _closed(request, status=409)
    return redirect("hosting:proposal_sent")


@never_cache
def proposal_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "hosting/proposal_sent.html", {"hours": settings.SIGNUP_CONFIRM_HOURS})


def _proposal_from(lookup: Callable[[str], Proposal]) -> Callable[[ProposalView], TokenView]:
    """Give the view the proposal its link's `token` names (found with `lookup`), or answer with the
    "this link does not work" page."""

    def decorator(view: ProposalView) -> TokenView:
        @never_cache
        @require_http_methods(["GET", "HEAD", "POST"])
        @functools.wraps(view)
        def wrapper(request: HttpRequest, token: str) -> HttpResponse:
            try:
                proposal = lookup(token)
            except InvalidToken:
                context = {"hours": settings.SIGNUP_CONFIRM_HOURS}
                return render(request, "hosting/proposal_invalid.html", context, status=404)
            return view(request, proposal)

        return wrapper

    return decorator


@_proposal_from(proposal_for_confirm_token)
def proposal_confirm(request: HttpRequest, proposal: Proposal) -> HttpResponse:
    """GET shows a button; only the POST confirms (mail scanners follow links) and sends the proposal
    to review. Confirmed already: the page says it is with the coordinators."""
    closed = False
    if request.method == "POST" and proposal.status == Proposal.Status.UNCONFIRMED:
        try:
            proposal = services.proposal_confirm(proposal=proposal)
        except services.ProposalsClosed:
            closed = True
    context = {"proposal": proposal, "closed": closed, **proposal_summary(proposal)}
    return render(request, "hosting/proposal_confirm.html", context, status=409 if closed else 200)


@_proposal_from(proposal_for_edit_token)
def proposal_edit(request: HttpRequest, proposal: Proposal) -> HttpResponse:
    """The coordinators' message and the proposal's form, filled in, while they ask for changes: a
    valid correction goes back to review. In any other state, the page says where it stands."""
    if proposal.status != Proposal.Status.CHANGES_REQUESTED:
        return render(request, "hosting/proposal_edit.html", {"proposal": proposal})
    if request.method != "POST":
        form = ProposalForm(instance=proposal, language=proposal.language)
        return render(request, "hosting/proposal_edit.html", {"proposal": proposal, "form": form})
    form = ProposalForm(request.POST, instance=proposal, language=proposal.language)
    if not form.is_valid():
        return render(request, "hosting/proposal_edit.html", {"proposal": proposal, "form": form}, status=400)
    try:
        with transaction.atomic():
            services.proposal_resubmit(proposal=form.proposal())
    except services.NotUnderReview:  # decided meanwhile, from the admin
        proposal.refresh_from_db()
        return render(request, "hosting/proposal_edit.html", {"proposal": proposal}, status=409)
    return redirect(request.path)
