"""What the email provider reports back, through django-anymail's tracking webhooks
(/anymail/<provider>/tracking/, basic auth with ANYMAIL_WEBHOOK_SECRET): a hard bounce, a complaint or
the provider's refusal marks the address undeliverable (mail.suppression_record), so that nothing
more is sent to it. Soft bounces and deliveries change nothing. Connected in ActionsConfig.ready()."""

import functools
import logging
from collections.abc import Callable

from anymail.exceptions import AnymailConfigurationError, AnymailImproperlyInstalled
from anymail.signals import AnymailTrackingEvent, EventType, RejectReason
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotFound
from django.views.decorators.csrf import csrf_exempt

from .emails import mask_addresses
from .mail import suppression_record
from .models import OutgoingMail, Suppression

logger = logging.getLogger(__name__)

# Reasons that say the address itself is bad; a refusal for anything else (our reputation, a
# message's content) is no reason to stop writing to it.
ADDRESS_REASONS = {RejectReason.BOUNCED, RejectReason.INVALID, RejectReason.SPAM, None}


def _is_soft(event: AnymailTrackingEvent) -> bool:
    """Anymail reports some providers' temporary bounces as "bounced"; their raw events tell."""
    raw = event.esp_event if isinstance(event.esp_event, dict) else {}
    ses_bounce = raw.get("bounce")
    ses_bounce = ses_bounce if isinstance(ses_bounce, dict) else {}
    return (
        raw.get("Type") == "SoftBounce"  # Postmark
        or raw.get("event") == "soft_bounce"  # Brevo
        or raw.get("type") == "blocked"  # SendGrid
        or ses_bounce.get("bounceType") in ("Transient", "Undetermined")  # Amazon SES
    )


def suppression_reason(event: AnymailTrackingEvent) -> str | None:
    """The Suppression.Reason that `event` gives for its recipient, or None if it gives none."""
    if event.event_type == EventType.COMPLAINED:
        return Suppression.Reason.COMPLAINED
    if event.reject_reason not in ADDRESS_REASONS:
        return None
    if event.event_type == EventType.BOUNCED and not _is_soft(event):
        return Suppression.Reason.BOUNCED
    if event.event_type == EventType.REJECTED and event.reject_reason is not None:
        return Suppression.Reason.REJECTED
    return None


def guarded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """`view` (an anymail tracking webhook) answering a body it cannot read with 400, and a provider
    this site is not set up for (its signing key or library missing) with 404, rather than 500."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (AnymailConfigurationError, AnymailImproperlyInstalled):
            return HttpResponseNotFound()
        except (ValueError, TypeError, KeyError, AttributeError):
            logger.warning("webhook: a body it could not read", exc_info=True)
            return HttpResponseBadRequest()

    return wrapper


def tracking_received(sender, event: AnymailTrackingEvent, esp_name: str, **kwargs) -> None:
    """anymail's `tracking` signal: record a suppression, and the report on the message's row."""
    reason = suppression_reason(event)
    if reason is None or not event.recipient:
        return
    provider = esp_name.lower().replace(" ", "_")  # "Amazon SES" -> "amazon_ses", as in EMAIL_PROVIDER
    detail = event.description or event.mta_response or ""
    suppression_record(address=event.recipient, reason=reason, provider=provider, detail=detail)
    if event.message_id:
        note = mask_addresses(f"{event.event_type} ({provider}): {detail}")
        OutgoingMail.objects.filter(message_id=event.message_id).update(error=note)
