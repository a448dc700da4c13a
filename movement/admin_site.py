"""The admin site, with two-factor login (django-otp, TOTP apps such as FreeOTP or Aegis).

A staff member with a confirmed TOTP device (Admin → TOTP devices) logs in with its 6-digit code as
well as the password. With ADMIN_REQUIRE_2FA, every staff member must: one without a device cannot
use the admin."""

from django.conf import settings
from django.contrib.admin import AdminSite
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

    def __init__(self, name="admin"):
        super().__init__(name)

    def has_permission(self, request):
        if settings.ADMIN_REQUIRE_2FA:
            return super().has_permission(request)  # staff, and verified by a device at login
        return AdminSite.has_permission(self, request)
