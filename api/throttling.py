from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class PublicRateThrottle(AnonRateThrottle):
    """API_RATE requests per visitor address (PROXY_COUNT proxies counted, as for the site).
    Read at each request, not at import as DRF's own rates are."""

    def get_rate(self):
        return settings.API_RATE
