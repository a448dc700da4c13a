"""Limits on signups and confirmations that a real surge survives and a script does not.

Bots took every seat of an action (issue 15): 1,000 signups from 100 addresses at one catch-all mail
domain, confirmed from one network address. A real surge can look alike from the network's side
(hundreds of volunteers behind one carrier's address, CGNAT), so a limit that trips does not refuse:
it asks for the challenge (django-simple-captcha), and a signup that passes it carries the limit's
flag, for organizers to look over and cancel in bulk. Only past SIGNUP_RATE_MAX from one address is a
visitor refused.

The limits, each a setting (README, "Security"):
- SIGNUP_RATE and SIGNUP_CONFIRM_RATE: valid submissions per client address (counted in the shared
  cache by django-ratelimit);
- the larger of SIGNUP_DOMAIN_FREE and SIGNUP_DOMAIN_SHARE of the action's capacity: live signups at
  one action from one mail domain made in the last SIGNUP_LIMIT_HOURS (a catch-all domain gives a
  script any number of addresses; a big provider's volunteers get the challenge, not a refusal);
- SIGNUP_SURGE_PER_HOUR: live signups at one action made in the last hour, from anywhere.
"""

import datetime
import logging
import math

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited

from .models import Action, SignupFlag

logger = logging.getLogger(__name__)


def _over(request: HttpRequest, group: str, rate: str, *, if_unknown: bool) -> bool:
    """Whether this client address is past `rate` in `group`, counting this request. Without the
    cache (Redis down) nothing can be counted: `if_unknown` is the answer."""
    try:
        return is_ratelimited(request, group=group, key="ip", rate=rate, method="POST", increment=True)
    except Exception:  # noqa: BLE001 - whatever the cache's client raises when it cannot connect
        logger.warning("limits: the cache is unreachable; %s counted as %s", group, "over" if if_unknown else "under")
        return if_unknown


def _refuse_past_the_ceiling(request: HttpRequest, group: str) -> None:
    # Fails open without the cache: the challenge (asked then, see _over) still stands in the way.
    if _over(request, f"{group}-max", settings.SIGNUP_RATE_MAX, if_unknown=False):
        raise Ratelimited


def domain_cap(action: Action) -> int | None:
    """Live signups one mail domain may have at `action` within SIGNUP_LIMIT_HOURS unchallenged; None
    for an action without a capacity, where no seat can be taken from anybody (the other limits
    still hold a flood back), and a crowd at one big provider would otherwise all be flagged."""
    if action.capacity is None:
        return None
    return max(settings.SIGNUP_DOMAIN_FREE, math.ceil(action.capacity * settings.SIGNUP_DOMAIN_SHARE))


def signup_limit(request: HttpRequest, *, action: Action, email: str) -> str:
    """The SignupFlag of the first limit this valid signup submission trips ("" if none): the form must
    then ask for the challenge. Counts the submission against the client address.

    Raises Ratelimited past SIGNUP_RATE_MAX submissions from the address."""
    _refuse_past_the_ceiling(request, "signup")
    if _over(request, "signup", settings.SIGNUP_RATE, if_unknown=True):
        return SignupFlag.NETWORK
    now = timezone.now()
    domain_since = now - datetime.timedelta(hours=settings.SIGNUP_LIMIT_HOURS)
    surge_since = now - datetime.timedelta(hours=1)
    # One query for both counts: it runs on every signup of a surge.
    counts = (
        action.signups.active()
        .filter(created_at__gte=min(domain_since, surge_since))
        .aggregate(
            domain=Count("pk", filter=Q(created_at__gte=domain_since, email__iendswith=f"@{email.rpartition('@')[2]}")),
            surge=Count("pk", filter=Q(created_at__gte=surge_since)),
        )
    )
    cap = domain_cap(action)
    if cap is not None and counts["domain"] >= cap:
        return SignupFlag.DOMAIN
    if counts["surge"] >= settings.SIGNUP_SURGE_PER_HOUR:
        return SignupFlag.SURGE
    return ""


def challenge_failed(request: HttpRequest, *, group: str = "signup") -> None:
    """Count a wrong answer to the signup challenge (or with `group` "proposal", a proposal's) against
    SIGNUP_RATE_MAX, so that a script reading the pictures does not get new ones without end. Raises
    Ratelimited past it."""
    _refuse_past_the_ceiling(request, group)


def proposal_limit(request: HttpRequest) -> bool:
    """Whether this valid proposal (hosting's form) must pass the challenge: past SIGNUP_RATE
    proposals from the client address, counting this one. Raises Ratelimited past SIGNUP_RATE_MAX."""
    _refuse_past_the_ceiling(request, "proposal")
    return _over(request, "proposal", settings.SIGNUP_RATE, if_unknown=True)


def confirm_limit(request: HttpRequest) -> str:
    """SignupFlag.CONFIRMATIONS once the client address is past SIGNUP_CONFIRM_RATE confirmations
    (counting this one), else "". Raises Ratelimited past SIGNUP_RATE_MAX confirmations from the
    address."""
    _refuse_past_the_ceiling(request, "confirm")
    return SignupFlag.CONFIRMATIONS if _over(request, "confirm", settings.SIGNUP_CONFIRM_RATE, if_unknown=True) else ""
