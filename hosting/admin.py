"""Hosting from below in the admin: coordinators (and local hosts, for their cities) review proposals
beside the host's own text and decide; see who hosts an action and manage their links; write to an
action's volunteers; read hosts' changes and reports. Every write goes through hosting.services.

Local hosts reach only their cities' rows (actions.admin.HostedCitiesMixin): an online proposal,
which has no city, is for coordinators only."""

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from actions.admin import ActionAdmin, HostedCitiesMixin
from actions.localtime import zoned_text
from actions.models import Action
from common.admin import LANGUAGE_NAMES, ReadOnlyMixin

from . import services
from .forms.review import APPROVALS, Decision, HostMessageAdminForm, ProposalReviewForm
from .models import ActionReport, Host, HostChange, HostMessage, Proposal

SUBMITTED = Proposal.Status.SUBMITTED


class ReviewStatusFilter(admin.SimpleListFilter):
    """The proposals awaiting review unless another status is chosen: the list is the review queue.
    "All" includes those whose host has not yet confirmed their email."""

    title = _("status")
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*Proposal.Status.choices, (self.ALL, _("All"))]

    def value(self):
        return self.chosen(super().value())

    @classmethod
    def chosen(cls, value) -> str:
        """The status listed for the query string's `value`: awaiting review if none or unknown."""
        return value if value in (*Proposal.Status.values, cls.ALL) else SUBMITTED

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        return queryset if self.value() == self.ALL else queryset.filter(status=self.value())


def local_text(moment, zone) -> str:
    return zoned_text(moment.astimezone(zone))


@admin.register(Proposal)
class ProposalAdmin(HostedCitiesMixin, admin.ModelAdmin):
    """The review queue. A proposal awaiting review opens as a form: the host's text, read-only,
    beside what will be published (both languages editable), the host's details, and the decision.
    A decided proposal (or one whose host has not confirmed) opens read-only, with the decision."""

    city_path = "city"
    form = ProposalReviewForm
    list_display = ("title_shown", "campaign", "place", "local_start", "host_first_name", "proposed", "status")
    list_filter = (ReviewStatusFilter, "campaign", "kind")
    list_select_related = ("city", "campaign")
    search_fields = ("title_en", "title_es")
    # The soonest action first: its host needs the answer first.
    ordering = ("starts_at", "pk")
    autocomplete_fields = ("city",)
    readonly_fields = (
        "campaign",
        "host_name",
        "email",
        "phone",
        "organization",
        "language",
        "created_at",
        "confirmed_at",
        "local_starts",
        "local_ends",
        "status",
        "reviewed_by",
        "reviewed_at",
        "review_message",
        "published_action",
    )

    TEXTS = (
        _("To publish"),
        {
            "fields": ("title_en", "title_es", "description_en", "description_es"),
            "description": _("Edit, translate and correct here: this is what volunteers will read."),
        },
    )
    HOST = (
        _("Who proposes it"),
        {"fields": ("campaign", "host_name", "email", "phone", "organization", "language", "created_at")},
    )
    DETAILS = ("kind", "city", "venue", "address", "capacity")

    class Media:
        css = {"all": ["hosting/admin/review.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("city", "campaign")

    def awaiting_review(self, request: HttpRequest):
        """The proposals `request.user` may review now: the admin index counts them."""
        return self.get_queryset(request).filter(status=SUBMITTED)

    def _may_review(self, request, obj=None) -> bool:
        """The role's permission, whatever the proposal's status."""
        return super().has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        # A decision is final: decided proposals (and unconfirmed ones) are read-only.
        return self._may_review(request, obj) and (obj is None or obj.status == SUBMITTED)

    def has_add_permission(self, request):
        return False  # proposals come from the public form

    def get_fieldsets(self, request, obj=None):
        where: tuple[tuple[Any, dict[str, Any]], ...]
        decision: tuple[Any, dict[str, Any]]
        if obj is not None and self.has_change_permission(request, obj):
            where = ((_("What, where and when"), {"fields": (*self.DETAILS, "starts_at", "ends_at")}),)
            decision = (_("Decision"), {"fields": ("decision", "message")})
        else:
            where = ((_("What, where and when"), {"fields": (*self.DETAILS, "local_starts", "local_ends")}),)
            decision = (
                _("Decision"),
                {
                    "fields": (
                        "status",
                        "confirmed_at",
                        "reviewed_by",
                        "reviewed_at",
                        "review_message",
                        "published_action",
                    )
                },
            )
        return [self.TEXTS, *where, self.HOST, decision]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        assert issubclass(form, ProposalReviewForm)
        form.hosted_cities = self._hosted_cities(request)  # a class made for this request: not shared
        return form

    def changelist_view(self, request, extra_context=None):
        status = ReviewStatusFilter.chosen(request.GET.get(ReviewStatusFilter.parameter_name))
        title = _("Proposals awaiting review") if status == SUBMITTED else capfirst(self.opts.verbose_name_plural)
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["as_written"] = as_written(obj)
            context["zone_name"] = obj.zone.key
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id is not None:
            obj = self.get_object(request, unquote(object_id))  # another city's: 403
            if obj is not None and obj.status != SUBMITTED and self._may_review(request, obj):
                return self._not_under_review(request, obj)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.NotUnderReview:
            # Decided by someone else between the page's check and the save: the save was rolled back.
            obj = self.get_object(request, unquote(object_id)) if object_id else None
            if obj is None:
                raise Http404 from None
            return self._not_under_review(request, obj)
        except PermissionDenied:
            # The role may review it (another city's was refused above): so Django's own check found
            # it read-only, decided just before.
            obj = self.get_object(request, unquote(object_id)) if object_id else None
            if obj is None or not self._may_review(request, obj):
                raise
            return self._not_under_review(request, obj)

    def _not_under_review(self, request, obj: Proposal) -> HttpResponse:
        self.message_user(
            request,
            _("This proposal is no longer awaiting review (now: %(status)s): nothing was saved or sent.")
            % {"status": obj.get_status_display()},
            messages.ERROR,
        )
        if typed := request.POST.get("message", "").strip()[:2000]:
            # What the reviewer wrote is not lost with the refused decision.
            self.message_user(request, _("Your message, not sent: «%(message)s»") % {"message": typed}, messages.INFO)
        return HttpResponseRedirect(request.path)

    def save_model(self, request, obj, form, change):
        decision = form.cleaned_data.get("decision")
        message = (form.cleaned_data.get("message") or "").strip()
        if decision in APPROVALS:
            request._review = (
                decision,
                services.proposal_approve(
                    proposal=obj, user=request.user, message=message, draft=decision == Decision.DRAFT
                ),
            )
        elif decision == Decision.CHANGES:
            request._review = (
                decision,
                services.proposal_request_changes(proposal=obj, user=request.user, message=message),
            )
        elif decision == Decision.DECLINE:
            request._review = decision, services.proposal_decline(proposal=obj, user=request.user, message=message)
        else:
            edited = [name for name in form.changed_data if name in form._meta.fields]
            # Only while it awaits review: a stale page must not undo a decision made meanwhile.
            if edited and not Proposal.objects.filter(pk=obj.pk, status=SUBMITTED).update(
                **{name: getattr(obj, name) for name in edited}
            ):
                raise services.NotUnderReview

    def response_change(self, request, obj):
        review = getattr(request, "_review", None)
        if review is None:
            return super().response_change(request, obj)
        decision, result = review
        text: str
        if decision in APPROVALS:
            action_url = reverse("admin:actions_action_change", args=[result.pk])
            done = (
                gettext("“%(title)s” is published; its host was emailed their host link.")
                if decision == Decision.APPROVE
                else gettext(
                    "“%(title)s” was created as a draft; its host was emailed their host link. Publish it from "
                    "its page."
                )
            )
            text = format_html(
                '{} <a href="{}">{}</a>', done % {"title": result.title}, action_url, gettext("Open the action")
            )
        elif decision == Decision.CHANGES:
            text = gettext("The host was asked for changes, with a link to edit the proposal.")
        else:
            text = gettext("The proposal was declined; the host was told why.")
        self.message_user(request, text, messages.SUCCESS)
        queue = reverse("admin:hosting_proposal_changelist")
        filters = self.get_preserved_filters(request)
        return HttpResponseRedirect(add_preserved_filters({"preserved_filters": filters, "opts": self.opts}, queue))

    @admin.display(description=_("title"), ordering="title_en")
    def title_shown(self, obj):
        return obj.title

    @admin.display(description=_("city"), ordering="city")
    def place(self, obj):
        return obj.city or _("Online")

    @admin.display(description=_("starts (local time)"), ordering="starts_at")
    def local_start(self, obj):
        return local_text(obj.starts_at, obj.zone)

    @admin.display(description=_("starts at"))
    def local_starts(self, obj):
        return local_text(obj.starts_at, obj.zone)

    @admin.display(description=_("ends at"))
    def local_ends(self, obj):
        return local_text(obj.ends_at, obj.zone)

    @admin.display(description=_("host"))
    def host_first_name(self, obj):
        return obj.host_name.split()[0] if obj.host_name.strip() else "-"

    @admin.display(description=_("proposed"), ordering="created_at")
    def proposed(self, obj):
        return date_format(timezone.localtime(obj.created_at), "SHORT_DATE_FORMAT")

    @admin.display(description=_("published as"))
    def published_action(self, obj):
        if obj.action is None:
            return "-"
        url = reverse("admin:actions_action_change", args=[obj.action_id])
        return format_html('<a href="{}">{}</a> ({})', url, obj.action, obj.action.get_status_display())


def as_written(proposal: Proposal) -> list[dict]:
    """The host's texts as they submitted them, their own language first: [{"code", "language",
    "title", "description"}] for each language they wrote in."""
    written = proposal.submitted or {}
    codes = sorted((code for code, _name in settings.LANGUAGES), key=lambda code: code != proposal.language)
    texts = []
    for code in codes:
        title, description = written.get(f"title_{code}", ""), written.get(f"description_{code}", "")
        if title or description:
            texts.append({"code": code, "language": LANGUAGE_NAMES[code], "title": title, "description": description})
    return texts


def link_status(host: Host) -> str:
    """Whether the host's link opens the host page: "Active", "Revoked on 6/30/2027", "Erased"."""
    if host.anonymized_at is not None:
        return gettext("Erased")
    if host.revoked_at is not None:
        return gettext("Revoked on %(date)s") % {
            "date": date_format(timezone.localtime(host.revoked_at), "SHORT_DATE_FORMAT")
        }
    return gettext("Active")


def may_manage_links(request) -> bool:
    """Coordinators (who may change hosts) send hosts new links and revoke them."""
    return request.user.has_perm("hosting.change_host")


class HostInline(admin.TabularInline):
    """The action page's hosts: who they are, and whether their link opens the host page."""

    model = Host
    fk_name = "action"
    extra = 0
    can_delete = False
    fields = ("name", "email", "language", "status_of_link")
    readonly_fields = ("name", "email", "language", "status_of_link", "link_tools")
    verbose_name_plural = _("hosts (each with their own link to the host page)")

    def get_fields(self, request, obj=None):
        return (*self.fields, "link_tools") if may_manage_links(request) else self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("link"))
    def status_of_link(self, obj):
        return link_status(obj)

    @admin.display(description=_("manage"))
    def link_tools(self, obj):
        if obj.anonymized_at is not None:
            return "-"
        new = reverse("admin:hosting_host_new_link", args=[obj.pk])
        if obj.revoked_at is not None:
            return format_html('<a href="{}">{}</a>', new, _("Send a new link"))
        revoke = reverse("admin:hosting_host_revoke", args=[obj.pk])
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>', new, _("Send a new link"), revoke, _("Revoke the link")
        )


@admin.register(Host)
class HostAdmin(HostedCitiesMixin, admin.ModelAdmin):
    """Who hosts which action. Hosts come from approved proposals and hosts' invitations, so nobody
    adds or edits them here; coordinators send them a new link (the old one stops working) or revoke
    theirs."""

    city_path = "action__city"
    list_display = ("first_name", "action", "language", "status_of_link", "created_at")
    list_filter = ("language", "action__campaign")
    list_select_related = ("action",)
    search_fields = ("name", "action__title_en", "action__title_es")
    fields = (
        "action",
        "name",
        "email",
        "phone",
        "language",
        "status_of_link",
        "proposal",
        "invited_by",
        "created_at",
        "revoked_at",
    )
    readonly_fields = fields
    actions = ["send_new_links", "revoke_links"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)  # the list's actions, no edits

    @admin.display(description=_("first name"), ordering="name")
    def first_name(self, obj):
        return obj.first_name or "-"

    @admin.display(description=_("link"))
    def status_of_link(self, obj):
        return link_status(obj)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/new-link/", view(self.new_link_view), name="hosting_host_new_link"),
            path("<path:object_id>/revoke/", view(self.revoke_view), name="hosting_host_revoke"),
            *super().get_urls(),
        ]

    def new_link_view(self, request, object_id):
        return self._link_view(request, object_id, revoke=False)

    def revoke_view(self, request, object_id):
        return self._link_view(request, object_id, revoke=True)

    def _link_view(self, request, object_id: str, *, revoke: bool) -> HttpResponse:
        """A page asking to confirm (GET), then the new link or the revocation (POST), and back to the
        action's page."""
        host = self.get_object(request, unquote(object_id))  # another city's: 403
        if host is None:
            raise Http404
        if not may_manage_links(request):
            raise PermissionDenied
        back = reverse("admin:actions_action_change", args=[host.action_id])
        if host.anonymized_at is not None:
            self.message_user(request, _("This host’s personal data was erased: there is nobody to send a link to."))
            return HttpResponseRedirect(back)
        if request.method == "POST":
            if revoke:
                services.host_revoke(host=host)
                done = _("%(name)s’s link no longer opens the host page.")
            else:
                services.host_link_new(host=host)
                done = _("%(name)s was emailed a new link; the old one no longer works.")
            self.message_user(request, done % {"name": host.first_name}, messages.SUCCESS)
            return HttpResponseRedirect(back)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Revoke the link?") if revoke else _("Send a new link?"),
            "opts": self.opts,
            "host": host,
            "revoke": revoke,
            "back": back,
        }
        return TemplateResponse(request, "admin/hosting/host/link_confirm.html", context)

    @admin.action(description=_("Send a new link (the old one stops working)"), permissions=["change"])
    def send_new_links(self, request, queryset):
        hosts = list(queryset.filter(anonymized_at=None))
        for host in hosts:
            services.host_link_new(host=host)
        message = ngettext(
            "%(count)d host was emailed a new link.", "%(count)d hosts were emailed a new link.", len(hosts)
        )
        self.message_user(request, message % {"count": len(hosts)}, messages.SUCCESS)

    @admin.action(description=_("Revoke the link"), permissions=["change"])
    def revoke_links(self, request, queryset):
        hosts = list(queryset.filter(revoked_at=None))
        for host in hosts:
            services.host_revoke(host=host)
        message = ngettext("%(count)d link revoked.", "%(count)d links revoked.", len(hosts))
        self.message_user(request, message % {"count": len(hosts)}, messages.SUCCESS)


@admin.register(HostMessage)
class HostMessageAdmin(HostedCitiesMixin, admin.ModelAdmin):
    """Messages to an action's volunteers, by its hosts or by organizers from here (Add: the action's
    page links to it). Sent is sent: nobody edits one."""

    city_path = "action__city"
    form = HostMessageAdminForm
    list_display = ("__str__", "action", "audience", "author", "recipients", "created_at")
    list_filter = ("audience", "action__campaign")
    list_select_related = ("action", "host", "sent_by")
    search_fields = ("subject_en", "subject_es", "action__title_en", "action__title_es")
    autocomplete_fields = ("action",)
    readonly_fields = ("author", "recipients", "created_at")

    def get_fieldsets(self, request, obj=None):
        sent = ((_("Sent"), {"fields": ("author", "recipients", "created_at")}),) if obj else ()
        return [
            (None, {"fields": ("action", "audience")}),
            (
                LANGUAGE_NAMES["en"],
                {
                    "fields": ("subject_en", "body_en"),
                    "description": _(
                        "Write in one language or both: each volunteer gets their own, or the other with a "
                        "short note. Markdown links are allowed; volunteers do not see each other’s addresses."
                    ),
                },
            ),
            (LANGUAGE_NAMES["es"], {"fields": ("subject_es", "body_es")}),
            *sent,
        ]

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("from"))
    def author(self, obj):
        if obj.host_id:
            return obj.host.first_name or "-"
        return obj.sent_by.get_username() if obj.sent_by_id else "-"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.MessageLimitReached:
            # Another message went out between the form's check and this one: nothing was sent.
            self.message_user(
                request, _("This action’s volunteers got enough messages today: nothing was sent."), messages.ERROR
            )
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        sent = services.message_send(
            action=data["action"],
            audience=data["audience"],
            subjects={code: data.get(f"subject_{code}", "") for code, _name in settings.LANGUAGES},
            bodies={code: data.get(f"body_{code}", "") for code, _name in settings.LANGUAGES},
            user=request.user,
        )
        # The admin goes on with `obj` (its history, the redirect): it is now the message sent.
        obj.pk, obj.recipients, obj.created_at, obj.sent_by = sent.pk, sent.recipients, sent.created_at, sent.sent_by
        obj._state.adding = False

    def response_add(self, request, obj, post_url_continue=None):
        message = ngettext(
            "The message is on its way to %(count)d volunteer.",
            "The message is on its way to %(count)d volunteers.",
            obj.recipients,
        )
        self.message_user(request, message % {"count": obj.recipients}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:actions_action_change", args=[obj.action_id]))


@admin.register(HostChange)
class HostChangeAdmin(HostedCitiesMixin, ReadOnlyMixin):
    """What hosts changed about their actions from the host page, and who: written there only."""

    city_path = "action__city"
    list_display = ("action", "host_name", "what", "at")
    list_select_related = ("action",)
    search_fields = ("action__title_en", "action__title_es")
    fields = ("action", "host_name", "what", "at")
    readonly_fields = fields

    @admin.display(description=_("what changed"))
    def what(self, obj):
        return ", ".join(obj.fields)


@admin.register(ActionReport)
class ActionReportAdmin(HostedCitiesMixin, ReadOnlyMixin):
    """Hosts' reports after their actions, written from the host page only; coordinators may delete one."""

    city_path = "action__city"
    list_display = ("action", "turnout", "press_url", "created_at")
    list_select_related = ("action",)
    search_fields = ("action__title_en", "action__title_es")
    fields = ("action", "host", "turnout", "press_url", "notes", "created_at", "updated_at")
    readonly_fields = fields


class FromProposalFilter(admin.SimpleListFilter):
    title = _("proposed by a host")
    parameter_name = "proposed"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(proposal__isnull=False)
        if self.value() == "no":
            return queryset.filter(proposal__isnull=True)
        return queryset


admin.site.unregister(Action)


@admin.register(Action)
class HostedActionAdmin(ActionAdmin):
    """The actions app's admin of actions, with what hosting adds: who hosts each action (first names
    in the list, the hosts with their links on its page), which came from a proposal, and a way to
    write to its volunteers. Here rather than in actions/admin.py: hosting builds on actions."""

    list_display = (*ActionAdmin.list_display[:-1], "hosted_by", ActionAdmin.list_display[-1])
    list_filter = (*ActionAdmin.list_filter, FromProposalFilter)
    change_form_template = "admin/hosting/action_change_form.html"  # with "Write to its volunteers"

    def get_queryset(self, request):
        # The active hosts of the rows listed in one more query, whatever the rows.
        active = Host.objects.filter(revoked_at=None, anonymized_at=None).only("action_id", "name")
        hosts = Prefetch("host_people", queryset=active, to_attr="active_hosts")
        return super().get_queryset(request).prefetch_related(hosts)

    def get_inlines(self, request, obj):
        if obj is None:
            return ()
        if not hasattr(obj, "_has_hosts"):  # asked several times a page
            obj._has_hosts = obj.host_people.exists()
        # No table of nobody; and staff's own actions then post no hosts' formset.
        return (HostInline,) if obj._has_hosts else ()

    @admin.display(description=_("hosted by"))
    def hosted_by(self, obj):
        """The first names of its hosts (from a proposal, or invited by its host), never their emails."""
        return ", ".join(host.first_name for host in obj.active_hosts if host.first_name) or "-"
