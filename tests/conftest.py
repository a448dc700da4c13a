import os

import pytest
from django.core.cache import cache, caches
from django.utils import translation

from . import factories


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The hashed-name storage needs collectstatic's manifest; tests serve from the source folders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _plain_http(settings):
    # The test client speaks plain HTTP; tests of the HTTPS behaviour ask for it (secure=True).
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    # The rate limit counts in the cache; each test starts with none. Pages are not cached, so a test
    # sees its changes at once; tests of the page cache turn it on (see tests/movement/test_page_cache.py).
    cache.clear()
    caches["pages"].clear()
    settings.CACHE_MIDDLEWARE_SECONDS = 0


@pytest.fixture(autouse=True)
def _english_by_default():
    with translation.override("en"):
        yield


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...` runs what the block queued for after the commit, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def city():
    return factories.CityFactory()


@pytest.fixture
def action():
    return factories.ActionFactory()


@pytest.fixture
def june30():
    """The June 30 day of action, as `manage.py load_june30` loads it."""
    from actions.seed import load_day_of_action

    load_day_of_action()


@pytest.fixture(scope="module")
def geonames(django_db_setup, django_db_blocker):
    """GeoNames' postal codes and cities of the US and Mexico, as `manage.py import_places` imports
    them (about 8 s): once for the tests of a module, removed after them. Tests that empty the
    database (transactional ones) cannot use it."""
    from places import geonames

    with django_db_blocker.unblock():
        geonames.import_places()
    yield
    with django_db_blocker.unblock():
        geonames.clear()


def pytest_report_header(config):
    from django.db import connection

    return f"database: {connection.vendor}"


@pytest.fixture(scope="session", autouse=True)
def _celery_test_broker():
    # Tasks run eagerly unless a test starts a worker; even then, keep test messages out of the
    # database a developer's own worker reads. Set before the first task call opens a connection.
    import redis

    from movement.celery import app

    app.conf.broker_url = "redis://127.0.0.1:6379/15"
    app.conf.broker_transport_options = {"visibility_timeout": 3600}
    app.conf.task_always_eager = True
    # Its own queue, so that two test runs at once on one machine never take each other's tasks.
    queue = app.conf.task_default_queue = f"tests-{os.getpid()}"
    yield
    # What is left of this run's queue: a task a killed worker held, the queue's bindings.
    client = redis.Redis.from_url(app.conf.broker_url)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


@pytest.fixture(scope="session", autouse=True)
def _postgresql_only():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.exit("The tests run against PostgreSQL: use `make test`, or set DATABASE_URL.", returncode=2)


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server on loopback that keeps what it receives; the site sends to it."""
    from .smtp import SmtpSink

    with SmtpSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = sink.host, sink.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield sink
