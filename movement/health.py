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
        broker.ensure_connection(max_retries=1, timeout=1)


CHECKS = {"database": _database, "cache": _cache, "broker": _broker}
HEARTBEATS = ("worker", "beat")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """{"status": "ok"|"degraded"|"fail", "checks": {"database": "ok"|"fail", "cache": ..., "broker": ...,
    "worker": "ok"|"stale"|"unknown", "beat": ...}}.

    503 ("fail") only when this process cannot reach the database, without which it serves nothing.
    Without the cache or the broker, or with a worker or beat not seen for HEARTBEAT_STALE_MINUTES
    (movement/heartbeats.py), the site still serves (signups are challenged, their emails wait for the
    next dispatch): "degraded", with 200, since a load balancer would take every web server out at
    once for what they all share. The reason for a failure goes to the log, not to the caller."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:  # noqa: BLE001 - any failure is reported
            logger.exception("health check failed: %s", name)
            results[name] = "fail"
        else:
            results[name] = "ok"
    results |= {name: heartbeat_status(name) if results["cache"] == "ok" else "unknown" for name in HEARTBEATS}
    if results["database"] != "ok":
        status = "fail"
    elif all(result in ("ok", "unknown") for result in results.values()):
        status = "ok"
    else:
        status = "degraded"
    return JsonResponse({"status": status, "checks": results}, status=503 if status == "fail" else 200)
