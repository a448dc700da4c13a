"""movement/health.py: /healthz, for the load balancer: the database, the cache and the broker, and
the heartbeats of the worker and beat (movement/heartbeats.py)."""

import datetime
import json

import pytest
import time_machine
from celery import signals

from actions.tasks import signups_expire
from movement import heartbeats
from movement.celery import app, beat_heartbeat
from tests.workers import through_broker, wait_for, worker_process

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget_heartbeats():
    heartbeats._last_written.clear()


def health(client):
    response = client.get("/healthz")
    return response.status_code, json.loads(response.content)


def test_the_health_check_answers_200_when_everything_is_reachable_and_beating(client):
    heartbeats.heartbeat_record("worker")
    heartbeats.heartbeat_record("beat")
    assert health(client) == (
        200,
        {"status": "ok", "checks": {"database": "ok", "cache": "ok", "broker": "ok", "worker": "ok", "beat": "ok"}},
    )


def test_a_worker_not_seen_for_minutes_is_reported_without_taking_the_site_out(client, settings):
    heartbeats.heartbeat_record("worker")
    heartbeats.heartbeat_record("beat")
    later = datetime.timedelta(minutes=settings.HEARTBEAT_STALE_MINUTES, seconds=1)
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + later):
        heartbeats._last_written.clear()
        heartbeats.heartbeat_record("beat")  # beat goes on; the worker is gone
        status, body = health(client)
    assert status == 200 and body["status"] == "degraded"
    assert (body["checks"]["worker"], body["checks"]["beat"]) == ("stale", "ok")


def test_a_real_worker_beats_when_it_runs_a_task(client, smtp_sink):
    assert health(client)[1]["checks"]["worker"] == "stale"  # never seen
    with through_broker(), worker_process():
        signups_expire.delay()
        assert wait_for(lambda: health(client)[1]["checks"]["worker"] == "ok", seconds=30)


def test_beat_beats_when_it_sends_a_task(client):
    assert health(client)[1]["checks"]["beat"] == "stale"
    signals.beat_init.send(sender=None)  # what `celery beat` sends as it starts
    try:
        with through_broker():
            signups_expire.delay()  # as beat sends its tasks
    finally:
        signals.before_task_publish.disconnect(beat_heartbeat)
    assert health(client)[1]["checks"]["beat"] == "ok"


def test_the_broker_down_is_reported_without_taking_the_site_out(client):
    heartbeats.heartbeat_record("worker")
    heartbeats.heartbeat_record("beat")
    broker_url, app.conf.broker_url = app.conf.broker_url, "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        status, body = health(client)
    finally:
        app.conf.broker_url = broker_url
    assert (status, body["status"]) == (200, "degraded")  # signups go on; their emails wait in the database
    assert body["checks"] == {"database": "ok", "cache": "ok", "broker": "fail", "worker": "ok", "beat": "ok"}


def test_without_the_database_it_answers_503(client, settings):
    from django.db import connection

    name = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = "no_such_database"
    try:
        status, body = health(client)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
    assert (status, body["status"], body["checks"]["database"]) == (503, "fail", "fail")


def test_the_health_check_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
