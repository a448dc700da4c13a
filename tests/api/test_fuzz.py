"""api/: the API fuzzed against its own OpenAPI schema (schemathesis): path parameters and filter values
the schema allows and many it doesn't; never a server error, never a response off the schema."""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.renderers import JSONRenderer
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from actions.seed import load_day_of_action
from movement.wsgi import application


def _load_schema():
    """The schema /api/v1/schema/ serves, built without a request (collection has no database)."""
    raw = json.loads(JSONRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    loaded = schemathesis.openapi.from_dict(raw)
    loaded.app = _over_https  # calls go through the whole WSGI stack, middleware included
    return loaded


def _over_https(environ, start_response):
    # As in production behind TLS; over plain HTTP every call would be a redirect to HTTPS.
    return application({**environ, "wsgi.url_scheme": "https"}, start_response)


schema = _load_schema()


@pytest.fixture
def june30(db):
    load_day_of_action()


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """Django closes the database connection at the end of each request, which would end the test's
    transaction; its own test client turns this off in the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_no_server_error_and_every_response_matches_the_schema(case, june30, settings_override):
    cache.clear()  # fuzzing must not run into the rate limit
    # Every check but two: like the site's own filters, the API takes an empty or unreadable filter
    # value as no filter, and refuses a year past what a number field holds.
    # Uncompressed: the WSGI transport reads the body as it comes (the site compresses for browsers).
    case.call_and_validate(
        headers={"Accept-Encoding": "identity"}, excluded_checks=[negative_data_rejection, positive_data_acceptance]
    )


@pytest.fixture
def settings_override(settings):
    settings.API_RATE = "100000/minute"
