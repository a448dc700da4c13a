from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from movement.admin import HTTPS_URL_FIELDS, TranslationStatusMixin

from .models import Demand, Outcome


@admin.register(Demand)
class DemandAdmin(TranslationStatusMixin, TabbedTranslationAdmin):
    list_display = ("title", "target", "status", "ordering", "translation_status")
    list_editable = ("ordering",)
    list_filter = ("status", "target")
    search_fields = ("title_en", "title_es")
    prepopulated_fields = {"slug": ("title_en",)}


@admin.register(Outcome)
class OutcomeAdmin(TranslationStatusMixin, TabbedTranslationAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ("title", "date", "kind", "institution", "campaign", "translation_status")
    list_filter = ("kind", "campaign", "source_language", "date")
    list_select_related = ("campaign",)
    search_fields = ("title_en", "title_es", "institution_en", "institution_es")
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ("title_en",)}
    autocomplete_fields = ("campaign", "actions", "demands")
