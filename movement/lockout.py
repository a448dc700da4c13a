"""The admin login's lockout (django-axes): per username and address, and per address alone.

Axes compares one number with one limit: the most failures that any of its lockout parameter sets
counts. With the address alone as a second set, the address would be locked at the per-username
limit (a coalition office sharing one address, after a few typos across its staff), and a success
(AXES_RESET_ON_SUCCESS) would delete the whole address's count, so that anyone with an account could
spray other usernames between logins of their own. So axes still counts username and address
together, and this handler adds the address's own, higher limit (ADMIN_LOGIN_FAILURES_PER_ADDRESS)."""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def address_failures(request: HttpRequest) -> int:
    """Failed logins from the request's address (axes' `axes_ip_address`) across usernames, within
    the cool-off (AXES_COOLOFF_TIME) if there is one."""
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)  # type: ignore[attr-defined]
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LoginLockoutHandler(AxesDatabaseHandler):
    """AXES_HANDLER: axes' database handler, which also locks an address out, for every username,
    once it has failed ADMIN_LOGIN_FAILURES_PER_ADDRESS times (password spraying)."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """The failures axes compares with AXES_FAILURE_LIMIT (the per-username limit): this
        username's from this address, or at least that limit once the address has reached its own."""
        failures = super().get_failures(request, credentials)
        if address_failures(request) >= settings.ADMIN_LOGIN_FAILURES_PER_ADDRESS:
            return max(failures, settings.AXES_FAILURE_LIMIT)
        return failures
