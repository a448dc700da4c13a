"""movement/wsgi.py: the WSGI application, which runserver serves too. Python's wsgiref, under runserver,
starts every request's environ from a copy of the process environment: none of it may reach a request
(request.META), and an inherited HTTPS (the CGI variable) must not make a plain HTTP request secure."""

import contextlib
import os
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from wsgiref.handlers import read_environ

import pytest
from django.conf import settings
from django.core.servers import basehttp

from movement.wsgi import without_process_environment
from tests.workers import wait_for

SECRET = "not-for-requests-0123456789"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def runserver_handler(app):
    """`app` behind runserver's own server and request handler (django.core.servers.basehttp), in a
    thread on a free loopback port; yields the base URL."""
    server = basehttp.WSGIServer(("127.0.0.1", 0), basehttp.WSGIRequestHandler)
    server.set_app(app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def test_no_process_variable_reaches_a_request_under_runserver_handler(monkeypatch):
    monkeypatch.setenv("HTTPS", "1")
    monkeypatch.setenv("SECRET_KEY", SECRET)
    # What wsgiref copies into each request: os.environ as it was when wsgiref was imported.
    process = read_environ()
    monkeypatch.setattr(basehttp.ServerHandler, "os_environ", process)
    seen = {}

    def app(environ, start_response):
        seen.update(environ)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    with runserver_handler(without_process_environment(app, [process])) as base:
        request = urllib.request.Request(base + "/es/?q=1", headers={"X-Test": "yes"})
        urllib.request.urlopen(request, timeout=10).read()
    assert "SECRET_KEY" not in seen and "HTTPS" not in seen and "PATH" not in seen
    assert seen["wsgi.url_scheme"] == "http"
    # What the request itself brought, and what the server says about it, stay.
    assert seen["PATH_INFO"] == "/es/" and seen["QUERY_STRING"] == "q=1" and seen["HTTP_X_TEST"] == "yes"
    assert seen["REQUEST_METHOD"] == "GET" and seen["SERVER_PORT"] and seen["REMOTE_ADDR"] == "127.0.0.1"


def test_a_header_that_differs_from_the_process_variable_of_its_name_is_the_request_s(monkeypatch):
    process = {"HTTP_PROXY": "http://proxy.internal:3128", "HTTP_X_TEST": "from-the-shell"}
    monkeypatch.setattr(basehttp.ServerHandler, "os_environ", process)
    seen = {}

    def app(environ, start_response):
        seen.update(environ)
        start_response("200 OK", [])
        return [b""]

    with runserver_handler(without_process_environment(app, [process])) as base:
        urllib.request.urlopen(urllib.request.Request(base + "/", headers={"X-Test": "sent"}), timeout=10).read()
    assert "HTTP_PROXY" not in seen  # httpoxy: a proxy setting is no request header
    assert seen["HTTP_X_TEST"] == "sent"


@pytest.fixture
def runserver(tmp_path):
    """runserver (as the Procfile starts it) in a child process, on a free port, with DEBUG off,
    HTTPS=1 and SECRET_KEY in its environment; yields its base URL."""
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
        "HTTPS": "1",
        "SECRET_KEY": SECRET,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CACHE_URL": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/1"),
        "EMAIL_URL": "dummymail://",
    }
    command = [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"

    def answers():
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False
        return True

    try:
        assert wait_for(answers), "runserver did not start"
        yield base
    finally:
        server.terminate()
        server.wait(30)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_an_inherited_https_does_not_make_runserver_s_plain_http_secure(runserver):
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.build_opener(NoRedirect).open(runserver + "/robots.txt", timeout=10)
    response = answer.value
    assert response.code == 301 and response.headers["Location"].startswith("https://")
    assert "Strict-Transport-Security" not in response.headers
