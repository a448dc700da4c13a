"""common/ordering.py: ReadOrder sorts translated names as the visitor reads them, in the language active
when the query runs, with the other language where one is missing, collated for that language."""

import pytest
from django.db.models.sql import InsertQuery
from django.db.utils import ConnectionHandler
from django.utils import translation

from actions.models import Action, City, Organization
from common.ordering import ReadOrder
from tests.factories import (
    ENGLISH_ORDER,
    NAMES_TO_SORT,
    SPANISH_ORDER,
    ActionFactory,
    OrganizationFactory,
    cities_to_sort,
    city_named,
)

pytestmark = pytest.mark.django_db


def names(rows):
    return [str(row) for row in rows]


@pytest.mark.parametrize(("lang", "expected"), [("es", SPANISH_ORDER), ("en", ENGLISH_ORDER)])
def test_cities_sort_by_the_name_shown_in_each_language(lang, expected):
    cities_to_sort()
    with translation.override(lang):
        assert names(City.objects.all()) == expected
        assert names(City.objects.order_by(ReadOrder("name").desc())) == expected[::-1]


def test_a_queryset_made_in_one_language_sorts_in_the_language_it_runs_in():
    cities_to_sort()
    with translation.override("en"):
        cities = City.objects.all()  # as a form field's queryset, made at import time
        ordered = City.objects.order_by(ReadOrder("name"))
    with translation.override("es"):
        assert names(cities) == names(ordered) == SPANISH_ORDER


def test_each_language_has_its_own_collation():
    # In Spanish Ñ is a letter of its own, after N; in English it is an N.
    city_named("Ñiquén", "Ñiquén")
    city_named("Nogales", "Nogales")
    with translation.override("es"):
        assert names(City.objects.all()) == ["Nogales", "Ñiquén"]
    with translation.override("en"):
        assert names(City.objects.all()) == ["Ñiquén", "Nogales"]


def test_organizations_sort_by_the_name_shown():
    for en, es in NAMES_TO_SORT:
        OrganizationFactory(name_en=en, name_es=es)
    with translation.override("es"):
        assert names(Organization.objects.all()) == SPANISH_ORDER
    with translation.override("en"):
        assert names(Organization.objects.all()) == ENGLISH_ORDER


def test_ordering_by_a_relation_follows_the_cities_read_order():
    for city in cities_to_sort():
        ActionFactory(city=city)
    with translation.override("es"):
        assert [str(a.city) for a in Action.objects.order_by("city")] == SPANISH_ORDER
        assert [str(a.city) for a in Action.objects.order_by(ReadOrder("city__name"))] == SPANISH_ORDER


def test_sqlite_sorts_the_same_names_without_a_collation():
    # `make run` uses SQLite, which knows no ICU collation: the same ordering runs there, in byte order.
    sqlite = ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}})["default"]
    try:
        with sqlite.schema_editor() as editor:
            editor.create_model(City)
        insert = InsertQuery(City)
        insert.insert_values(
            [field for field in City._meta.concrete_fields if not field.primary_key],
            [City(name_en=en, name_es=es, slug=f"city-{n}", country="MX") for n, (en, es) in enumerate(NAMES_TO_SORT)],
        )
        with translation.override("es"):
            # rewrite(False): modeltranslation's values_list() selects its columns in no fixed order.
            query = City.objects.rewrite(False).order_by(ReadOrder("name")).values_list("name_en", "name_es").query
            statement, params = query.get_compiler(connection=sqlite).as_sql()
        with sqlite.cursor() as cursor:
            for insert_statement, insert_params in insert.get_compiler(connection=sqlite).as_sql():
                cursor.execute(insert_statement, insert_params)
            cursor.execute(statement, params)
            rows = cursor.fetchall()
    finally:
        sqlite.close()
    assert rows == sorted(NAMES_TO_SORT, key=lambda names: names[1] or names[0])


def test_it_is_deconstructible_for_migrations():
    assert ReadOrder("name").deconstruct() == ("common.ordering.ReadOrder", ("name",), {})
    assert ReadOrder("name") == ReadOrder("name") != ReadOrder("title")
