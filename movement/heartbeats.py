"""Heartbeats of Celery's worker and beat, kept in the shared cache, for /healthz.

A worker beats when it has run a task (beat sends one every minute, so a live worker with a live
beat beats at least that often); beat beats when it sends one. The web process cannot see either
otherwise: a worker that died, or a beat that stopped, leaves every page working and no email sent.
"""

import time

from django.conf import settings
from django.core.cache import cache

KEY = "heartbeat:{}"
# Seconds between two writes of one process's heartbeat: a worker running hundreds of tasks a minute
# writes twice a minute, not hundreds of times.
WRITE_EVERY = 30
_last_written: dict[str, float] = {}


def heartbeat_record(name: str) -> None:
    """Note that `name` ("worker" or "beat") is alive now, at most every WRITE_EVERY seconds. Never
    raises: a cache that is down must not fail the task or the schedule."""
    now = time.time()
    if now - _last_written.get(name, 0) < WRITE_EVERY:
        return
    try:
        cache.set(KEY.format(name), now, timeout=None)
    except Exception:  # noqa: BLE001, S110 - whatever the cache's client raises; /healthz says the cache failed
        return
    _last_written[name] = now


def heartbeat_status(name: str) -> str:
    """`"ok"` if `name` beat within HEARTBEAT_STALE_MINUTES, "stale" if it did before (or never), and
    "unknown" where the cache is each process's own (a DEBUG run: nothing can be seen across)."""
    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        return "unknown"
    seen = cache.get(KEY.format(name))
    fresh = seen is not None and time.time() - seen < settings.HEARTBEAT_STALE_MINUTES * 60
    return "ok" if fresh else "stale"
