"""The links in hosts' emails: a proposal's or a host's random token, signed, so that a link can be
neither guessed nor forged and carries no id or address. A proposal's confirm link expires after
SIGNUP_CONFIRM_HOURS; its edit link and a host's link do not, but a host's dies when the host gets a
new one or is revoked."""

from django.conf import settings
from django.core import signing

from .models import Host, Proposal

PROPOSAL_CONFIRM_SALT = "hosting.proposal.confirm"
PROPOSAL_EDIT_SALT = "hosting.proposal.edit"
HOST_SALT = "hosting.host"


class InvalidToken(Exception):
    """The link was altered, has expired, or what it named no longer exists (a host's link: replaced
    by a newer one)."""


class RevokedLink(InvalidToken):
    """A host's link that coordinators revoked."""


def proposal_confirm_token(proposal: Proposal) -> str:
    return signing.TimestampSigner(salt=PROPOSAL_CONFIRM_SALT).sign(proposal.token)


def proposal_edit_token(proposal: Proposal) -> str:
    return signing.Signer(salt=PROPOSAL_EDIT_SALT).sign(proposal.token)


def host_token(host: Host) -> str:
    return signing.Signer(salt=HOST_SALT).sign(host.token)


def _unsigned(signer, value: str, **kwargs) -> str:
    try:
        return signer.unsign(value, **kwargs)
    except signing.BadSignature:
        raise InvalidToken from None


def proposal_for_confirm_token(value: str) -> Proposal:
    """The proposal a confirm link names, if signed within SIGNUP_CONFIRM_HOURS. Raises InvalidToken."""
    signer = signing.TimestampSigner(salt=PROPOSAL_CONFIRM_SALT)
    token = _unsigned(signer, value, max_age=settings.SIGNUP_CONFIRM_HOURS * 3600)
    return _proposal(token)


def proposal_for_edit_token(value: str) -> Proposal:
    """The proposal an edit link names (sent when coordinators ask for changes). Raises InvalidToken."""
    return _proposal(_unsigned(signing.Signer(salt=PROPOSAL_EDIT_SALT), value))


def _proposal(token: str) -> Proposal:
    proposal = Proposal.objects.select_related("campaign", "city").filter(token=token, anonymized_at=None).first()
    if proposal is None:
        raise InvalidToken
    return proposal


def host_for_token(value: str) -> Host:
    """The host a host link names, with their action. Raises InvalidToken, or RevokedLink."""
    token = _unsigned(signing.Signer(salt=HOST_SALT), value)
    host = Host.objects.select_related("action__city", "action__campaign").filter(token=token).first()
    if host is None or host.anonymized_at is not None:
        raise InvalidToken
    if host.revoked_at is not None:
        raise RevokedLink
    return host
