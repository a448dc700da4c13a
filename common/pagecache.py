"""The page cache: Django's cache middleware, with each page rendered once for all web processes and
no visitor waiting for it to be rendered again.

Django's own middleware keeps a page in one cache until it expires; then every process, and every
thread that misses at that moment, renders it again together (docs/performance.md: 30 to 75 ms each,
every PAGE_CACHE_SECONDS, the p99 of cached pages). Here a page is kept in two tiers: the process's
memory (CACHE_MIDDLEWARE_ALIAS, no round trip on a hit) and the cache all processes share
("default": Redis in production), each copy with the moment it stops being fresh. A process whose
copy is no longer fresh takes the shared one if that is fresher; when none is fresh, one request
(the one that takes the shared render lock) renders the page, and meanwhile the others get the copy
they have ("stale while revalidate"). So an organizer's edit shows within PAGE_CACHE_SECONDS and the
time one render takes, and a page that stops being public (a 404, a private answer) is dropped by
the request that renders it.
"""

import time
from typing import Any, NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware import cache as django_cache
from django.utils.cache import get_cache_key, get_max_age
from django.utils.http import parse_http_date_safe

# How long past its freshness a copy is kept to be served while one request renders the next; and
# how long a render may hold the lock before another request may try (a process that died).
STALE_SECONDS = 60
RENDER_LOCK_SECONDS = 10


class Entry(NamedTuple):
    fresh_until: float  # time.time()
    value: Any


class Tiers:
    """Process memory in front of the shared cache, for the cache middleware's header lists and
    pages, each stored as an Entry. get() and set() are what Django's cache functions call.

    With the shared cache unreachable, pages still answer: each process renders and keeps its own."""

    def __init__(self) -> None:
        self.local = caches[settings.CACHE_MIDDLEWARE_ALIAS]
        self.shared = caches["default"]

    def _shared(self, method: str, *args, unreachable=None):
        try:
            return getattr(self.shared, method)(*args)
        except Exception:  # a Redis down, or refusing: /healthz and the rate limits' logs say so
            return unreachable

    def entry(self, key: str) -> Entry | None:
        """The freshest copy of the two tiers; a fresher shared one replaces the process's."""
        mine = self.local.get(key)
        if mine is not None and mine.fresh_until > time.time():
            return mine
        theirs = self._shared("get", key)
        if theirs is not None and (mine is None or theirs.fresh_until > mine.fresh_until):
            self.local.set(key, theirs, max(1, theirs.fresh_until + STALE_SECONDS - time.time()))
            return theirs
        return mine

    def get(self, key: str, default=None):
        found = self.entry(key)
        return default if found is None else found.value

    def set(self, key: str, value, timeout: int) -> None:
        entry = Entry(time.time() + timeout, value)
        self.local.set(key, entry, timeout + STALE_SECONDS)
        self._shared("set", key, entry, timeout + STALE_SECONDS)

    def delete(self, key: str) -> None:
        self.local.delete(key)
        self._shared("delete", key)

    def lock(self, key: str) -> bool:
        """Whether this request is the one to render `key` again (until released or expired)."""
        return self._shared("add", f"{key}:rendering", 1, RENDER_LOCK_SECONDS, unreachable=True)

    def release(self, key: str) -> None:
        self._shared("delete", f"{key}:rendering")


class UpdateCacheMiddleware(django_cache.UpdateCacheMiddleware):
    """Django's, storing in both tiers; the request that held the render lock releases it, and drops
    the old copy if its answer was not one to store."""

    @property
    def cache(self) -> Tiers:  # type: ignore[override]
        return Tiers()

    def process_response(self, request: HttpRequest, response: HttpResponseBase | str) -> HttpResponseBase | str:
        started = time.time()
        response = super().process_response(request, response)
        if key := getattr(request, "_page_cache_rendering", None):
            tiers = self.cache
            stored = tiers.local.get(key)
            if stored is None or stored.fresh_until <= started:
                tiers.delete(key)
            tiers.release(key)
        return response


class FetchFromCacheMiddleware(django_cache.FetchFromCacheMiddleware):
    """Django's, from the freshest tier, serving a stale copy while another request renders."""

    @property
    def cache(self) -> Tiers:  # type: ignore[override]
        return Tiers()

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        request._cache_update_cache = request.method in ("GET", "HEAD")  # type: ignore[attr-defined]
        if not request._cache_update_cache:  # type: ignore[attr-defined]
            return None
        tiers = self.cache
        key = get_cache_key(request, self.key_prefix, "GET", cache=tiers)  # type: ignore[arg-type]
        entry = tiers.entry(key) if key else None
        if key is None or entry is None:
            return None
        if entry.fresh_until <= time.time() and tiers.lock(key):
            request._page_cache_rendering = key  # type: ignore[attr-defined]
            return None
        response = entry.value
        if (max_age := get_max_age(response)) is not None and (
            expires := parse_http_date_safe(response.get("Expires"))
        ) is not None:
            response["Age"] = max(0, max_age - (expires - int(time.time())))
        request._cache_update_cache = False  # type: ignore[attr-defined]
        return response
