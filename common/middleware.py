import codecs
from collections.abc import Callable

from django.conf import settings
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import translation


class RememberLanguageMiddleware:
    """Remember the language of the last page a visitor read, so that `/` sends them back to it.

    The language switch is a plain link (no form, no JavaScript), so the cookie is set here, on the
    response to a language-prefixed page, and only when it changes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        language = translation.get_language_from_path(request.path_info)
        if language and response.status_code == 200 and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=True,
            )
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE with 413, in
    the page's language, before anything reads it, unless its view takes more (allow_request_size).
    (A body that hides its size is still stopped by Django when read, with 400; Django does not
    count files in that limit, so a view that takes uploads checks their size itself.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit and length > view_request_size(request):
            return render(request, "413.html", status=413)
        return self.get_response(request)


def allow_request_size(limit: Callable[[], int]):
    """A view decorator: the view takes request bodies of up to `limit()` bytes (asked at each
    request, so that it follows the settings), an upload form's. Outermost, on the view the URL names."""

    def decorator(view):
        view.max_request_size = limit
        return view

    return decorator


def view_request_size(request) -> int:
    """The body size the view of `request`'s path allows (allow_request_size), else 0. Resolved
    only for a body over the default limit, so other requests pay nothing."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return 0
    allowance = getattr(match.func, "max_request_size", None)
    return allowance() if allowance is not None else 0


# The bodies Django reads into request.POST, and so decodes with the request's charset.
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def is_utf8(charset: str) -> bool:
    """Whether a Content-Type's charset ("utf-8", "UTF8", "latin-1", "foo") names UTF-8 itself, in any
    of Python's spellings of it. Unknown names and UTF-8 variants (utf-8-sig) are not."""
    try:
        return codecs.lookup(charset).name == "utf-8"
    except (LookupError, ValueError):  # ValueError: a name with a NUL in it
        return False


class FormCharsetMiddleware:
    """Refuse a form POST whose Content-Type names a charset other than UTF-8 with 400, our page in
    the page's language, before anything reads request.POST (the CSRF check is the first).

    Our pages are UTF-8 and browsers send their forms so, mostly with no charset at all; Django reads
    a urlencoded body only as UTF-8 and raises BadRequest otherwise, which the CSRF check turns into
    a 500 (Django's 400 page runs the CSRF check again, which reads the body again), a closed
    connection under gunicorn. Another spelling of UTF-8 ("utf8", "UTF8") names the same bytes, so
    it is read as UTF-8. Any other charset, known or not, is refused rather than guessed at: a name
    decoded as the wrong charset would be stored and emailed garbled, and no browser of ours sends one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        charset = request.content_params.get("charset")
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES and charset is not None:
            if not is_utf8(charset):
                return render(request, "400.html", {"reason": "charset"}, status=400)
            request.encoding = "utf-8"  # the one spelling Django's form parser accepts
        return self.get_response(request)


def cross_origin_resource_policy(path: str) -> str:
    """The Cross-Origin-Resource-Policy for a path: "cross-origin" under settings.CROSS_ORIGIN_PATHS
    (prefixes like "/api/"), else "same-site"."""
    return "cross-origin" if path.startswith(tuple(settings.CROSS_ORIGIN_PATHS)) else "same-site"


class CrossOriginResourcePolicyMiddleware:
    """Cross-Origin-Resource-Policy on every response, static files and cached pages included (so it
    stands before whitenoise, inside the page cache): another site's page may not load ours as an
    image, a script or a stylesheet, nor frame them if it is cross-origin isolated, except what is
    meant for it (CROSS_ORIGIN_PATHS: the embed, the API). A header a view set stays."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy", cross_origin_resource_policy(request.path_info))
        return response


def client_ip(request) -> str:
    """The visitor's address, for rate limits and the login lockout. Behind PROXY_COUNT proxies
    (each appends the address it saw to X-Forwarded-For), the one the outermost of ours saw; a
    visitor can prepend anything, but not past our proxies. With no proxy: REMOTE_ADDR."""
    if settings.PROXY_COUNT:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= settings.PROXY_COUNT:
            return forwarded[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR", "")
