"""The public site's own address, for links that leave it: emails, feeds' readers, the API, link
previews."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` (root-relative, "/es/actions/x/") on the public site: SITE_URL + path."""
    return settings.SITE_URL.rstrip("/") + path
