"""movement/settings.py: the production configuration (Django's deployment checks; it refuses to start
without a secret key, a shared cache or a way to send mail), security headers, HTTPS, allowed hosts."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

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


def directives(csp: str) -> dict[str, str]:
    """A Content-Security-Policy header as {directive: its sources}."""
    return {name: sources.strip() for name, _, sources in (part.strip().partition(" ") for part in csp.split(";"))}


@pytest.mark.parametrize("path", ["/es/", "/admin/login/", "/en/no-such-page/"], ids=["public", "admin", "404"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path, secure=True)
    # Nothing unless allowed by name: each kind of resource the site and its admin load, from here.
    assert directives(response["Content-Security-Policy"]) == {
        "default-src": "'none'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "connect-src": "'self'",
        "form-action": "'self'",
        "base-uri": "'none'",
        "frame-ancestors": "'none'",
    }
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-site"
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


def test_an_unknown_host_gets_400(client):
    assert client.get("/es/", headers={"host": "evil.example.com"}).status_code == 400


def test_production_refuses_mail_backends_that_keep_messages():
    for url in ("filemail:///tmp/mail", "consolemail://"):
        result = manage("check", env={**PRODUCTION, "EMAIL_URL": url})
        assert result.returncode != 0, url
        assert "EMAIL_URL must send mail" in result.stderr


@pytest.mark.parametrize(
    ("provider", "message"),
    [("postmark", "needs ANYMAIL_POSTMARK_SERVER_TOKEN"), ("carrier-pigeon", "EMAIL_PROVIDER must be one of")],
)
def test_an_email_provider_without_its_key_or_unknown_is_refused(provider, message):
    result = manage("check", env={**PRODUCTION, "EMAIL_PROVIDER": provider, "ANYMAIL_POSTMARK_SERVER_TOKEN": None})
    assert result.returncode != 0 and message in result.stderr


def test_an_email_provider_with_its_key_sends_through_anymail():
    env = {**PRODUCTION, "EMAIL_PROVIDER": "postmark", "ANYMAIL_POSTMARK_SERVER_TOKEN": "server-token"}
    result = manage("shell", "-c", "from django.conf import settings; print(settings.EMAIL_BACKEND)", env=env)
    assert result.stdout.strip().endswith("anymail.backends.postmark.EmailBackend"), result.stderr


SECURE = "from django.conf import settings; print(settings.SECURE_SITE, settings.SECURE_SSL_REDIRECT)"
# gunicorn's master sets it in its environment before any worker loads the site.
UNDER_GUNICORN = {"SERVER_SOFTWARE": "gunicorn/27.0.1"}


@pytest.mark.parametrize(("value", "secure"), [("0", "False"), ("1", "True")])
def test_secure_site_says_whether_the_site_is_https_only(value, secure):
    result = manage("shell", "-v0", "-c", SECURE, env={**PRODUCTION, "SECURE_SITE": value, "HTTPS": None})
    assert result.stdout.split() == [secure, secure], result.stderr


def test_the_old_https_variable_is_ignored_outside_gunicorn():
    # Under runserver, HTTPS is also the CGI variable that wsgiref copies into every request.
    result = manage("shell", "-v0", "-c", SECURE, env={**PRODUCTION, "HTTPS": "0", "SECURE_SITE": None})
    assert result.stdout.split() == ["True", "True"], result.stderr
    assert "HTTPS is ignored here" in result.stderr and "SECURE_SITE" in result.stderr


def test_under_gunicorn_the_old_https_variable_still_works_with_a_warning():
    env = {**PRODUCTION, **UNDER_GUNICORN, "HTTPS": "0", "SECURE_SITE": None}
    result = manage("shell", "-v0", "-c", SECURE, env=env)
    assert result.stdout.split() == ["False", "False"], result.stderr
    assert "HTTPS is deprecated" in result.stderr and "SECURE_SITE" in result.stderr


def test_secure_site_wins_over_the_old_name():
    env = {**PRODUCTION, **UNDER_GUNICORN, "HTTPS": "0", "SECURE_SITE": "1"}
    result = manage("shell", "-v0", "-c", SECURE, env=env)
    assert result.stdout.split() == ["True", "True"] and "HTTPS" not in result.stderr, result.stderr
