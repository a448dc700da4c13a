"""common/admin.py: the admin's missing-translation column and filter, and its translated columns' order."""

import pytest
from django.utils import translation

from actions.models import City
from tests.admin_forms import admin_url
from tests.factories import (
    ENGLISH_ORDER,
    NAMES_TO_SORT,
    SPANISH_ORDER,
    CampaignFactory,
    CityFactory,
    DemandFactory,
    OrganizationFactory,
    OutcomeFactory,
    cities_to_sort,
)

pytestmark = pytest.mark.django_db


def test_missing_translation_column_and_filter(admin_client):
    complete = CityFactory(name_en="Puebla", name_es="Puebla", region_en="", region_es="")
    missing = CityFactory(name_en="New York", name_es="", region_en="New York", region_es="")
    html = admin_client.get(admin_url(City, "changelist") + "?missing=es").content.decode()
    assert "New York" in html and complete.slug not in html
    assert "Missing Spanish" in html
    assert missing.slug not in admin_client.get(admin_url(City, "changelist") + "?missing=en").content.decode()


def shown(response, column, lang):
    """The `column` of the changelist's rows as the admin shows them in `lang`, top to bottom."""
    with translation.override(lang):
        return [getattr(row, column) for row in response.context["cl"].result_list]


@pytest.mark.parametrize(
    ("factory", "column"),
    [
        (CityFactory, "name"),
        (OrganizationFactory, "name"),
        (CampaignFactory, "title"),
        (DemandFactory, "title"),
        (OutcomeFactory, "title"),
        (OutcomeFactory, "institution"),
    ],
)
@pytest.mark.parametrize(("lang", "expected"), [("es", SPANISH_ORDER), ("en", ENGLISH_ORDER)])
def test_a_translated_column_sorts_by_the_text_shown_in_the_admins_language(
    admin_client, factory, column, lang, expected
):
    for en, es in NAMES_TO_SORT:
        factory(**{f"{column}_en": en, f"{column}_es": es})
    url = admin_url(factory._meta.model, "changelist")
    index = admin_client.get(url).context["cl"].list_display.index(column)
    headers = {"accept-language": lang}
    assert shown(admin_client.get(f"{url}?o={index}", headers=headers), column, lang) == expected
    assert shown(admin_client.get(f"{url}?o=-{index}", headers=headers), column, lang) == expected[::-1]


def test_the_city_list_is_sorted_by_the_name_shown_and_says_so(admin_client):
    cities_to_sort()
    response = admin_client.get(admin_url(City, "changelist"), headers={"accept-language": "es"})
    assert shown(response, "name", "es") == SPANISH_ORDER
    changelist = response.context["cl"]
    columns = changelist.get_ordering_field_columns()
    assert columns == {changelist.list_display.index("country"): "asc", changelist.list_display.index("name"): "asc"}
