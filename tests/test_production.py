"""The production configuration: Django's deployment checks, security headers, the health check."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

from movement.celery import app

pytestmark = pytest.mark.django_db

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "movement.example.org",
    "SITE_URL": "https://movement.example.org",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "EMAIL_URL": "smtp+tls://movement:password@smtp.example.org:587",
}


def manage(*args, env):
    """manage.py in a child process, with `env` over this one's environment; None unsets a variable."""
    # Without the browser tests' permission for Playwright's event loop, which deployments lack.
    env = {**os.environ, "DJANGO_ALLOW_ASYNC_UNSAFE": None, **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={k: v for k, v in env.items() if v is not None},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_pass_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", env={**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "Set SECRET_KEY in the environment" in result.stderr


@pytest.mark.parametrize("cache_url", [None, "locmemcache://", "dummycache://"], ids=["unset", "locmem", "dummy"])
def test_production_refuses_to_start_without_a_shared_cache(cache_url):
    result = manage("check", env={**PRODUCTION, "CACHE_URL": cache_url})
    assert result.returncode != 0
    assert "Set CACHE_URL to a cache that every process shares" in result.stderr


def test_production_refuses_to_start_without_a_way_to_send_mail():
    result = manage("check", env={**PRODUCTION, "EMAIL_URL": None, "EMAIL_PROVIDER": None})
    assert result.returncode != 0
    assert "Set EMAIL_URL (e.g. smtp+tls://" in result.stderr and "or EMAIL_PROVIDER" in result.stderr


def test_production_counts_in_redis_and_sends_mail_over_smtp():
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'], settings.EMAIL_BACKEND)"
    result = manage("shell", "-v0", "-c", code, env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "django.core.mail.backends.smtp.EmailBackend",
    ]


def test_a_debug_run_needs_neither_a_shared_cache_nor_a_way_to_send_mail():
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    unset = {"SECRET_KEY": None, "CACHE_URL": None, "EMAIL_URL": None, "EMAIL_PROVIDER": None}
    result = manage("shell", "-v0", "-c", code, env={"DEBUG": "1", **unset})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"


@pytest.mark.parametrize("path", ["/es/", "/admin/login/", "/en/no-such-page/"], ids=["public", "admin", "404"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path, secure=True)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_plain_http_is_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/es/")
    assert response.status_code == 301 and response["Location"] == "https://testserver/es/"


def test_cookies_are_secure_httponly_and_same_site(client):
    response = client.get("/es/actions/", secure=True)
    assert response.cookies  # the language cookie at least
    for cookie in response.cookies.values():
        assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax", cookie.key


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


def test_behind_a_proxy_each_visitor_has_their_own_signup_budget(client, settings):
    from tests.factories import ActionFactory

    settings.PROXY_COUNT, settings.SIGNUP_RATE = 1, "2/h"
    action = ActionFactory()
    form = {"name": "A", "language": "es", "consent": "on"}

    def sign_up(visitor, n):
        headers = {"x-forwarded-for": f"198.51.100.9, {visitor}"}  # a forged first entry, then our proxy's
        data = {**form, "email": f"v{n}@example.org"}
        return client.post(f"/es/actions/{action.slug}/signup/", data, headers=headers, REMOTE_ADDR="10.0.0.2")

    assert [sign_up("203.0.113.1", n).status_code for n in range(3)] == [302, 302, 429]
    assert sign_up("203.0.113.2", 9).status_code == 302  # another visitor through the same proxy


def test_log_lines_hide_tokens_and_query_strings():
    from common.logs import QUERY, redact

    assert redact("GET /es/signups/manage/AbC:dEf HTTP/1.1") == "GET /es/signups/manage/…/ HTTP/1.1"
    assert QUERY.sub("?…", "<WSGIRequest: GET '/es/x/?email=ana@example.org'>") == "<WSGIRequest: GET '/es/x/?…'>"
