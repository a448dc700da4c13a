"""Hosting from below: a proposal for an action, sent by anyone, reviewed by coordinators; the
people who host an approved action, each with a private link to its host page; what they wrote to
its volunteers, changed about it, and reported afterwards.

Personal data (names, addresses, phones) is kept as for signups: erased SIGNUP_RETENTION_DAYS
after the action ends, or after the decision on a proposal that was never published."""

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from actions.models import Action, ActionKind, Campaign, City, no_control_characters
from common.markup import MARKDOWN_HELP, valid_markdown

from .querysets import ActionReportQuerySet


def new_token() -> str:
    """256 random bits, URL-safe: what a proposal's and a host's links carry (signed)."""
    return secrets.token_urlsafe(32)


class ProposalStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Waiting for email confirmation")
    SUBMITTED = "submitted", _("Awaiting review")
    CHANGES_REQUESTED = "changes", _("Changes asked of the host")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class Proposal(models.Model):
    """An action proposed by a would-be host for a campaign that accepts proposals.

    The host writes title and description in their own language (`language`), the other optionally;
    `submitted` keeps what they typed, and the four text fields are what would be published, which
    reviewers may edit. Times are aware, in UTC; the host typed them in the city's local time (online:
    the campaign's). Approving creates the action (`action`)."""

    Status = ProposalStatus

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), related_name="proposals", on_delete=models.CASCADE
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.UNCONFIRMED
    )
    language = models.CharField(_("host's language"), max_length=2, choices=settings.LANGUAGES)
    title_en = models.CharField(_("title [en]"), max_length=200, blank=True, validators=[no_control_characters])
    title_es = models.CharField(_("title [es]"), max_length=200, blank=True, validators=[no_control_characters])
    description_en = models.TextField(
        _("description [en]"), blank=True, validators=[valid_markdown], help_text=MARKDOWN_HELP
    )
    description_es = models.TextField(
        _("description [es]"), blank=True, validators=[valid_markdown], help_text=MARKDOWN_HELP
    )
    submitted = models.JSONField(_("as the host wrote it"), default=dict, blank=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=ActionKind.choices, default=ActionKind.RALLY)
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        related_name="proposals",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Empty for an online action."),
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True, help_text=_("Empty: to be announced."))
    address = models.CharField(_("address"), max_length=300, blank=True, help_text=_("Empty: to be announced."))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, validators=[MinValueValidator(1)], help_text=_("Empty: unlimited.")
    )
    host_name = models.CharField(_("host's name"), max_length=100, validators=[no_control_characters])
    email = models.EmailField(_("host's email"), max_length=254)
    phone = models.CharField(_("host's phone"), max_length=20, blank=True)
    organization = models.CharField(_("organization"), max_length=200, blank=True, validators=[no_control_characters])
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("email confirmed"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    review_message = models.TextField(_("message to the host"), blank=True, max_length=2000)
    action = models.OneToOneField(
        Action,
        verbose_name=_("published as"),
        related_name="proposal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    anonymized_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="proposal_status_created")]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=ProposalStatus.values), name="proposal_status_known"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="proposal_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gte=1), name="proposal_capacity_positive"
            ),
            models.CheckConstraint(condition=models.Q(kind__in=ActionKind.values), name="proposal_kind_known"),
            models.CheckConstraint(
                condition=models.Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="proposal_language_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ProposalStatus.APPROVED)
                | models.Q(action__isnull=False)
                | models.Q(anonymized_at__isnull=False),
                name="proposal_approved_has_action",
            ),
        ]

    def __str__(self) -> str:
        # No personal data: the admin's history outlives erasure.
        return self.title or str(_("Proposal %(id)s") % {"id": self.pk})

    @property
    def title(self) -> str:
        """The title in the host's language, else the other."""
        return getattr(self, f"title_{self.language}", "") or self.title_en or self.title_es

    @property
    def is_online(self) -> bool:
        return self.city_id is None

    @property
    def zone(self):
        from actions.models import zone_for

        return zone_for(self.city, self.campaign)


class Host(models.Model):
    """A person who hosts an action, with their own private link to its host page (the signed
    `token`). A new token kills the old link; `revoked_at` closes the page to them. The first host
    comes from the approved proposal; co-hosts are invited by a host (`invited_by`)."""

    action = models.ForeignKey(Action, verbose_name=_("action"), related_name="host_people", on_delete=models.CASCADE)
    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), related_name="hosts", on_delete=models.SET_NULL, null=True, blank=True
    )
    invited_by = models.ForeignKey(
        "self", verbose_name=_("invited by"), related_name="+", on_delete=models.SET_NULL, null=True, blank=True
    )
    name = models.CharField(_("name"), max_length=100, validators=[no_control_characters])
    email = models.EmailField(_("email"), max_length=254)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    revoked_at = models.DateTimeField(
        _("link revoked"), null=True, blank=True, help_text=_("The host page no longer opens with this host's link.")
    )
    anonymized_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("host")
        verbose_name_plural = _("hosts")
        ordering = ["action", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="host_language_known",
            ),
        ]

    def __str__(self) -> str:
        return _("Host %(id)s (%(action)s)") % {"id": self.pk, "action": self.action}

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else ""

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.anonymized_at is None


class Audience(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed volunteers")
    WAITLISTED = "waitlisted", _("Volunteers on the waitlist")


class HostMessage(models.Model):
    """A message from a host (or a coordinator, from the admin) to the confirmed or waitlisted
    volunteers of an action, in one or both languages (Markdown, sanitized like descriptions). Each
    volunteer gets their own email (an outgoing-mail row), so none sees another's address."""

    Audience = Audience

    action = models.ForeignKey(Action, verbose_name=_("action"), related_name="host_messages", on_delete=models.CASCADE)
    host = models.ForeignKey(
        Host, verbose_name=_("host"), related_name="messages", on_delete=models.SET_NULL, null=True, blank=True
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    audience = models.CharField(_("to"), max_length=10, choices=Audience.choices, default=Audience.CONFIRMED)
    subject_en = models.CharField(_("subject [en]"), max_length=150, blank=True, validators=[no_control_characters])
    subject_es = models.CharField(_("subject [es]"), max_length=150, blank=True, validators=[no_control_characters])
    body_en = models.TextField(_("message [en]"), blank=True, max_length=5000, validators=[valid_markdown])
    body_es = models.TextField(_("message [es]"), blank=True, max_length=5000, validators=[valid_markdown])
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("message to volunteers")
        verbose_name_plural = _("messages to volunteers")
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["action", "created_at"], name="hostmessage_action_created")]
        constraints = [
            models.CheckConstraint(condition=models.Q(audience__in=Audience.values), name="hostmessage_audience_known"),
            models.CheckConstraint(
                condition=(~models.Q(subject_en="") & ~models.Q(body_en=""))
                | (~models.Q(subject_es="") & ~models.Q(body_es="")),
                name="hostmessage_has_a_language",
            ),
        ]

    def __str__(self) -> str:
        return self.subject_en or self.subject_es


class HostChange(models.Model):
    """A change a host made to their action from the host page, and who made it (the admin's own
    history records organizers' changes)."""

    action = models.ForeignKey(Action, verbose_name=_("action"), related_name="host_changes", on_delete=models.CASCADE)
    host = models.ForeignKey(Host, verbose_name=_("host"), related_name="changes", on_delete=models.SET_NULL, null=True)
    host_name = models.CharField(_("host"), max_length=100, blank=True)  # erased with the host's data
    fields = models.JSONField(_("what changed"), default=list)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("change by a host")
        verbose_name_plural = _("changes by hosts")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return ", ".join(self.fields)


class ActionReport(models.Model):
    """What the host reported after the action: turnout, press coverage, notes; photos beside it.
    Shown on the action's page; the campaign page adds up its reports."""

    action = models.OneToOneField(Action, verbose_name=_("action"), related_name="report", on_delete=models.CASCADE)
    host = models.ForeignKey(
        Host, verbose_name=_("host"), related_name="+", on_delete=models.SET_NULL, null=True, blank=True
    )
    turnout = models.PositiveIntegerField(_("people who came (estimate)"), validators=[MinValueValidator(1)])
    press_url = models.URLField(_("press coverage"), blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=3000, validators=[valid_markdown])
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ActionReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(turnout__gte=1), name="report_turnout_positive"),
        ]

    def __str__(self) -> str:
        return str(self.action)


class ReportPhoto(models.Model):
    """A photo of the action, re-encoded as JPEG without its metadata (EXIF: place, camera, time) and
    at most REPORT_PHOTO_MAX_SIDE pixels on its longer side. Kept in the database: nothing to mount
    or back up apart from it, and it goes with its report."""

    report = models.ForeignKey(ActionReport, verbose_name=_("report"), related_name="photos", on_delete=models.CASCADE)
    image = models.BinaryField(_("image"))
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return _("Photo %(id)s") % {"id": self.pk}
