from typing import ClassVar

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin

from common.admin import (
    HTTPS_URL_FIELDS,
    EstimatedCountPaginator,
    ReadOnlyMixin,
    ReadOrderMixin,
    TranslationStatusMixin,
)
from common.ordering import ReadOrder

from . import mail, roles, services
from .exports import signups_csv
from .forms import ActionAdminForm, CityAdminForm, DuplicateToCitiesForm, SignupAdminForm
from .localtime import local_start_text, zoned_text
from .models import (
    AccessLog,
    Action,
    Campaign,
    City,
    LocalHost,
    Organization,
    OutgoingMail,
    Reminder,
    Signup,
    Suppression,
)


class HostedCitiesMixin(admin.ModelAdmin):
    """Local hosts reach only the rows of the cities they host (see roles.hosted_cities): lists,
    pages by URL, and the choices of city and action in forms. A row outside their cities is 403."""

    city_path: str  # the lookup from this model to its city

    def _hosted_cities(self, request):
        if not hasattr(request, "_hosted_cities"):
            request._hosted_cities = roles.hosted_cities(request.user)
        return request._hosted_cities

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        cities = self._hosted_cities(request)
        return queryset if cities is None else queryset.filter(**{f"{self.city_path}__in": cities})

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and self._hosted_cities(request) is not None:
            outside = super().get_queryset(request)
            try:
                exists = outside.filter(pk=object_id).exists()
            except (ValueError, ValidationError):
                exists = False
            if exists:
                raise PermissionDenied
        return obj

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        cities = self._hosted_cities(request)
        if cities is not None and db_field.name == "city":
            kwargs["queryset"] = cities
        elif cities is not None and db_field.name == "action":
            kwargs["queryset"] = Action.objects.filter(city__in=cities)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(City)
class CityAdmin(ReadOrderMixin, TranslationStatusMixin, TabbedTranslationAdmin):
    form = CityAdminForm
    list_display = ("name", "region", "country", "time_zone", "translation_status")
    list_filter = ("country",)
    search_fields = ("name_en", "name_es", "region_en", "region_es")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Organization)
class OrganizationAdmin(ReadOrderMixin, TranslationStatusMixin, TabbedTranslationAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ("name", "country", "website", "translation_status")
    list_filter = ("country",)
    search_fields = ("name_en", "name_es")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Campaign)
class CampaignAdmin(ReadOrderMixin, TranslationStatusMixin, TabbedTranslationAdmin):
    list_display = ("title", "start_date", "end_date", "translation_status")
    search_fields = ("title_en", "title_es")
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ("title_en",)}
    filter_horizontal = ("demands",)


class OnlineFilter(admin.SimpleListFilter):
    title = _("online or in person")
    parameter_name = "mode"

    def lookups(self, request, model_admin):
        return [("online", _("Online")), ("in_person", _("In person"))]

    def queryset(self, request, queryset):
        if self.value() == "online":
            return queryset.online()
        if self.value() == "in_person":
            return queryset.in_person()
        return queryset


@admin.register(Action)
class ActionAdmin(HostedCitiesMixin, ReadOrderMixin, TranslationStatusMixin, TabbedTranslationAdmin):
    city_path = "city"
    form = ActionAdminForm
    formfield_overrides = HTTPS_URL_FIELDS
    list_display: tuple[str, ...] = (
        "title",
        "campaign",
        "city",
        "country",
        "local_start",
        "kind",
        "status",
        "seats",
        "waitlist",
        "translation_status",
    )
    # Only the cities of the rows listed: a local host's list names no other city.
    list_filter: ClassVar[tuple] = (
        "status",
        "campaign",
        "city__country",
        "kind",
        OnlineFilter,
        "starts_at",
        ("city", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("city", "campaign")
    search_fields = ("title_en", "title_es", "city__name_en", "city__name_es")
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ("title_en",)}
    autocomplete_fields = ("city", "campaign")
    filter_horizontal = ("hosts", "demands")
    actions = ["duplicate_to_cities"]
    fieldsets = [
        (None, {"fields": ("title", "slug", "campaign", "kind", "status", "description")}),
        (_("When"), {"fields": ("starts_at", "ends_at", "time_to_be_announced")}),
        (_("Where"), {"fields": ("city", "venue", "address", "online_url")}),
        (_("Participation"), {"fields": ("capacity", "signup_deadline", "reminders_enabled", "hosts", "demands")}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_seat_counts()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        assert issubclass(form, ActionAdminForm)
        form.hosted_cities = self._hosted_cities(request)  # a class made for this request: not shared
        return form

    def save_model(self, request, obj, form, change):
        changes = services.action_save(action=obj)
        if changes:
            self.message_user(request, _("Its volunteers will be emailed about the change."), messages.INFO)

    @admin.display(description=_("confirmed / capacity"), ordering="confirmed_count")
    def seats(self, obj):
        seats = f"{obj.confirmed_count} / {obj.capacity}" if obj.capacity else f"{obj.confirmed_count} / ∞"
        signups = reverse("admin:actions_signup_changelist") + f"?action__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', signups, seats)

    @admin.display(description=_("waitlist"), ordering="waitlist_count")
    def waitlist(self, obj):
        return obj.waitlist_count

    @admin.display(description=_("country"), ordering="city__country")
    def country(self, obj):
        return obj.city.get_country_display() if obj.city else _("Online")

    @admin.display(description=_("starts (local time)"), ordering="starts_at")
    def local_start(self, obj):
        return local_start_text(obj)

    def _report_duplicates(self, request, *, created: int, skipped: list[str]) -> None:
        if created:
            message = ngettext("Created %(count)d draft action.", "Created %(count)d draft actions.", created)
            self.message_user(request, message % {"count": created}, messages.SUCCESS)
        if skipped:
            warning = _("Not copied into %(cities)s: there the copy would break a rule, such as the 2000–2099 dates.")
            self.message_user(request, warning % {"cities": "; ".join(skipped)}, messages.WARNING)
        if not created and not skipped:
            self.message_user(
                request, _("No drafts created: an action is not copied into its own city."), messages.WARNING
            )

    @admin.action(description=_("Duplicate to other cities (as drafts)"))
    def duplicate_to_cities(self, request, queryset):
        form = DuplicateToCitiesForm(request.POST if "apply" in request.POST else None)
        if (cities := self._hosted_cities(request)) is not None:
            choices = form.fields["cities"]
            assert isinstance(choices, forms.ModelMultipleChoiceField)
            choices.queryset = cities
        if form.is_valid():
            cities = list(form.cleaned_data["cities"])  # in the cities' order, as the form listed them
            results = [
                services.action_duplicate(action=action, cities=cities)
                for action in queryset.select_related("city", "campaign")
            ]
            skipped = {city for r in results for city in r.skipped}
            self._report_duplicates(
                request,
                created=sum(len(r.created) for r in results),
                skipped=[str(city) for city in cities if city in skipped],
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Duplicate to other cities"),
            "opts": self.model._meta,
            "actions_to_copy": queryset,
            "select_across": request.POST.get("select_across") == "1",
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/actions/action/duplicate_to_cities.html", context)


class CityWithActionsFilter(admin.RelatedFieldListFilter):
    """The cities that have actions (for a local host, theirs): found among 3,000 actions rather than
    across every signup, as RelatedOnlyFieldListFilter would."""

    def field_choices(self, field, request, model_admin):
        cities = model_admin._hosted_cities(request)
        cities = City.objects.filter(actions__isnull=False) if cities is None else cities
        return [(city.pk, str(city)) for city in cities.distinct().order_by(ReadOrder("name"), "pk")]


@admin.register(Signup)
class SignupAdmin(HostedCitiesMixin, admin.ModelAdmin):
    """Status changes, deletions and the action a signup belongs to go through services, which keep
    seats and the waitlist right: they are read-only here."""

    city_path = "action__city"
    form = SignupAdminForm

    list_display = ("name", "email", "action", "status", "language", "created_at", "attended_at")
    list_filter = ("status", "flag", "action__campaign", ("action__city", CityWithActionsFilter), "language")
    list_select_related = ("action",)
    # Trigram indexes serve these (migration 0007); an action is found with the filters.
    search_fields = ("name", "email")
    ordering = ("-created_at", "-pk")
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    autocomplete_fields = ("action",)
    readonly_fields = (
        "status",
        "flag",
        "created_at",
        "confirmed_at",
        "cancelled_at",
        "attended_at",
        "anonymized_at",
    )
    actions = ["mark_attended", "resend_email", "cancel_signups", "cancel_as_bots", "export_csv"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields + (("action", "email") if obj else ())

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:  # the page, or the form again after an error
            services.access_log_create(user=request.user, kind=AccessLog.Kind.VIEW, signup_id=int(object_id))
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if request.method == "GET" and changelist is not None and (shown := len(changelist.result_list)):
            services.access_log_create(user=request.user, kind=AccessLog.Kind.LIST, count=shown)
        return response

    def delete_model(self, request, obj):
        services.signup_delete(signup=obj)

    def delete_queryset(self, request, queryset):
        for signup in queryset:
            services.signup_delete(signup=signup)

    @admin.action(description=_("Mark as attended (check-in)"), permissions=["change"])
    def mark_attended(self, request, queryset):
        count = services.signups_mark_attended(signups=queryset)
        message = ngettext("Checked in %(count)d volunteer.", "Checked in %(count)d volunteers.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Resend the confirmation or manage-link email"), permissions=["change"])
    def resend_email(self, request, queryset):
        for signup in queryset:
            services.signup_resend(signup=signup)
        self.message_user(request, _("Emails queued."), messages.SUCCESS)

    @admin.action(description=_("Cancel (frees seats for the waitlist)"), permissions=["change"])
    def cancel_signups(self, request, queryset):
        for signup in queryset:
            services.signup_cancel(signup=signup, notify=True)
        self.message_user(request, _("Signups cancelled; the volunteers were emailed."), messages.SUCCESS)

    @admin.action(description=_("Cancel as bots, without email (frees seats for the waitlist)"), permissions=["change"])
    def cancel_as_bots(self, request, queryset):
        services.signups_cancel_quietly(signups=queryset)
        message = _("Signups cancelled, without emailing them; freed seats went to the waitlist.")
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=_("Export as CSV"), permissions=["export"])
    def export_csv(self, request, queryset):
        signups = queryset.select_related("action__city", "action__campaign").order_by("action", "created_at")
        services.access_log_create(user=request.user, kind=AccessLog.Kind.EXPORT, count=signups.count())
        rows = signups_csv(signups.iterator())
        response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="signups.csv"'
        return response

    def has_export_permission(self, request) -> bool:
        return request.user.has_perm("actions.export_signup")


def offset_text(minutes: int) -> str:
    """120 -> "2 hours", 90 -> "90 minutes"."""
    hours, rest = divmod(minutes, 60)
    if rest:
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}


class OffsetFilter(admin.SimpleListFilter):
    title = _("before the start")
    parameter_name = "before"

    def lookups(self, request, model_admin):
        offsets = Reminder.objects.order_by("-minutes_before").values_list("minutes_before", flat=True).distinct()
        return [(minutes, offset_text(minutes)) for minutes in offsets]

    def queryset(self, request, queryset):
        return queryset.filter(minutes_before=self.value()) if self.value() else queryset


@admin.register(OutgoingMail)
class OutgoingMailAdmin(HostedCitiesMixin, admin.ModelAdmin):
    """Every email the site sent or will send, written by the services, the dispatch and the workers:
    read-only here, but failed (or undeliverable) mail can be sent again. No address or text is
    stored: the signup names the volunteer."""

    city_path = "signup__action__city"
    # What an organizer scans for, within 1280 px in both languages: what, to whom, how it went.
    list_display = ("kind", "signup", "delivery", "when")
    list_display_links = ("kind",)
    list_filter = ("kind", "status", OffsetFilter, "signup__action__campaign")
    list_select_related = ("signup__action__city", "signup__action__campaign")
    search_fields = ("signup__action__title_en", "signup__action__title_es")
    # A reminder's offset and start are shown together, the start in the action's zone.
    exclude = ("context", "recipient", "minutes_before", "action_starts_at")
    readonly_fields = ("reminder",)
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)  # the list and its actions, no edits

    def has_delete_permission(self, request, obj=None):
        # A reminder deleted on its own would be sent again by the next dispatch: mail goes only with
        # its signup or action, whose delete pages ask this too.
        own_page = request.resolver_match is not None and request.resolver_match.url_name.startswith(
            "actions_outgoingmail_"
        )
        return not own_page and super().has_delete_permission(request, obj)

    @admin.display(description=_("status"), ordering="status")
    def delivery(self, obj):
        """The status, attempts and the start of the last error: the whole error is on the row's page."""
        error = obj.error if len(obj.error) <= 80 else obj.error[:79] + "…"
        parts = [obj.get_status_display()]
        if obj.attempts > 1:
            parts.append(ngettext("%(count)d attempt", "%(count)d attempts", obj.attempts) % {"count": obj.attempts})
        return format_html("{}<br><small>{}</small>", " · ".join(parts), error) if error else " · ".join(parts)

    @admin.display(description=_("when"), ordering="created_at")
    def when(self, obj):
        """Sent at, or for queued mail its next attempt."""
        moment = obj.sent_at or (obj.next_attempt_at if obj.status == OutgoingMail.Status.QUEUED else None)
        if moment is None:
            return "-"
        local = timezone.localtime(moment)
        return f"{date_format(local, 'SHORT_DATETIME_FORMAT')} {local.tzname()}"

    @admin.display(description=_("reminder"), ordering="minutes_before")
    def reminder(self, obj):
        """How long before which start: an action that moved has reminders for each start."""
        if obj.kind != OutgoingMail.Kind.REMINDER:
            return "-"
        start = zoned_text(obj.action_starts_at.astimezone(obj.signup.action.zone)) if obj.signup_id else "-"
        return f"{offset_text(obj.minutes_before)}, {start}"

    @admin.action(description=_("Send again (failed or undeliverable)"), permissions=["change"])
    def retry(self, request, queryset):
        unsent = queryset.filter(status__in=[OutgoingMail.Status.FAILED, OutgoingMail.Status.UNDELIVERABLE]).count()
        count = mail.mail_retry(mail=queryset)
        message = ngettext(
            "%(count)d email queued again; it goes out within a minute.",
            "%(count)d emails queued again; they go out within a minute.",
            count,
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS if count else messages.WARNING)
        if unsent > count:
            self.message_user(
                request,
                _(
                    "Emails no longer wanted (a reminder whose action started, moved or was cancelled, or "
                    "whose signup was cancelled; mail for an action that is over; a signup whose data was "
                    "erased) and mail to an address still undeliverable are not sent again."
                ),
                messages.WARNING,
            )


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    """Addresses the email provider reported as bouncing or complaining; no mail goes to them. Deleting
    one (the volunteer fixed their mailbox) lets mail go to it again."""

    list_display = ("__str__", "reason", "reported")
    list_filter = ("reason", "provider")
    search_fields = ("address",)
    fields = ("address", "reason", "provider", "detail", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    @admin.display(description=_("reported"), ordering="created_at")
    def reported(self, obj):
        return f"{date_format(timezone.localtime(obj.created_at), 'SHORT_DATE_FORMAT')} ({obj.provider or '-'})"

    def get_search_results(self, request, queryset, search_term):
        # An erased address is still found by its hash.
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        if "@" in search_term:
            queryset |= self.model.objects.filter(address_hash=Suppression.hash_address(search_term))
        return queryset, duplicates


@admin.register(LocalHost)
class LocalHostAdmin(admin.ModelAdmin):
    """Which cities each local host hosts. Saving puts the user in the "local host" group and lets
    them log in to the admin."""

    list_display = ("user", "hosted_cities")
    filter_horizontal = ("cities",)
    autocomplete_fields = ("user",)

    @admin.display(description=_("cities"))
    def hosted_cities(self, obj):
        return ", ".join(str(city) for city in obj.cities.all())

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user").prefetch_related("cities")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        roles.make_local_host(obj.user)


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyMixin):
    """Written by the signup pages and exports; nobody edits or deletes it here."""

    list_display = ("at", "username", "kind", "signup", "signup_count")
    list_filter = ("kind", "username")
    date_hierarchy = "at"

    def has_delete_permission(self, request, obj=None):
        return False
