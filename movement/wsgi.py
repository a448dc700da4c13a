"""The WSGI application: gunicorn's (`gunicorn movement.wsgi`) and runserver's (WSGI_APPLICATION)."""

import os
from collections.abc import Iterable, Mapping
from wsgiref import handlers
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from django.core.wsgi import get_wsgi_application

# The CGI variables (RFC 3875) that wsgiref and gunicorn set for every request themselves: the
# request's own even where the process environment has a variable of the same name and value.
PER_REQUEST = frozenset(
    {
        "CONTENT_LENGTH",
        "CONTENT_TYPE",
        "GATEWAY_INTERFACE",
        "PATH_INFO",
        "QUERY_STRING",
        "REMOTE_ADDR",
        "REMOTE_HOST",
        "REQUEST_METHOD",
        "SCRIPT_NAME",
        "SERVER_NAME",
        "SERVER_PORT",
        "SERVER_PROTOCOL",
        "SERVER_SOFTWARE",
    }
)


def request_environ(environ: WSGIEnvironment, process: Iterable[Mapping[str, str]]) -> WSGIEnvironment:
    """`environ` without the variables a server copied into it from the process environment (each of
    `process` holds one version of it): a key with a process variable's name and value, unless the
    server sets it per request. The same dict when there is none.

    Python's wsgiref (runserver) starts each request's environ from a copy of os.environ, so
    SECRET_KEY and every other variable would reach request.META, an HTTP_PROXY would pass for a
    request header (httpoxy), a REMOTE_USER for a login, and HTTPS, the CGI variable, would make it
    set wsgi.url_scheme to https over plain HTTP (no redirect; HSTS and secure cookies sent in clear).
    Runserver never speaks TLS, so a request whose HTTPS came from the process is plain HTTP.
    """
    inherited = {
        key
        for version in process
        for key in environ.keys() & version.keys()
        if environ[key] == version[key] and key not in PER_REQUEST
    }
    if not inherited:
        return environ
    cleaned = {key: value for key, value in environ.items() if key not in inherited}
    if "HTTPS" in inherited:
        cleaned["wsgi.url_scheme"] = "http"
    return cleaned


def without_process_environment(app: WSGIApplication, process: Iterable[Mapping[str, str]]) -> WSGIApplication:
    """`app`, called with each request's environ cleaned by request_environ against `process`."""
    versions = [dict(version) for version in process]  # a dict each: os.environ's lookups are slow

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        return app(request_environ(environ, versions), start_response)

    return application


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "movement.settings")
# Two versions of the process environment: os.environ, and wsgiref's copy of it as it was when
# wsgiref was imported, which is what it copies into requests (with request-like variables re-encoded).
application = without_process_environment(get_wsgi_application(), [os.environ, handlers.BaseHandler.os_environ])
