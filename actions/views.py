import functools
from collections.abc import Callable

from csp.decorators import csp_replace
from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_http_methods

from common.countries import Country
from common.ordering import ReadOrder

from . import limits, services
from .calendar import calendar_ics
from .forms import ActionFilterForm, ChallengeForm, SignupForm, SignupManageForm
from .models import Action, Campaign, City, Signup
from .querysets import ActionQuerySet
from .tokens import InvalidToken, manage_token, signup_for_confirm_token, signup_for_manage_token

PAGE_SIZE = 20
CAMPAIGN_PAGE_SIZE = 50
CAMPAIGN_OUTCOMES = 10
EMBED_SIZE = 50

# A volunteer's page takes the signup its link names; the URL gives the view the link's token.
SignupView = Callable[[HttpRequest, Signup], HttpResponse]
TokenView = Callable[[HttpRequest, str], HttpResponse]


def action_list(request: HttpRequest) -> HttpResponse:
    """The actions, filtered; searched near a place, nearest first. A search is private: neither the
    page cache nor a shared proxy keeps what a visitor searched for."""
    form = ActionFilterForm(request.GET)
    actions = form.filter(Action.objects.published().for_listing())
    near = form.nearby(actions)
    # A place not found (its message and suggestions shown) lists nothing: the page is about the search.
    listed = near.actions if near else actions.none() if form.has_error("near") else actions
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    response = render(request, "actions/action_list.html", {"form": form, "page": page, "near": near})
    if request.GET.get("near"):
        patch_cache_control(response, private=True)
    return response


def _public_action(slug: str) -> Action:
    """The published or cancelled action, with what its page shows: city, campaign, seat counts."""
    return get_object_or_404(
        Action.objects.published().select_related("city", "campaign").with_seat_counts(), slug=slug
    )


def action_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The action's page, the same for every visitor, so that it can come from the page cache: the
    signup form, which carries a visitor's CSRF token, has a page of its own (signup_create)."""
    action = _public_action(slug)
    context = {
        "action": action,
        "hosts": action.hosts.all(),
        "demands": action.demands.for_listing(),
        "outcomes": action.outcomes.timeline(),
        "signups_open": action.signups_open(),
    }
    return render(request, "actions/action_detail.html", context)


def _render_signup(
    request: HttpRequest, action: Action, form: SignupForm | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "action": action,
        "signups_open": action.signups_open(),
        "signup_form": form or SignupForm(action=action),
    }
    return render(request, "actions/signup.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signup_create(request: HttpRequest, slug: str) -> HttpResponse:
    """GET shows the signup form; every valid submission ends on the same "check your email" page,
    whatever the address.

    A valid submission that trips a signup limit (actions/limits.py) comes back with what was typed
    and the challenge; answered, the signup is made and flagged. A form sent back with errors counts
    against no limit, so a volunteer correcting mistakes is never held up."""
    if request.method != "POST":
        return _render_signup(request, _public_action(slug))
    # A submission needs no seat counts (only a page sent back shows them, reading them then), nor
    # the campaign: the form reads the city.
    action = get_object_or_404(Action.objects.published().select_related("city"), slug=slug)
    form = SignupForm(request.POST, action=action)
    if form.is_from_a_bot:
        return redirect("actions:signup_sent", slug=slug)
    if not form.is_valid():
        if "challenge" in form.errors:
            limits.challenge_failed(request)
        return _render_signup(request, _public_action(slug), form, status=400)
    if not action.signups_open():  # a form opened before the action closed; nothing is sent, nothing counted
        return _render_signup(request, _public_action(slug), status=409)
    data = form.cleaned_data
    flag = limits.signup_limit(request, action=action, email=data["email"])
    if flag and not form.challenge_passed:
        challenge = SignupForm.with_challenge(request.POST, action=action)
        return _render_signup(request, _public_action(slug), challenge)
    try:
        services.signup_request(
            action=action,
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            language=data["language"],
            share_with_host=data["share_with_host"],
            flag=flag,
        )
    except services.SignupClosed:
        return _render_signup(request, _public_action(slug), status=409)
    return redirect("actions:signup_sent", slug=slug)


def signup_sent(request: HttpRequest, slug: str) -> HttpResponse:
    action = get_object_or_404(Action.objects.published(), slug=slug)
    return render(request, "actions/signup_sent.html", {"action": action})


def _signup_from(lookup: Callable[[str], Signup]) -> Callable[[SignupView], TokenView]:
    """Give the view the signup its link's `token` names (found with `lookup`), or answer with the
    "this link does not work" page. Volunteers' pages are never cached: they show personal data."""

    def decorator(view: SignupView) -> TokenView:
        @never_cache
        @functools.wraps(view)
        def wrapper(request: HttpRequest, token: str) -> HttpResponse:
            try:
                signup = lookup(token)
            except InvalidToken:
                return render(request, "actions/signup_invalid.html", status=404)
            return view(request, signup)

        return wrapper

    return decorator


@_signup_from(signup_for_confirm_token)
def signup_confirm(request: HttpRequest, signup: Signup) -> HttpResponse:
    """GET shows a button; only the POST confirms, since mail scanners follow links. Past
    SIGNUP_CONFIRM_RATE confirmations from one client address, the button comes with the challenge."""
    closed = signup.status == signup.Status.PENDING and not signup.action.signups_open()
    challenge = None
    if request.method == "POST" and not closed and signup.status == signup.Status.PENDING:
        flag = limits.confirm_limit(request)
        challenge = ChallengeForm(request.POST, ask=bool(flag))
        if challenge.passed:
            try:
                signup, challenge = services.signup_confirm(signup=signup, flag=flag), None
            except services.SignupClosed:
                closed = True
    context = {
        "signup": signup,
        "action": signup.action,
        "closed": closed,
        "challenge": challenge,
        "manage_token": manage_token(signup),
    }
    status = 409 if closed else 400 if challenge is not None and challenge.errors else 200
    return render(request, "actions/signup_confirm.html", context, status=status)


@_signup_from(signup_for_manage_token)
def signup_manage(request: HttpRequest, signup: Signup) -> HttpResponse:
    if request.method == "POST":
        form = SignupManageForm(request.POST)
        if form.is_valid():
            operation = form.cleaned_data["operation"]
            if form.needs_confirmation():
                context = {"signup": signup, "action": signup.action, "operation": operation}
                return render(request, "actions/signup_manage_confirm.html", context)
            if operation == "erase":
                services.signup_cancel(signup=signup, erase=True)
                return render(request, "actions/signup_erased.html", {"action": signup.action})
            if operation == "cancel":
                services.signup_cancel(signup=signup)
                return redirect(f"{request.path}?done=cancelled")
            if operation == "sharing":
                services.signup_set_sharing(signup=signup, share=form.cleaned_data["share_with_host"])
                return redirect(f"{request.path}?done=sharing")
            if form.cleaned_data["language"]:
                services.signup_set_language(signup=signup, language=form.cleaned_data["language"])
                return redirect(f"{request.path}?done=language")
            return redirect(request.path)
    context = {
        "signup": signup,
        "action": signup.action,
        "languages": settings.LANGUAGES,
        "done": request.GET.get("done"),
    }
    return render(request, "actions/signup_manage.html", context)


def city_detail(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City.objects.public(), slug=slug)
    actions = city.actions.published().for_listing()
    context = {"city": city, "upcoming": actions.upcoming(), "past": actions.past().order_by("-starts_at")}
    return render(request, "actions/city_detail.html", context)


def campaign_list(request: HttpRequest) -> HttpResponse:
    return render(request, "actions/campaign_list.html", {"campaigns": Campaign.objects.all()})


def campaign_detail(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_object_or_404(Campaign, slug=slug)
    # By country code, then by the city's name as read (city_id keeps two cities of one name apart).
    by_city = ("city__country", ReadOrder("city__name"), "city_id")
    actions = campaign.actions.published().for_listing().order_by(*by_city, "starts_at", "pk")
    # The newest outcomes, and a link to the rest: the page is about the actions.
    outcomes = list(campaign.outcomes.timeline()[: CAMPAIGN_OUTCOMES + 1])
    context = {
        "campaign": campaign,
        # A national day has thousands of actions: a page of them at a time, still grouped.
        "page": Paginator(actions, CAMPAIGN_PAGE_SIZE).get_page(request.GET.get("page")),
        "demands": campaign.demands.for_listing(),
        "outcomes": outcomes[:CAMPAIGN_OUTCOMES],
        "outcomes_more": len(outcomes) > CAMPAIGN_OUTCOMES,
    }
    return render(request, "actions/campaign_detail.html", context)


@xframe_options_exempt
# django-csp types its decorators for views that take no URL arguments; this one takes two.
@csp_replace({"frame-ancestors": settings.EMBED_FRAME_ANCESTORS})  # type: ignore[arg-type]
def campaign_embed(request: HttpRequest, language: str, slug: str) -> HttpResponse:
    """The campaign's first 50 upcoming actions (once there are none, its past ones) for a partner's page to
    frame: the only page that may be framed, by EMBED_FRAME_ANCESTORS. `language` is "en" or "es",
    else 404. Links open our pages in a new tab."""
    if language not in dict(settings.LANGUAGES):
        raise Http404
    # For the whole request, so that a 404 page is in the URL's language too.
    translation.activate(language)
    request.LANGUAGE_CODE = language
    campaign = get_object_or_404(Campaign, slug=slug)
    # The first EMBED_SIZE, so that a national day stays light in a partner's frame; the page links to
    # the rest.
    upcoming = list(campaign.actions.published().upcoming().for_listing()[:EMBED_SIZE])
    # Once the day is over, what took place, so that a partner's page does not go blank.
    past = [] if upcoming else campaign.actions.published().past().for_listing()[:EMBED_SIZE]
    context = {"campaign": campaign, "upcoming": upcoming, "past": past}
    return render(request, "actions/campaign_embed.html", context)


def _calendar(request: HttpRequest, actions: ActionQuerySet, *, name: str, filename: str) -> HttpResponse:
    """`actions` as an iCalendar file to download or subscribe to, in the page's language; never a
    meeting link."""
    body = calendar_ics(
        actions.select_related("city", "campaign"),
        url_for=lambda action: request.build_absolute_uri(action.get_absolute_url()),
        name=name,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def action_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    action = _public_action(slug)
    return _calendar(request, Action.objects.filter(pk=action.pk), name="", filename=f"{action.slug}.ics")


def upcoming_calendar(request: HttpRequest) -> HttpResponse:
    """Every upcoming action, to subscribe to."""
    actions = Action.objects.published().upcoming()
    return _calendar(request, actions, name=gettext("Upcoming actions"), filename="actions.ics")


def country_calendar(request: HttpRequest, country: str) -> HttpResponse:
    """Upcoming actions in one country ("us", "mx"), to subscribe to."""
    code = country.upper()
    if code not in Country.values:
        raise Http404
    actions = Action.objects.published().upcoming().in_country(code)
    return _calendar(request, actions, name=str(Country(code).label), filename=f"actions-{country}.ics")


def campaign_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """All of a campaign's actions, past ones included, to subscribe to."""
    campaign = get_object_or_404(Campaign, slug=slug)
    return _calendar(request, campaign.actions.published(), name=campaign.title, filename=f"{slug}.ics")


def city_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """All of a city's actions, to subscribe to."""
    city = get_object_or_404(City.objects.public(), slug=slug)
    return _calendar(request, city.actions.published(), name=str(city), filename=f"{slug}.ics")
