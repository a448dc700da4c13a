from django.conf import settings
from django.shortcuts import render
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
    the page's language, before anything reads it. (A body that hides its size is still stopped by
    Django when read, with 400.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            return render(request, "413.html", status=413)
        return self.get_response(request)


def client_ip(request) -> str:
    """The visitor's address, for rate limits and the login lockout. Behind PROXY_COUNT proxies
    (each appends the address it saw to X-Forwarded-For), the one the outermost of ours saw; a
    visitor can prepend anything, but not past our proxies. With no proxy: REMOTE_ADDR."""
    if settings.PROXY_COUNT:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= settings.PROXY_COUNT:
            return forwarded[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR", "")
