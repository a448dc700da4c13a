from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = _("Actions")

    def ready(self) -> None:
        from anymail.signals import tracking

        from .webhooks import tracking_received

        tracking.connect(tracking_received, dispatch_uid="actions.webhooks.tracking_received")
