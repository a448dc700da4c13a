"""The admin site, with two-factor login (django-otp, TOTP apps such as FreeOTP or Aegis).

A staff member with a confirmed TOTP device (Admin → TOTP devices) logs in with its 6-digit code as
well as the password. With ADMIN_REQUIRE_2FA, every staff member must: one without a device cannot
use the admin."""

from django.apps import apps
from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, user_has_device
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class TwoFactorLoginForm(OTPAdminAuthenticationForm):
    """The admin login: the code is asked of those who have a device, or of everyone if required."""

    def clean_otp(self, user):
        if user is not None and not settings.ADMIN_REQUIRE_2FA and not user_has_device(user):
            return
        super().clean_otp(user)

    def _chosen_device(self, user):
        # One device (the usual case) needs no choosing: the code alone is asked for.
        devices = list(devices_for_user(user, confirmed=True, for_verify=True))
        return super()._chosen_device(user) or (devices[0] if len(devices) == 1 else None)


class MovementAdminSite(OTPAdminSite):
    site_header = _("Movement organizers")
    site_title = _("Movement organizers")
    login_form = TwoFactorLoginForm
    index_template = "admin/hosting/index.html"  # the index, with the proposals awaiting review

    def __init__(self, name="admin"):
        super().__init__(name)

    def has_permission(self, request):
        if settings.ADMIN_REQUIRE_2FA:
            return super().has_permission(request)  # staff, and verified by a device at login
        return AdminSite.has_permission(self, request)

    def index(self, request, extra_context=None):
        return super().index(request, {**self.review_queue(request), **(extra_context or {})})

    def review_queue(self, request: HttpRequest) -> dict:
        """{"proposals_awaiting": how many proposals await review, "proposals_awaiting_url": their list}
        for a user who may view proposals (a local host: those of their cities); else {}."""
        model_admin = self._registry.get(apps.get_model("hosting", "Proposal"))
        if model_admin is None or not model_admin.has_view_permission(request):
            return {}
        queue = reverse("admin:hosting_proposal_changelist") + "?status=submitted"
        return {"proposals_awaiting": model_admin.awaiting_review(request).count(), "proposals_awaiting_url": queue}

    def get_urls(self):
        # Django's own "view_on_site" route, with its URL, to our view instead of the bare shortcut.
        route = "r/<path:content_type_id>/<path:object_id>/"
        ours = path(route, self.admin_view(self.view_on_site), name="view_on_site")
        return [
            ours if isinstance(pattern, URLPattern) and pattern.name == "view_on_site" else pattern
            for pattern in super().get_urls()
        ]

    def view_on_site(self, request: HttpRequest, content_type_id: str, object_id: str) -> HttpResponse:
        """The admin's "View on site" redirect (/admin/r/<content type id>/<object id>/, Django's
        contenttypes shortcut) to the public page of an object the user may view in this admin.
        Raises Http404 for any other object, as for one that does not exist: the redirect's URL
        would reveal another city's draft to a local host (its slug), and a 403 that it exists."""
        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ContentType.DoesNotExist, ValueError):
            raise Http404 from None
        model_admin = self._registry.get(model) if model else None
        if model_admin is None:
            raise Http404
        try:
            obj = model_admin.get_queryset(request).filter(pk=object_id).first()
        except (ValueError, ValidationError):  # not a key of this model
            obj = None
        if obj is None or not model_admin.has_view_permission(request, obj):
            raise Http404
        return contenttype_views.shortcut(request, content_type_id, object_id)
