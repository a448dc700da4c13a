"""/healthz: whether this web process can reach what it needs, for load balancers and monitors."""

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from movement.celery import app
from movement.heartbeats import heartbeat_status

logger = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    key, value = f"healthz:{uuid.uuid4().hex}", "ok"
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not keep a value")
    cache.delete(key)


def _broker() -> None:
    with app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=1, timeout=2)


CHECKS = {"database": _database, "cache": _cache, "broker": _broker}
HEARTBEATS = ("worker", "beat")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """{"status": "ok"|"degraded"|"fail", "checks": {"database": "ok"|"fail", "cache": ..., "broker": ...,
    "worker": "ok"|"stale"|"unknown", "beat": ...}}.

    503 ("fail") when this process cannot reach the database, the cache or the broker; a worker or beat
    not seen for HEARTBEAT_STALE_MINUTES (movement/heartbeats.py) makes it "degraded" with 200: the
    site still serves, and a load balancer must not take every web server out for a dead worker. The
    reason for a failure goes to the log, not to the caller."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:  # noqa: BLE001 - any failure makes the service unhealthy
            logger.exception("health check failed: %s", name)
            results[name] = "fail"
        else:
            results[name] = "ok"
    healthy = all(result == "ok" for result in results.values())
    beats = {name: heartbeat_status(name) if results["cache"] == "ok" else "unknown" for name in HEARTBEATS}
    status = "fail" if not healthy else "ok" if all(beat != "stale" for beat in beats.values()) else "degraded"
    return JsonResponse({"status": status, "checks": {**results, **beats}}, status=200 if healthy else 503)
