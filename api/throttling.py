import logging

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle

logger = logging.getLogger(__name__)


class PublicRateThrottle(AnonRateThrottle):
    """API_RATE requests per visitor address (PROXY_COUNT proxies counted, as for the site).
    Read at each request, not at import as DRF's own rates are."""

    def get_rate(self):
        return settings.API_RATE

    def allow_request(self, request, view):
        # The API only reads: with the cache (Redis) down, it answers uncounted rather than fail.
        try:
            return super().allow_request(request, view)
        except Exception:  # noqa: BLE001 - whatever the cache's client raises when it cannot connect
            logger.warning("api: the cache is unreachable; a request went uncounted")
            return True
