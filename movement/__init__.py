import zoneinfo

# Time zones come only from the tzdata package that requirements.txt pins, never from the operating
# system's /usr/share/zoneinfo (or PYTHONTZPATH), which zoneinfo reads first otherwise: a server with
# tz data older than 2022 would show Mexico City with daylight time. Set here, before anything loads
# a zone, because every entry point imports this package first: manage.py and the WSGI/ASGI servers
# through movement.settings, gunicorn.conf.py, Celery's `-A movement` (tests/movement/test_time_zones.py).
zoneinfo.reset_tzpath(to=[])

from .celery import app as celery_app  # noqa: E402  (after the reset)

__all__ = ("celery_app",)
