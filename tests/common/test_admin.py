"""common/admin.py: the admin's missing-translation column and filter."""

import pytest

from actions.models import City
from tests.admin_forms import admin_url
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db


def test_missing_translation_column_and_filter(admin_client):
    complete = CityFactory(name_en="Puebla", name_es="Puebla", region_en="", region_es="")
    missing = CityFactory(name_en="New York", name_es="", region_en="New York", region_es="")
    html = admin_client.get(admin_url(City, "changelist") + "?missing=es").content.decode()
    assert "New York" in html and complete.slug not in html
    assert "Missing Spanish" in html
    assert missing.slug not in admin_client.get(admin_url(City, "changelist") + "?missing=en").content.decode()
