from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from common.admin import HTTPS_URL_FIELDS, ReadOrderMixin, TranslationStatusMixin

from . import services
from .models import Demand, DemandStatusChange, Outcome, not_in_the_future


class DemandForm(forms.ModelForm):
    """The demand, plus the history entry that any change of its status must come with. (The
    admin gives it its model and fields.)"""

    status_date = forms.DateField(
        label=_("Date of the change"), required=False, initial=timezone.localdate, validators=[not_in_the_future]
    )
    status_note_en = forms.CharField(
        label=_("Why (English)"),
        max_length=300,
        required=False,
        help_text=_("Required when the status changes: a short note for the public history."),
    )
    status_note_es = forms.CharField(label=_("Why (Spanish)"), max_length=300, required=False)
    status_outcome = forms.ModelChoiceField(
        label=_("Outcome that justifies it"), queryset=Outcome.objects.timeline(), required=False
    )

    def records_status(self) -> bool:
        """A new history entry is due: a new demand, a new status, or a note or an outcome given
        for the current one (which then needs its English note too)."""
        given = any(self.data.get(name) for name in ("status_note_en", "status_note_es", "status_outcome"))
        return self.instance._state.adding or "status" in self.changed_data or given

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data  # what ModelForm.clean() returns; typed as a dict
        if self.records_status() and not cleaned.get("status_note_en"):
            message = _("Say in a few words why the status changed; it is shown in the history.")
            self.add_error("status_note_en", message)
        return cleaned


class StatusChangeInline(TranslationTabularInline):
    """Past steps, to correct a date, a note or an outcome, or to delete a step recorded by mistake
    (the demand then takes the status of its latest remaining step); new steps come from the status
    field."""

    model = DemandStatusChange
    fields = ("date", "status", "outcome", "note")
    readonly_fields = ("status",)
    autocomplete_fields = ("outcome",)
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Demand)
class DemandAdmin(ReadOrderMixin, TranslationStatusMixin, TabbedTranslationAdmin):
    form = DemandForm
    list_display = ("title", "target", "status", "ordering", "translation_status")
    list_editable = ("ordering",)
    list_filter = ("status", "target")
    search_fields = ("title_en", "title_es")
    prepopulated_fields = {"slug": ("title_en",)}
    inlines = [StatusChangeInline]
    fieldsets = [
        (None, {"fields": ("title", "description", "target", "ordering", "slug")}),
        (
            _("Status"),
            {"fields": ("status", "status_date", "status_note_en", "status_note_es", "status_outcome")},
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            # Read-only: the demand and its status, without the fields that record a change of it.
            return [(None, {"fields": (*self.fieldsets[0][1]["fields"], "status")})]
        return super().get_fieldsets(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The changelist's own form (list_editable ordering) changes no status.
        if isinstance(form, DemandForm) and form.records_status():
            data = form.cleaned_data
            services.demand_status_change(
                demand=obj,
                status=obj.status,
                note={"en": data["status_note_en"], "es": data["status_note_es"]},
                date=data["status_date"],
                outcome=data["status_outcome"],
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.take_status_from_history()


@admin.register(Outcome)
class OutcomeAdmin(ReadOrderMixin, TranslationStatusMixin, TabbedTranslationAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ("title", "date", "kind", "institution", "country", "campaign", "translation_status")
    list_filter = ("kind", "country", "campaign", "source_language", "date")
    list_select_related = ("campaign",)
    search_fields = ("title_en", "title_es", "institution_en", "institution_es")
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ("title_en",)}
    autocomplete_fields = ("campaign", "actions", "demands")
