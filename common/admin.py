"""Admin pieces shared by the translated models of every app."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.core.paginator import Paginator
from django.db import connection, models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .ordering import ReadOrder
from .translations import missing_language_q, missing_languages, translated_fields

# Organizers paste links without a scheme; https is the safe guess (and Django 6's default).
HTTPS_URL_FIELDS: Mapping[type[models.Field], Mapping[str, Any]] = {models.URLField: {"assume_scheme": "https"}}

LANGUAGE_NAMES = {"en": _("English"), "es": _("Spanish")}


class MissingTranslationFilter(admin.SimpleListFilter):
    title = _("translation")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [
            (code, _("Missing %(language)s") % {"language": LANGUAGE_NAMES[code]}) for code, _n in settings.LANGUAGES
        ]

    def queryset(self, request, queryset):
        code = self.value()
        if code not in LANGUAGE_NAMES:
            return queryset
        others = [c for c, _n in settings.LANGUAGES if c != code]
        return queryset.filter(missing_language_q(queryset.model, code, others[0]))


class TranslationStatusMixin(admin.ModelAdmin):
    """A "translation" column and filter: which records still miss their Spanish or English text."""

    def get_list_filter(self, request):
        return (*super().get_list_filter(request), MissingTranslationFilter)

    @admin.display(description=_("translation"))
    def translation_status(self, obj):
        missing = missing_languages(obj, [code for code, _n in settings.LANGUAGES])
        if not missing:
            return _("Complete")
        return _("Missing %(language)s") % {"language": ", ".join(str(LANGUAGE_NAMES[c]) for c in missing)}


class ReadOrderChangeList(ChangeList):
    """A changelist whose columns of translated fields sort by what the organizer reads (ReadOrder)."""

    def get_ordering_field(self, field_name):
        if isinstance(field_name, str) and field_name in translated_fields(self.model):
            return ReadOrder(field_name)
        return super().get_ordering_field(field_name)

    def get_ordering_field_columns(self):
        columns = super().get_ordering_field_columns()
        if ORDER_VAR not in self.params:
            # Django marks the columns of a default ordering by name or F() only; ReadOrder's are added
            # after those (in our models it comes last in Meta.ordering anyway).
            for item in self.model_admin.ordering or self.lookup_opts.ordering or ():
                order = item.asc() if isinstance(item, ReadOrder) else item
                if isinstance(order, models.OrderBy) and isinstance(order.expression, ReadOrder):
                    for index, name in enumerate(self.list_display):
                        if self.get_ordering_field(name) == order.expression:
                            columns.setdefault(index, "desc" if order.descending else "asc")
                            break
        return columns


class ReadOnlyMixin(admin.ModelAdmin):
    """Rows that only the app writes (a log, what hosts reported): listed and opened here, never
    added or edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOrderMixin(admin.ModelAdmin):
    """Clicking the column of a translated field (title, name) sorts by the text shown, in the
    admin's language with the fallback, collated for that language."""

    def get_changelist(self, request, **kwargs):
        return ReadOrderChangeList


class EstimatedCountPaginator(Paginator):
    """An admin changelist's paginator that, for a whole large table, takes PostgreSQL's estimate of
    its rows (updated by autovacuum) instead of counting them on every page view. A filtered list,
    a table under ESTIMATE_FROM rows, or another database gets the exact count."""

    ESTIMATE_FROM = 100_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        # The admin pages a queryset; anything else (a list) is counted.
        if connection.vendor == "postgresql" and isinstance(queryset, models.QuerySet) and not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [queryset.model._meta.db_table]
                )
                row = cursor.fetchone()
            if row and row[0] >= self.ESTIMATE_FROM:
                return row[0]
        return super().count
