import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    cache.clear()  # the rate limit counts in the cache
    yield
    cache.clear()
