"""The links in volunteers' emails: a signup's random token, signed, so a link can be neither guessed
nor forged, and carries no id or address. Confirm links expire; manage links do not."""

from django.conf import settings
from django.core import signing

from .models import Signup

CONFIRM_SALT = "actions.signup.confirm"
MANAGE_SALT = "actions.signup.manage"


class InvalidToken(Exception):
    """The link was altered, has expired, or its signup no longer exists."""


def confirm_token(signup: Signup) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(signup.token)


def manage_token(signup: Signup) -> str:
    return signing.Signer(salt=MANAGE_SALT).sign(signup.token)


def signup_for_confirm_token(value: str) -> Signup:
    """The signup a confirm link names, if signed within SIGNUP_CONFIRM_HOURS. Raises InvalidToken."""
    signer = signing.TimestampSigner(salt=CONFIRM_SALT)
    return _signup(signer, value, max_age=settings.SIGNUP_CONFIRM_HOURS * 3600)


def signup_for_manage_token(value: str) -> Signup:
    """The signup a manage link names. Raises InvalidToken."""
    return _signup(signing.Signer(salt=MANAGE_SALT), value)


def _signup(signer, value: str, **unsign_kwargs) -> Signup:
    try:
        token = signer.unsign(value, **unsign_kwargs)
        return Signup.objects.select_related("action__city", "action__campaign").get(token=token)
    except (signing.BadSignature, Signup.DoesNotExist):
        raise InvalidToken from None
