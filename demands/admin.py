from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from movement.admin import HTTPS_URL_FIELDS, TranslationStatusMixin

from .models import Demand, DemandStatusChange, Outcome


class DemandForm(forms.ModelForm):
    """The demand, plus the history entry that any change of its status must come with. (The
    admin gives it its model and fields.)"""

    status_date = forms.DateField(label=_("Date of the change"), required=False, initial=timezone.localdate)
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
        """A new history entry is due: a new demand, a new status, or a note for the current one."""
        return self.instance._state.adding or "status" in self.changed_data or bool(self.data.get("status_note_en"))

    def clean(self):
        cleaned = super().clean()
        if self.records_status() and not cleaned.get("status_note_en"):
            message = _("Say in a few words why the status changed; it is shown in the history.")
            self.add_error("status_note_en", message)
        return cleaned


class StatusChangeInline(TranslationTabularInline):
    """Past steps, to correct a date, a note or an outcome; new steps come from the status field."""

    model = DemandStatusChange
    fields = ("date", "status", "outcome", "note")
    readonly_fields = ("status",)
    autocomplete_fields = ("outcome",)
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Demand)
class DemandAdmin(TranslationStatusMixin, TabbedTranslationAdmin):
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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.records_status():
            data = form.cleaned_data
            obj.change_status(
                obj.status,
                note={"en": data["status_note_en"], "es": data["status_note_es"]},
                date=data["status_date"],
                outcome=data["status_outcome"],
            )


@admin.register(Outcome)
class OutcomeAdmin(TranslationStatusMixin, TabbedTranslationAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ("title", "date", "kind", "institution", "country", "campaign", "translation_status")
    list_filter = ("kind", "country", "campaign", "source_language", "date")
    list_select_related = ("campaign",)
    search_fields = ("title_en", "title_es", "institution_en", "institution_es")
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ("title_en",)}
    autocomplete_fields = ("campaign", "actions", "demands")
