"""The email providers' reports of bounces and complaints (webhooks.py), at /anymail/<provider>/tracking/,
for the providers settings.EMAIL_PROVIDERS names; anymail's inbound-mail webhooks stay unrouted."""

from anymail import urls as anymail_urls
from django.conf import settings
from django.urls import path

from .webhooks import guarded

app_name = "anymail"
urlpatterns = [
    path(str(pattern.pattern), guarded(pattern.callback), name=pattern.name)
    for pattern in anymail_urls.urlpatterns
    if pattern.name in {f"{provider}_tracking_webhook" for provider in settings.EMAIL_PROVIDERS}
]
