"""movement/health.py: /healthz, for the load balancer: the database, the cache and the broker."""

import json

import pytest

from movement.celery import app

pytestmark = pytest.mark.django_db


def test_the_health_check_answers_200_when_everything_is_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "ok"},
    }


def test_the_health_check_answers_503_when_the_broker_is_down(client):
    broker_url, app.conf.broker_url = app.conf.broker_url, "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = broker_url
    assert response.status_code == 503
    assert json.loads(response.content)["checks"] == {"database": "ok", "cache": "ok", "broker": "fail"}


def test_the_health_check_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
