"""Emails to volunteers, each rendered in the volunteer's own language and the action's time zone."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Signup
from .tokens import confirm_token, manage_token

# confirm: a new signup's confirmation link; existing: the address signed up already, here is its
# manage link; promoted: a seat came free for a waitlisted volunteer; cancelled: an organizer
# cancelled the signup.
SIGNUP_EMAIL_KINDS = ("confirm", "existing", "promoted", "cancelled")


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def signup_email(signup: Signup, kind: str) -> EmailMultiAlternatives:
    """The `kind` email (one of SIGNUP_EMAIL_KINDS) for `signup`: subject, plain text and HTML."""
    if kind not in SIGNUP_EMAIL_KINDS:
        raise ValueError(f"unknown signup email {kind!r}")
    with translation.override(signup.language):
        context = {
            "kind": kind,
            "signup": signup,
            "action": signup.action,
            "action_url": _absolute(signup.action.get_absolute_url()),
            "confirm_url": _absolute(reverse("actions:signup_confirm", kwargs={"token": confirm_token(signup)})),
            "manage_url": _absolute(reverse("actions:signup_manage", kwargs={"token": manage_token(signup)})),
            "confirm_hours": settings.SIGNUP_CONFIRM_HOURS,
        }
        subject = " ".join(render_to_string("actions/email/signup_subject.txt", context).split())
        text = render_to_string("actions/email/signup.txt", context)
        html = render_to_string("actions/email/signup.html", context)
    message = EmailMultiAlternatives(subject, text, to=[signup.email])
    message.attach_alternative(html, "text/html")
    return message
