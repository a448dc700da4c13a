import datetime
import secrets
import unicodedata
import zoneinfo
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.countries import Country
from common.markup import MARKDOWN_HELP, valid_markdown
from common.ordering import ReadOrder

from .localtime import known_time_zones
from .querysets import ActionQuerySet, CampaignQuerySet, CityQuerySet, OutgoingMailQuerySet, SignupQuerySet


def validate_time_zone(value: str) -> None:
    """Accept only IANA zone names that the tzdata package ships, e.g. "America/Mexico_City".

    Raises ValidationError otherwise.
    """
    if value not in known_time_zones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone. Use an IANA name such as America/Mexico_City."),
            code="invalid_time_zone",
            params={"value": value},
        )


def zone_for(city: "City | None", campaign: "Campaign | None") -> zoneinfo.ZoneInfo:
    """The zone an action's times are entered and shown in: its city's; online, its campaign's;
    with neither, settings.TIME_ZONE."""
    if city is not None:
        return city.zone
    if campaign is not None:
        return zoneinfo.ZoneInfo(campaign.time_zone)
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


# Format characters that written names need: zero-width non-joiner and joiner (Persian, Hindi,
# emoji sequences) and the tag characters of subdivision flags.
ALLOWED_FORMAT_CHARACTERS = {"\u200c", "\u200d", *map(chr, range(0xE0020, 0xE0080))}


def no_control_characters(value: str) -> None:
    """Refuse control, line-breaking and format characters (escape, bidi overrides, line separator...);
    letters of any script and emoji pass. NUL is Django's own CharField check."""
    for c in value:
        category = unicodedata.category(c)
        if c == "\x00" or c in ALLOWED_FORMAT_CHARACTERS:
            continue
        if category in ("Cc", "Cs", "Co", "Zl", "Zp") or category == "Cf":
            raise ValidationError(_("Remove the invisible or control characters."), code="control_characters")


def coordinate_field(verbose_name, *, limit: int) -> models.DecimalField:
    """An optional coordinate in decimal degrees within ±`limit` (about 1 m of precision)."""
    return models.DecimalField(
        verbose_name,
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-limit), MaxValueValidator(limit)],
    )


# modeltranslation replaces the managers of each translated model at runtime with classes made on
# the fly, which the type checker cannot find (django-stubs issue 1023). Those models declare their
# managers' types, and the default manager's, from which related managers (city.actions) are made.
CityManager = models.Manager.from_queryset(CityQuerySet)


class City(models.Model):
    name = models.CharField(_("name"), max_length=100)
    region = models.CharField(_("state or region"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("IANA name, e.g. America/Mexico_City or America/New_York."),
    )
    latitude = coordinate_field(_("latitude"), limit=90)
    longitude = coordinate_field(_("longitude"), limit=180)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    objects: ClassVar[CityManager["City"]] = CityManager()
    _default_manager: ClassVar[CityManager["City"]]

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["country", ReadOrder("name")]
        constraints = [
            models.CheckConstraint(condition=models.Q(country__in=Country.values), name="city_country_known"),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True) | models.Q(latitude__gte=-90, latitude__lte=90),
                name="city_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True) | models.Q(longitude__gte=-180, longitude__lte=180),
                name="city_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.region}" if self.region else self.name

    def get_absolute_url(self) -> str:
        return reverse("actions:city_detail", kwargs={"slug": self.slug})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Organization(models.Model):
    """A partner civil-society organization that hosts actions."""

    name = models.CharField(_("name"), max_length=200)
    website = models.URLField(_("website"), blank=True)
    country = models.CharField(
        _("country"), max_length=2, choices=Country.choices, blank=True, help_text=_("Empty if binational.")
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    objects: ClassVar[models.Manager["Organization"]]  # Django's default manager (see CityManager)
    _default_manager: ClassVar[models.Manager["Organization"]]

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = [ReadOrder("name")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(country__in=[*Country.values, ""]), name="organization_country_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name


CampaignManager = models.Manager.from_queryset(CampaignQuerySet)


class Campaign(models.Model):
    """A day of action or a longer mobilization, pressing a set of demands."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True, validators=[valid_markdown], help_text=MARKDOWN_HELP)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    time_zone = models.CharField(
        _("time zone for online actions"),
        max_length=64,
        default="America/Mexico_City",
        validators=[validate_time_zone],
        help_text=_("Online actions of this campaign are shown in this zone."),
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    demands = models.ManyToManyField("demands.Demand", verbose_name=_("demands"), related_name="campaigns", blank=True)
    proposals_open_on = models.DateField(
        _("proposals open on"),
        null=True,
        blank=True,
        help_text=_("Anyone may propose an action for this campaign from this date. Empty: no proposals."),
    )
    proposals_close_on = models.DateField(
        _("proposals close on"),
        null=True,
        blank=True,
        help_text=_("The last day to propose an action. Empty: until the campaign ends."),
    )

    objects: ClassVar[CampaignManager["Campaign"]] = CampaignManager()
    _default_manager: ClassVar[CampaignManager["Campaign"]]

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="campaign_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(proposals_open_on__isnull=True)
                | models.Q(proposals_close_on__isnull=True)
                | models.Q(proposals_close_on__gte=models.F("proposals_open_on")),
                name="campaign_proposals_close_after_open",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("actions:campaign_detail", kwargs={"slug": self.slug})

    @property
    def is_over(self) -> bool:
        """Whether the campaign ended before today (settings.TIME_ZONE's date)."""
        return self.end_date < timezone.localdate()

    def accepts_proposals(self, today: datetime.date | None = None) -> bool:
        """Whether hosts may propose actions on `today` (default: today in settings.TIME_ZONE): from
        proposals_open_on to proposals_close_on, or to the campaign's end date, inclusive."""
        today = today or timezone.localdate()
        last_day = self.proposals_close_on or self.end_date
        return self.proposals_open_on is not None and self.proposals_open_on <= today <= last_day

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
        if self.proposals_open_on and self.proposals_close_on and self.proposals_close_on < self.proposals_open_on:
            raise ValidationError({"proposals_close_on": _("Proposals cannot close before they open.")})


# Actions take place, in their own local time, in these years: it keeps out typos such as 9999 or
# 0001, which overflow when converted between zones. The database's check, in UTC, allows a day
# either side, since local and UTC dates differ by up to 14 hours.
ACTION_YEARS = range(2000, 2100)
ACTION_TIMES_FROM = datetime.datetime(1999, 12, 31, tzinfo=datetime.UTC)
ACTION_TIMES_UNTIL = datetime.datetime(2100, 1, 2, tzinfo=datetime.UTC)
YEAR_OUT_OF_RANGE = _("Enter a date between 2000 and 2099.")


def in_action_years(moment: datetime.datetime, zone: zoneinfo.ZoneInfo) -> bool:
    """Whether `moment` (aware, or naive wall-clock time) falls in ACTION_YEARS as read in `zone`."""
    try:
        local = moment.astimezone(zone) if moment.tzinfo else moment
    except OverflowError:
        return False
    return local.year in ACTION_YEARS


class ActionKind(models.TextChoices):
    MARCH = "march", pgettext_lazy("action kind", "March")
    RALLY = "rally", _("Rally")
    VIGIL = "vigil", _("Vigil")
    PRESS_CONFERENCE = "press_conference", _("Press conference")
    ONLINE_EVENT = "online_event", _("Online event")
    OTHER = "other", _("Other")


class ActionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


ActionManager = models.Manager.from_queryset(ActionQuerySet)


class Action(models.Model):
    """One march, rally, vigil or online event on a given day, in one city or online."""

    Kind = ActionKind
    Status = ActionStatus

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        related_name="actions",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        related_name="actions",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Leave empty for an online-only action."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActionKind.choices, default=ActionKind.RALLY)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, validators=[valid_markdown], help_text=MARKDOWN_HELP)
    venue = models.CharField(_("venue"), max_length=200, blank=True, help_text=_("Empty: to be announced."))
    address = models.CharField(_("address"), max_length=300, blank=True, help_text=_("Empty: to be announced."))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_to_be_announced = models.BooleanField(
        _("time to be announced"),
        default=False,
        help_text=_("Only the date is known: pages show the date without a time."),
    )
    online_url = models.URLField(
        _("online meeting link"),
        blank=True,
        help_text=_("Never shown on a public page; only confirmed participants receive it."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, validators=[MinValueValidator(1)], help_text=_("Empty: unlimited.")
    )
    reminders_enabled = models.BooleanField(
        _("send reminders"),
        default=True,
        help_text=_("Email confirmed volunteers before the action starts (by default 24 and 2 hours before)."),
    )
    signup_deadline = models.DateTimeField(
        _("signups close at"),
        null=True,
        blank=True,
        help_text=_("Empty: signups close when the action starts. Local time of the action’s city."),
    )
    status = models.CharField(_("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.DRAFT)
    hosts = models.ManyToManyField(
        Organization, verbose_name=_("hosting organizations"), related_name="hosted_actions", blank=True
    )
    demands = models.ManyToManyField("demands.Demand", verbose_name=_("demands"), related_name="actions", blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    followed_up_at = models.DateTimeField(
        _("follow-up sent"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When volunteers were asked whether they made it, and hosts for their report."),
    )

    objects: ClassVar[ActionManager["Action"]] = ActionManager()
    _default_manager: ClassVar[ActionManager["Action"]]

    # Only on actions read through ActionQuerySet.with_seat_counts(): not columns.
    confirmed_count: int
    waitlist_count: int

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="action_status_starts"),
            # Lists read a page in this order: without it, every join row is sorted to show twenty.
            models.Index(fields=["starts_at", "id"], name="action_starts_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="action_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gte=1), name="action_capacity_positive"
            ),
            models.CheckConstraint(condition=models.Q(status__in=ActionStatus.values), name="action_status_known"),
            models.CheckConstraint(condition=models.Q(kind__in=ActionKind.values), name="action_kind_known"),
            models.CheckConstraint(
                condition=models.Q(starts_at__gte=ACTION_TIMES_FROM, ends_at__lt=ACTION_TIMES_UNTIL),
                name="action_times_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("actions:action_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors = {
            name: YEAR_OUT_OF_RANGE
            for name in ("starts_at", "ends_at")
            if getattr(self, name) and not in_action_years(getattr(self, name), self.zone)
        }
        if not errors and self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The action must end after it starts.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_online(self) -> bool:
        return self.city_id is None

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_full(self) -> bool:
        """Whether every seat is taken; needs `confirmed_count` (ActionQuerySet.with_seat_counts)."""
        return self.capacity is not None and self.confirmed_count >= self.capacity

    def signups_open(self, now: datetime.datetime | None = None) -> bool:
        """Whether volunteers may sign up at `now` (aware; default: now): published, not started, and
        before the signup deadline if there is one."""
        now = now or timezone.now()
        closes_at = min(filter(None, [self.starts_at, self.signup_deadline]))
        return self.status == self.Status.PUBLISHED and now < closes_at

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """Where the action's times are shown; see zone_for()."""
        return zone_for(self.city, self.campaign)

    @property
    def local_starts_at(self):
        """`starts_at` as an aware datetime in the action's zone."""
        return self.starts_at.astimezone(self.zone)

    @property
    def local_ends_at(self):
        return self.ends_at.astimezone(self.zone)


class SignupStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for email confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waitlist")
    CANCELLED = "cancelled", pgettext_lazy("signup status", "Cancelled")


class Attendance(models.TextChoices):
    """What a volunteer answered the day after: "Did you make it?"."""

    ATTENDED = "attended", _("Made it")
    MISSED = "missed", _("Could not make it")


class SignupFlag(models.TextChoices):
    """Why a signup had to pass the challenge (actions/limits.py): organizers look these over for bots."""

    NETWORK = "network", _("Many signups from one network address")
    DOMAIN = "domain", _("Many signups from one mail domain")
    SURGE = "surge", _("Many signups at this action in an hour")
    CONFIRMATIONS = "confirmations", _("Many confirmations from one network address")


def new_signup_token() -> str:
    """256 random bits, URL-safe: what the volunteer's confirm and manage links carry (signed)."""
    return secrets.token_urlsafe(32)


class Signup(models.Model):
    """A volunteer's place at an action: personal data kept to name, email and an optional phone.

    Waitlist order is `confirmed_at`: the moment the volunteer confirmed their email.
    """

    Status = SignupStatus
    Flag = SignupFlag
    Attendance = Attendance

    action = models.ForeignKey(Action, verbose_name=_("action"), related_name="signups", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=100, blank=True, validators=[no_control_characters])
    email = models.EmailField(_("email"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("International format, e.g. +52…"))
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=10, choices=SignupStatus.choices, default=SignupStatus.PENDING)
    token = models.CharField(max_length=64, unique=True, default=new_signup_token, editable=False)
    flag = models.CharField(
        _("flagged"),
        max_length=16,
        choices=SignupFlag.choices,
        blank=True,
        help_text=_("Why this signup had to pass the anti-bot challenge; empty if it did not."),
    )
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    attended_at = models.DateTimeField(_("attended"), null=True, blank=True)
    attendance = models.CharField(
        _("said afterwards"),
        max_length=10,
        choices=Attendance.choices,
        blank=True,
        help_text=_("The volunteer's own answer, the day after, to whether they made it."),
    )
    share_with_host = models.BooleanField(
        _("contact shared with the host"),
        default=False,
        help_text=_("The volunteer agreed that the action's host sees their email and phone."),
    )
    anonymized_at = models.DateTimeField(
        _("personal data erased"),
        null=True,
        blank=True,
        help_text=_("Name, email and phone are erased SIGNUP_RETENTION_DAYS after the action ends."),
    )

    objects = SignupQuerySet.as_manager()

    class Meta:
        verbose_name = _("signup")
        verbose_name_plural = _("signups")
        ordering = ["action", "created_at", "pk"]
        permissions = [("export_signup", _("Can export signups as CSV"))]
        indexes = [
            models.Index(fields=["action", "status", "confirmed_at"], name="signup_action_status"),
            models.Index(fields=["status", "created_at"], name="signup_status_created"),
            models.Index(fields=["created_at", "id"], name="signup_created"),  # the admin's newest first
        ]
        constraints = [
            # One live signup per address and action, whatever the capitals; a cancelled one frees it,
            # and erased ones (email "") are not counted.
            models.UniqueConstraint(
                "action",
                Lower("email"),
                condition=~models.Q(status=SignupStatus.CANCELLED) & ~models.Q(email=""),
                name="signup_one_per_email",
            ),
            models.CheckConstraint(condition=models.Q(status__in=SignupStatus.values), name="signup_status_known"),
            models.CheckConstraint(condition=models.Q(flag__in=["", *SignupFlag.values]), name="signup_flag_known"),
            models.CheckConstraint(
                condition=models.Q(attendance__in=["", *Attendance.values]), name="signup_attendance_known"
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="signup_language_known",
            ),
        ]

    def __str__(self) -> str:
        # No personal data: this text lands in the admin's change history, which outlives erasure.
        return _("Signup %(id)s (%(action)s)") % {"id": self.pk, "action": self.action}

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    def waitlist_position(self) -> int | None:
        """1 for the next volunteer to be promoted; None unless waitlisted."""
        if self.status != self.Status.WAITLISTED:
            return None
        ahead = models.Q(confirmed_at__lt=self.confirmed_at) | models.Q(confirmed_at=self.confirmed_at, pk__lt=self.pk)
        return self.action.signups.waitlist().filter(ahead).count() + 1


class MailKind(models.TextChoices):
    """What an outgoing email is (see emails.py for each one's text)."""

    CONFIRM = "confirm", _("Confirmation link")
    EXISTING = "existing", _("Manage link (signed up already)")
    PROMOTED = "promoted", _("Seat from the waitlist")
    CANCELLED = "cancelled", _("Signup cancelled by an organizer")
    UPDATE = "update", _("Action changed")
    REMINDER = "reminder", _("Reminder")
    MESSAGE = "message", _("Message from the host")
    FOLLOW_UP = "follow_up", _("Did you make it?")
    PROPOSAL_CONFIRM = "proposal_confirm", _("Proposal: confirmation link")
    PROPOSAL_DECISION = "proposal_decision", _("Proposal: the coordinators' decision")
    HOST_LINK = "host_link", _("Host: link to the host page")
    HOST_REPORT = "host_report", _("Host: asked for the report")


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")
    UNDELIVERABLE = "undeliverable", _("Not sent: address undeliverable")


class OutgoingMail(models.Model):
    """One email to one person, and its delivery: queued -> sending (claimed by a worker) -> sent, or
    queued again after a failed attempt, failed for good after MAIL_MAX_ATTEMPTS, skipped when no
    longer wanted, undeliverable when the address bounced or complained (see Suppression).

    The row holds what the message is made from, not the message: it is rendered when sent, in the
    volunteer's language then, from the signup's current address. `context` carries what the rows do
    not (an update's changes and old times). A reminder also names its offset and the action start
    it was made for, at most one per (signup, offset, start). See actions/mail.py.
    """

    Kind = MailKind
    Status = MailStatus

    kind = models.CharField(_("kind"), max_length=20, choices=MailKind.choices)
    signup = models.ForeignKey(
        Signup, verbose_name=_("signup"), related_name="mail", on_delete=models.CASCADE, null=True, blank=True
    )
    # Only for mail to someone who is not a signup (none yet); erased with the signups' data.
    recipient = models.EmailField(_("recipient"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, blank=True)
    context = models.JSONField(_("context"), default=dict, blank=True)
    minutes_before = models.PositiveIntegerField(_("minutes before the start"), null=True, blank=True)
    action_starts_at = models.DateTimeField(_("for the start at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=13, choices=MailStatus.choices, default=MailStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    enqueued_at = models.DateTimeField(_("handed to a worker"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed by a worker"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)
    message_id = models.CharField(_("provider's message id"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing mail")
        ordering = ["-created_at", "pk"]
        indexes = [
            # The every-minute dispatch reads only unfinished mail: a small index, however much was sent.
            models.Index(
                fields=["status", "next_attempt_at"],
                condition=models.Q(status__in=[MailStatus.QUEUED, MailStatus.SENDING]),
                name="mail_unfinished",
            ),
            models.Index(fields=["created_at", "id"], name="mail_created"),  # the admin's newest first
            models.Index(fields=["message_id"], condition=~models.Q(message_id=""), name="mail_message_id"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["signup", "minutes_before", "action_starts_at"],
                condition=models.Q(kind=MailKind.REMINDER),
                name="reminder_once_per_offset",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=MailKind.REMINDER)
                | models.Q(minutes_before__isnull=False, action_starts_at__isnull=False),
                name="reminder_names_its_offset",
            ),
            models.CheckConstraint(condition=models.Q(status__in=MailStatus.values), name="mail_status_known"),
            models.CheckConstraint(condition=models.Q(kind__in=MailKind.values), name="mail_kind_known"),
        ]

    def __str__(self) -> str:
        # No address: the admin's history outlives erasure.
        return _("%(kind)s %(id)s") % {"kind": self.get_kind_display(), "id": self.pk}

    @property
    def address(self) -> str:
        """Where it goes: the signup's address now (erased: ""), else the recipient's."""
        return self.signup.email if self.signup is not None else self.recipient


_MailManager = models.Manager.from_queryset(OutgoingMailQuerySet)


class ReminderManager(_MailManager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=MailKind.REMINDER)


class Reminder(OutgoingMail):
    """The outgoing mail that reminds a confirmed volunteer of their action (see actions/reminders.py)."""

    objects: ClassVar[ReminderManager] = ReminderManager()

    class Meta:
        proxy = True
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __init__(self, *args, **kwargs):
        if not args:  # loaded from the database, the values come positionally, kind among them
            kwargs.setdefault("kind", MailKind.REMINDER)
        super().__init__(*args, **kwargs)

    def __str__(self) -> str:
        return _("%(minutes)d minutes before: %(signup)s") % {"minutes": self.minutes_before, "signup": self.signup}


class SuppressionReason(models.TextChoices):
    BOUNCED = "bounced", _("Bounced for good (hard bounce)")
    COMPLAINED = "complained", _("Marked as spam by the recipient")
    REJECTED = "rejected", _("Refused by the email provider")


class Suppression(models.Model):
    """An address no mail goes to any more: the email provider reported a hard bounce or a complaint
    (anymail's tracking webhooks, see actions/webhooks.py). Found by a keyed hash of the address, so
    that it still works once the address itself is erased (SIGNUP_RETENTION_DAYS after the report)."""

    Reason = SuppressionReason

    address_hash = models.CharField(_("address hash"), max_length=64, unique=True, editable=False)
    address = models.EmailField(_("address"), blank=True, help_text=_("Erased after the retention period."))
    reason = models.CharField(_("reason"), max_length=10, choices=SuppressionReason.choices)
    provider = models.CharField(_("email provider"), max_length=30, blank=True)
    detail = models.TextField(_("provider's description"), blank=True)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)

    class Meta:
        verbose_name = _("undeliverable address")
        verbose_name_plural = _("undeliverable addresses")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reason__in=SuppressionReason.values), name="suppression_reason_known"
            ),
        ]

    def __str__(self) -> str:
        return self.address or str(_("(address erased)"))

    @staticmethod
    def hash_address(address: str) -> str:
        """HMAC-SHA256 (keyed with SECRET_KEY) of the address, compared case-insensitively: 64 hex
        characters. A plain hash of an address could be reversed by hashing a list of addresses."""
        local, _at, domain = address.strip().lower().rpartition("@")
        local = local.replace('"', "").replace("\\", "")  # "ana"@ and ana@ are one mailbox
        mailbox = f"{local}@{domain}"
        return salted_hmac("movement.suppression", mailbox, algorithm="sha256").hexdigest()


class LocalHost(models.Model):
    """An organizer who hosts actions in some cities. In the admin a member of the "local host" group
    sees and edits only the actions in their cities and those actions' signups (see actions/roles.py)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), related_name="local_host", on_delete=models.CASCADE
    )
    cities = models.ManyToManyField(City, verbose_name=_("cities"), related_name="local_hosts")

    class Meta:
        verbose_name = _("local host")
        verbose_name_plural = _("local hosts")

    def __str__(self) -> str:
        return str(self.user)


class AccessLogKind(models.TextChoices):
    VIEW = "view", _("Viewed a signup's contact details")
    LIST = "list", _("Listed signups")
    EXPORT = "export", _("Exported signups")


class AccessLog(models.Model):
    """Who saw volunteers' contact details in the admin, and when: one row per signup page opened
    and per export. It names the signups by id, never by their details."""

    Kind = AccessLogKind

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), related_name="+", on_delete=models.SET_NULL, null=True
    )
    username = models.CharField(_("username"), max_length=150)  # kept if the account is deleted
    kind = models.CharField(_("what"), max_length=10, choices=AccessLogKind.choices)
    signup = models.ForeignKey(
        Signup, verbose_name=_("signup"), related_name="+", on_delete=models.SET_NULL, null=True, blank=True
    )
    signup_count = models.PositiveIntegerField(_("signups"))
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("access to volunteers' data")
        verbose_name_plural = _("accesses to volunteers' data")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=AccessLogKind.values), name="accesslog_kind_known"),
        ]

    def __str__(self) -> str:
        return f"{self.username}: {self.get_kind_display()}"
