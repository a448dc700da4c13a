"""The one settings module. Everything that differs between machines comes from the environment
(see `.env.example`); the defaults run the app on SQLite with no other service."""

import importlib.util
import os
import secrets
import warnings
from pathlib import Path

import environ
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

# A fixed key is only acceptable where nothing is real: a DEBUG run on a developer's machine.
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY in the environment (DEBUG is off).")
    SECRET_KEY = "insecure-development-key-only-for-debug-runs"
# Mail leaves the machine unless DEBUG is on: the files a DEBUG run writes instead (var/mail/, the
# email section below) would keep volunteers' addresses after their data is erased.
if not DEBUG and not (env("EMAIL_URL", default="") or env("EMAIL_PROVIDER", default="")):
    raise ImproperlyConfigured(
        "Set EMAIL_URL (e.g. smtp+tls://user:password@smtp.example.org:587) or EMAIL_PROVIDER in the "
        "environment (DEBUG is off)."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])


def secure_site(*, debug: bool) -> bool:
    """Whether the site is served over HTTPS only: SECURE_SITE (1 or 0); unset, the old name HTTPS,
    under gunicorn only, with a FutureWarning on stderr (shown by default, unlike DeprecationWarning);
    else on unless DEBUG."""
    if "SECURE_SITE" in os.environ:
        return env.bool("SECURE_SITE")
    if "HTTPS" in os.environ:
        # HTTPS is also the CGI variable that marks a request as secure, and under runserver wsgiref
        # copies the process environment into every request (movement/wsgi.py): a shell's HTTPS=1
        # would mark plain HTTP secure. gunicorn copies nothing, and its master puts SERVER_SOFTWARE
        # in the environment before any worker loads the site, whatever configuration it was given:
        # the one sure sign of running under it. Anywhere else, fall back to the safe default.
        if os.environ.get("SERVER_SOFTWARE", "").startswith("gunicorn/"):
            warnings.warn("HTTPS is deprecated: set SECURE_SITE instead (same values).", FutureWarning, stacklevel=2)
            return env.bool("HTTPS")
        warnings.warn("HTTPS is ignored here (only gunicorn reads it): set SECURE_SITE.", FutureWarning, stacklevel=2)
    return not debug


# Served over HTTPS (the default without DEBUG): redirect to it, HSTS, cookies only over it.
# SECURE_SITE=0 runs production settings over plain HTTP on a developer's machine. Behind a proxy that
# ends TLS, set TRUST_PROXY_HTTPS=1 so that Django believes its X-Forwarded-Proto header.
SECURE_SITE = secure_site(debug=DEBUG)
SECURE_SSL_REDIRECT = SECURE_SITE
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if SECURE_SITE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = SECURE_SITE
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = SECURE_SITE
if env.bool("TRUST_PROXY_HTTPS", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies of ours stand in front (each appends to X-Forwarded-For): with 0, the visitor's
# address is REMOTE_ADDR. Rate limits and the login lockout count per visitor address
# (common.middleware.client_ip); behind a proxy, 0 would count every visitor as the proxy.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
RATELIMIT_IP_META_KEY = "common.middleware.client_ip"
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Our pages open in a browsing context group of their own: a page of another site that opened one
# (or that one opens) gets no handle on it. Django's default, said here so that it stays.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Nothing but this site's own files: no inline script or style, no third-party host, no framing.
# Everything is refused unless named: no fonts (system fonts only), media, frames, workers, plugins
# or manifest. Scripts, and the fetches of the admin's autocomplete fields, are the admin's only.
# Images may be data: URLs (the blank favicon); captcha pictures come from here (/captcha/).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.NONE],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:"],
        "connect-src": [csp.SELF],
        "form-action": [csp.SELF],
        "base-uri": [csp.NONE],  # the embed's <base> only sets a target, no URL
        "frame-ancestors": [csp.NONE],  # the embed's view replaces it (EMBED_FRAME_ANCESTORS)
    }
}
# Features no page of ours uses, turned off for every page and anything it could embed.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "browsing-topics",
    )
}

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, so its translation fields reach the admin forms
    "movement.apps.MovementAdminConfig",  # django.contrib.admin, with two-factor login
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_ratelimit",
    "django_celery_beat",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "corsheaders",
    "anymail",
    "captcha",  # django-simple-captcha: the challenge when a signup limit trips (actions/limits.py)
    "django.forms",  # its widget templates, for FORM_RENDERER
    "actions",
    "demands",
    "places",
    "hosting",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "common.middleware.CrossOriginResourcePolicyMiddleware",  # before whitenoise: static files too
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",  # before CommonMiddleware, so that redirects carry CORS too
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "common.middleware.RememberLanguageMiddleware",
    "common.middleware.RequestSizeLimitMiddleware",  # after the language is known, for its page
    "common.middleware.FormCharsetMiddleware",  # the same, and before anything reads request.POST
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",  # turns a refused request into RATELIMIT_VIEW's 429
    "axes.middleware.AxesMiddleware",  # last: it answers a locked-out login
]

# Brute force on the admin login: after 5 failures for one username from one address, that pair is
# locked out for an hour (a page in the admin's language, status 429). A success clears its count.
# Password spraying (a few guesses for each of many usernames) locks the address out, for every
# username, after 30 failures within the hour: higher, because a coalition office shares one address
# among its staff and their typos (movement/lockout.py).
ADMIN_LOGIN_FAILURES_PER_USERNAME = env.int("ADMIN_LOGIN_FAILURES_PER_USERNAME", default=5)
ADMIN_LOGIN_FAILURES_PER_ADDRESS = env.int("ADMIN_LOGIN_FAILURES_PER_ADDRESS", default=30)
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "movement.lockout.LoginLockoutHandler"
AXES_FAILURE_LIMIT = ADMIN_LOGIN_FAILURES_PER_USERNAME
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # the address alone is counted by the handler
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "common.middleware.client_ip"
# Two-factor login for the admin (movement/admin_site.py): asked of staff who have a TOTP device;
# with ADMIN_REQUIRE_2FA=1, of every staff member. Turn it on once each has a device.
ADMIN_REQUIRE_2FA = env.bool("ADMIN_REQUIRE_2FA", default=False)
OTP_TOTP_ISSUER = "Movement"

ROOT_URLCONF = "movement.urls"
# Our forms are a few short fields; a body larger than this is refused with 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024  # bytes
WSGI_APPLICATION = "movement.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # The site-wide tags live in common/, which is not an app (no models, nothing to install):
            # named here rather than made builtins, so that each template still says `{% load site %}`
            # and a reader can follow the name to its module. Apps' own tags (actions' action_times)
            # are found in their templatetags/ as usual.
            "libraries": {"site": "common.templatetags"},
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # SQLite has no row locks: take the write lock when a transaction begins, so concurrent seat
    # allotments queue up (and wait, rather than fail with "database is locked").
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
# Each web thread keeps its database connection for CONN_MAX_AGE seconds (checked before reuse)
# instead of opening one per request: a new PostgreSQL connection is a new server process. Uncached
# pages served 1.3 to 1.9 times as many requests with it, the signup surge 1.6 (docs/performance.md).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Behind PgBouncer in transaction pooling (several web servers sharing one PostgreSQL): consecutive
# queries of one request may reach different server connections, so no server-side cursor may outlive
# a transaction. Django's queries then bind parameters client-side (its default with psycopg), so no
# prepared statement is left on a server connection either. See README, "Beyond one machine".
if env.bool("DATABASE_TRANSACTION_POOLING", default=False):
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: English and Spanish are equals; URLs carry the language (/en/, /es/).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
FORMAT_MODULE_PATH = ["movement.formats"]
LANGUAGE_COOKIE_SAMESITE = "Lax"

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
# The admin's language tabs need jQuery UI; modeltranslation would fetch it from Google's CDN.
# Served from here instead (npm jquery-ui 1.14.2, MIT): no third-party request, even in the admin.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "es"), "es": ("en",), "en": ("es",)}

# Stored in UTC; shown in each action's city time zone. TIME_ZONE is only the fallback zone for
# actions with neither a city nor a campaign.
USE_TZ = True
TIME_ZONE = env("TIME_ZONE", default="America/Mexico_City")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Serve straight from the source folders where collectstatic has not run (tests, a DEBUG run).
WHITENOISE_USE_FINDERS = DEBUG or env.bool("WHITENOISE_USE_FINDERS", default=False)

# Mail goes through an email provider's API (EMAIL_PROVIDER, with django-anymail: its keys as
# ANYMAIL_<PROVIDER>_<SETTING>, e.g. ANYMAIL_POSTMARK_SERVER_TOKEN), or an SMTP server (EMAIL_URL).
# Without either (DEBUG runs only, see above), it is written to files in var/mail/, one per message.
EMAIL_PROVIDERS = {
    "amazon_ses": (),  # boto3 (pip install django-anymail[amazon-ses]) reads AWS's own credentials
    "brevo": ("BREVO_API_KEY",),
    "mailgun": ("MAILGUN_API_KEY", "MAILGUN_SENDER_DOMAIN", "MAILGUN_WEBHOOK_SIGNING_KEY", "MAILGUN_API_URL"),
    "postmark": ("POSTMARK_SERVER_TOKEN",),
    "sendgrid": ("SENDGRID_API_KEY",),
}
EMAIL_PROVIDER = env("EMAIL_PROVIDER", default="")
if EMAIL_PROVIDER and EMAIL_PROVIDER not in EMAIL_PROVIDERS:
    raise ImproperlyConfigured(f"EMAIL_PROVIDER must be one of {', '.join(EMAIL_PROVIDERS)}.")
# The provider's tracking webhook (/anymail/<provider>/tracking/) reports bounces and complaints
# (actions/webhooks.py); it answers only requests with this basic-auth "user:password". Unset, a random
# one that nobody knows: anymail would otherwise take anyone's word for a bounce.
ANYMAIL = {
    "WEBHOOK_SECRET": env("ANYMAIL_WEBHOOK_SECRET", default="") or f"unset:{secrets.token_urlsafe(32)}",
    **{
        name: env(f"ANYMAIL_{name}")
        for names in EMAIL_PROVIDERS.values()
        for name in names
        if env(f"ANYMAIL_{name}", default="")
    },
}
if EMAIL_PROVIDER:
    EMAIL_BACKEND = f"anymail.backends.{EMAIL_PROVIDER}.EmailBackend"
    if EMAIL_PROVIDER == "amazon_ses" and importlib.util.find_spec("boto3") is None:
        raise ImproperlyConfigured("EMAIL_PROVIDER=amazon_ses needs boto3: pip install django-anymail[amazon-ses].")
    for key in EMAIL_PROVIDERS[EMAIL_PROVIDER][:1]:  # the API key or token
        if key not in ANYMAIL:
            raise ImproperlyConfigured(f"EMAIL_PROVIDER={EMAIL_PROVIDER} needs ANYMAIL_{key} in the environment.")
elif env("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))  # EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT...
    if not DEBUG and globals()["EMAIL_BACKEND"].rsplit(".", 2)[-2] in ("filebased", "console"):
        # Files and the console keep every message, addresses and links included, past any erasure.
        raise ImproperlyConfigured("EMAIL_URL must send mail (smtp://...) when DEBUG is off, not keep it.")
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="movement@localhost")
# Seconds a mail server may stall before the message counts as failed (and is retried later), well
# within a task's time limit.
EMAIL_TIMEOUT = 30

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # Redis hands an unacknowledged message to another worker after this long: it must outlast any
    # task (CELERY_TASK_TIME_LIMIT) and any retry countdown, or a slow task would run twice at once.
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, int | str] = {"visibility_timeout": 60 * 60}
else:
    # The embedded default (make run): messages are files under var/celery/, so the worker and beat
    # that `make run` starts need no service. Tasks do not run in the web process.
    CELERY_BROKER_URL = "filesystem://localhost//"  # the host names nothing; it keeps kombu quiet
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BASE_DIR / "var" / "celery" / "queue"),
        "data_folder_out": str(BASE_DIR / "var" / "celery" / "queue"),
        "control_folder": str(BASE_DIR / "var" / "celery" / "control"),
    }
CELERY_RESULT_BACKEND = None
CELERY_RESULT_EXPIRES = None  # no results are kept, so beat needs no task to clean them up
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# A message is acknowledged once its task has run, and handed out again if the worker dies, so a
# crash loses nothing; tasks are written to be run twice (reminders are claimed in the database).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a worker holds one message at a time, not a backlog
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60  # seconds; a batch of MAIL_BATCH_SIZE emails takes far less
CELERY_TASK_TIME_LIMIT = 5 * 60
# A message to the broker is tried twice, over at most a second each, then left for the next dispatch
# (actions/mail.py): a volunteer's signup must not wait on a broker that is down.
CELERY_BROKER_CONNECTION_TIMEOUT = 1  # seconds
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# /healthz reports a worker or beat not seen for this long (movement/heartbeats.py); beat sends a task a
# minute.
HEARTBEAT_STALE_MINUTES = 5
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"  # organizers see it in the admin
CELERY_BEAT_SCHEDULE = {
    # A dispatch that waited past the next one is dropped: the next finds the same work. (expire_seconds
    # is django-celery-beat's name for the `expires` option.)
    "send-due-reminders": {
        "task": "actions.tasks.mail_dispatch",
        "schedule": 60,
        "options": {"expire_seconds": 55},
    },
    "expire-pending-signups": {"task": "actions.tasks.signups_expire", "schedule": 15 * 60},
    "anonymize-past-signups": {"task": "actions.tasks.signups_anonymize", "schedule": 60 * 60},
    "follow-up-past-actions": {"task": "hosting.tasks.follow_ups_send", "schedule": 60 * 60},
    "expire-and-erase-hosting": {"task": "hosting.tasks.hosting_erase", "schedule": 60 * 60},
}

# Hosting from below (hosting/): messages a host may send an action's volunteers in 24 hours; the
# local hour, the day after an action, at which its volunteers are asked whether they made it; photos
# of a report, each at most this many bytes uploaded and pixels on its longer side once resized.
HOST_MESSAGES_PER_DAY = env.int("HOST_MESSAGES_PER_DAY", default=3)
# Active hosts (the first and co-hosts) an action may have: enough for the people who run one, few
# enough that a leaked link cannot hand the volunteers' contacts to a crowd.
HOSTS_PER_ACTION_MAX = 5
FOLLOW_UP_HOUR = 10
REPORT_PHOTOS_MAX = 4
REPORT_PHOTO_MAX_BYTES = 10 * 1024 * 1024  # phones take photos of 3 to 8 MB
REPORT_PHOTO_MAX_SIDE = 1600

# Reminders to confirmed volunteers, in minutes before the action starts (see actions/reminders.py).
REMINDER_OFFSETS = env.list("REMINDER_OFFSETS", cast=int, default=[1440, 120])
# Outgoing mail (actions/mail.py): emails per worker task, over one connection.
MAIL_BATCH_SIZE = env.int("MAIL_BATCH_SIZE", default=100)
MAIL_MAX_ATTEMPTS = 8  # over about two hours (see mail.backoff); then failed, sent again from the admin
# An email claimed this long ago by a worker that never marked it sent is claimed again (its worker
# died). Longer than CELERY_TASK_TIME_LIMIT, so a live worker's claim is never taken from it.
MAIL_CLAIM_TIMEOUT = 10  # minutes

# The rate limits count in this cache: one that every process shares (CACHE_URL=redis://...) unless
# DEBUG is on, or each web process would allow a visitor the whole budget again; process memory by
# default in a DEBUG run.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if not DEBUG and CACHES["default"]["BACKEND"].rsplit(".", 1)[-1] in ("LocMemCache", "DummyCache"):
    raise ImproperlyConfigured(
        "Set CACHE_URL to a cache that every process shares, e.g. redis://127.0.0.1:6379/1 (DEBUG is off, "
        "and rate limits would count per process)."
    )
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # Fine for one process (a DEBUG run: make run); django-ratelimit would refuse it outright.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
elif CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Django's own Redis cache counts atomically (INCR), all django-ratelimit needs; it only knows
    # the django-redis package by name.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
# Public pages come from a cache for PAGE_CACHE_SECONDS (0 turns it off), so an organizer's edit shows
# within that time (issue 8 asks for 5 s). Each page is rendered once for all web processes, kept in
# each one's memory (no round trip on a hit) and in the shared cache, and a stale copy is served while
# one request renders the next (common/pagecache.py). Responses that say private/no-store are never
# stored: every view that shows a CSRF token or personal data (signup form, volunteers' pages, the
# admin) is never_cache; Django alone would store a CSRF cookie for visitors sending the same other
# cookies.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=5)
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "pages",
    "OPTIONS": {"MAX_ENTRIES": 500},  # about 30 MB a process at most, whatever the query strings
}
# Parts of pages that many pages show (cards, demand and outcome lines, the API's actions, the blank
# signup form: common/fragments.py), each under a key made of what it shows, so never stale; each
# process keeps its own, a few MB at most.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "TIMEOUT": 24 * 60 * 60,
    "OPTIONS": {"MAX_ENTRIES": 10_000},
}
CACHE_MIDDLEWARE_ALIAS = "pages"
CACHE_MIDDLEWARE_SECONDS = PAGE_CACHE_SECONDS
CACHE_MIDDLEWARE_KEY_PREFIX = ""
# Pages go compressed to browsers that accept it (a list page: 55 KB, 8 KB compressed), and are cached
# so; whitenoise, before it, serves static files compressed ahead. Django's gzip adds random bytes to
# each response against BREACH, and CSRF tokens are masked anyway.
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1, "django.middleware.gzip.GZipMiddleware"
)
if PAGE_CACHE_SECONDS:
    MIDDLEWARE = [
        "common.pagecache.UpdateCacheMiddleware",  # first: it stores what every other one made
        *MIDDLEWARE,
        "common.pagecache.FetchFromCacheMiddleware",  # last: after those that add Vary headers
    ]
RATELIMIT_VIEW = "movement.views.rate_limited"
# Limits on signups (actions/limits.py) that a real surge survives (hundreds of volunteers behind one
# carrier's address) and a script does not. Past one of the first four, the form asks for the challenge
# (a picture of letters, served from here, no JavaScript); what passes it is flagged for organizers.
# Only past SIGNUP_RATE_MAX is a visitor refused (429).
SIGNUP_RATE = env("SIGNUP_RATE", default="10/h")  # signup submissions per client address
SIGNUP_CONFIRM_RATE = env("SIGNUP_CONFIRM_RATE", default="20/h")  # confirmations per client address
# Signup submissions, and confirmations, per client address, past which they are refused. Each answer to
# the challenge counts too: 200 volunteers behind one address in 10 minutes make about 400 of each.
SIGNUP_RATE_MAX = env("SIGNUP_RATE_MAX", default="1000/h")
# Live signups at one action from one mail domain in SIGNUP_LIMIT_HOURS: the larger of
# SIGNUP_DOMAIN_FREE and SIGNUP_DOMAIN_SHARE of the action's capacity.
SIGNUP_DOMAIN_FREE = env.int("SIGNUP_DOMAIN_FREE", default=5)
SIGNUP_DOMAIN_SHARE = env.float("SIGNUP_DOMAIN_SHARE", default=0.1)
SIGNUP_LIMIT_HOURS = env.int("SIGNUP_LIMIT_HOURS", default=24)
SIGNUP_SURGE_PER_HOUR = env.int("SIGNUP_SURGE_PER_HOUR", default=50)  # live signups at one action, last hour
CAPTCHA_IMAGE_SIZE = (150, 50)  # pixels; the page gives the size, so nothing moves as it loads
CAPTCHA_FONT_SIZE = 30
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 30  # minutes to answer; a wrong or late answer gets a new picture
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"  # widget templates from templates/ too
SIGNUP_CONFIRM_HOURS = 48  # an unconfirmed signup is deleted after this long
SIGNUP_RESEND_MINUTES = 10  # signing up again with the same address sends at most one email this often
# Volunteers' name, email and phone are erased this many days after their action ends.
SIGNUP_RETENTION_DAYS = env.int("SIGNUP_RETENTION_DAYS", default=30)
# How long the operator keeps database backups, which hold erased data until they are deleted: the
# privacy page tells volunteers. Set it to what the backups really do.
BACKUP_RETENTION_DAYS = env.int("BACKUP_RETENTION_DAYS", default=7)
# Where links in emails point: the site's public address.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# The read-only public API (/api/v1/, api/): JSON only, no login, any site may read it from a
# visitor's browser (CORS, no cookies), API_RATE requests per visitor address.
API_RATE = env("API_RATE", default="600/hour")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PublicRateThrottle"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "api.schema.PublicApiSchema",
    "NUM_PROXIES": PROXY_COUNT,
    "EXCEPTION_HANDLER": "api.views.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Movement public API",
    "DESCRIPTION": "Campaigns, actions, cities, demands and outcomes as the public pages show them, in "
    'English and Spanish. Times are UTC ("Z") with the action\'s local time and zone beside them.',
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "ActionStatusEnum": "actions.models.ActionStatus",
        "ActionKindEnum": "actions.models.ActionKind",
        "DemandStatusEnum": "demands.models.DemandStatus",
        "OutcomeKindEnum": "demands.models.OutcomeKind",
    },
}
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["Retry-After"]  # so that a partner's script can wait out a 429
# /bench/hello, a view that does nothing, for bench/pages.py to compare pages with (never in production).
BENCHMARK_VIEWS = env.bool("BENCHMARK_VIEWS", default=False)
# Partners' pages may frame /embed/ (and nothing else): these origins, or any ("*").
EMBED_FRAME_ANCESTORS = env.list("EMBED_FRAME_ANCESTORS", default=["*"])
# What other sites are meant to load, the embed and the API: Cross-Origin-Resource-Policy: cross-origin
# under these paths; same-site everywhere else (common.middleware.CrossOriginResourcePolicyMiddleware).
CROSS_ORIGIN_PATHS = ["/embed/", "/api/"]

# One line per event on stdout: JSON in production (tracebacks inside the line), plain text in a
# DEBUG run. Log ids, never a volunteer's name, email or phone (tests/common/test_logs.py checks).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "filters": {"redact_tokens": {"()": "common.logs.RedactTokens"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain" if DEBUG else "json",
            "filters": ["redact_tokens"],
        }
    },
    "root": {"handlers": ["stdout"], "level": env("LOG_LEVEL", default="INFO")},
    # Django's own console handler would print each of its lines a second time.
    "loggers": {"django": {"handlers": ["stdout"], "level": "INFO", "propagate": False}},
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # workers log through LOGGING too
