from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HostingConfig(AppConfig):
    name = "hosting"
    verbose_name = _("Hosting")

    def ready(self) -> None:
        # The mail pipeline (actions/mail.py) builds this app's emails from their rows.
        from actions import mail

        from . import emails

        mail.EMAIL_BUILDERS.update(emails.BUILDERS)
