from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.countries import Country
from common.markup import MARKDOWN_HELP, valid_markdown

from .querysets import DemandQuerySet, OutcomeQuerySet


class DemandTarget(models.TextChoices):
    US = "us", _("US government")
    MX = "mx", _("Mexican government")
    BOTH = "both", _("Both governments")


class DemandStatus(models.TextChoices):
    RAISED = "raised", _("Raised")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    COMMITMENT = "commitment", _("Commitment obtained")
    PARTIALLY_MET = "partially_met", _("Partially met")
    MET = "met", _("Met")
    REJECTED = "rejected", _("Rejected")


# The managers of translated models are declared for the type checker: see actions.models.CityManager.
DemandManager = models.Manager.from_queryset(DemandQuerySet)


class Demand(models.Model):
    """A demand the movement presses on one or both governments, with where it stands now."""

    Target = DemandTarget
    Status = DemandStatus

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, validators=[valid_markdown], help_text=MARKDOWN_HELP)
    target = models.CharField(_("target"), max_length=4, choices=DemandTarget.choices)
    status = models.CharField(_("status"), max_length=15, choices=DemandStatus.choices, default=DemandStatus.RAISED)
    ordering = models.PositiveSmallIntegerField(_("ordering"), default=0, help_text=_("Lower comes first."))
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    objects: ClassVar[DemandManager["Demand"]] = DemandManager()
    _default_manager: ClassVar[DemandManager["Demand"]]

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        ordering = ["ordering", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(target__in=DemandTarget.values), name="demand_target_known"),
            models.CheckConstraint(condition=models.Q(status__in=DemandStatus.values), name="demand_status_known"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("demands:demand_detail", kwargs={"slug": self.slug})

    def take_status_from_history(self) -> None:
        """Set the status to the latest step's, after steps were deleted (no step: left as it is)."""
        if latest := self.status_changes.last():
            type(self).objects.filter(pk=self.pk).update(status=latest.status)
            self.status = latest.status


def not_in_the_future(date) -> None:
    """Raises ValidationError for a date after today (in TIME_ZONE): a step records what happened."""
    if date and date > timezone.localdate():
        raise ValidationError(_("This date is in the future."), code="future")


class DemandStatusChange(models.Model):
    """One dated step in a demand's history: the status it reached, the outcome that justifies it,
    and a short note. Steps are in the order they were recorded, and the demand's `status` is always
    the latest one's."""

    demand = models.ForeignKey(
        Demand, verbose_name=_("demand"), related_name="status_changes", on_delete=models.CASCADE
    )
    date = models.DateField(
        _("date"), null=True, blank=True, validators=[not_in_the_future], help_text=_("Empty if not known.")
    )
    status = models.CharField(_("status"), max_length=15, choices=DemandStatus.choices)
    outcome = models.ForeignKey(
        "Outcome",
        verbose_name=_("outcome that justifies it"),
        related_name="status_changes",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    note = models.CharField(_("note"), max_length=300)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    objects: ClassVar[models.Manager["DemandStatusChange"]]  # Django's default manager
    _default_manager: ClassVar[models.Manager["DemandStatusChange"]]

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=DemandStatus.values), name="demand_status_change_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.demand}: {self.get_status_display()}"


class OutcomeKind(models.TextChoices):
    RECOMMENDATION = "recommendation", _("Recommendation")
    COMMITMENT = "commitment", _("Commitment")
    POLICY_CHANGE = "policy_change", _("Policy change")
    RULING = "ruling", _("Ruling")
    STATEMENT = "statement", _("Statement")
    OTHER = "other", _("Other")


class SourceLanguage(models.TextChoices):
    EN = "en", _("English")
    ES = "es", _("Spanish")


OutcomeManager = models.Manager.from_queryset(OutcomeQuerySet)


class Outcome(models.Model):
    """Something the movement won or drew out: a recommendation, a commitment, a ruling..."""

    Kind = OutcomeKind
    Language = SourceLanguage

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, validators=[valid_markdown], help_text=MARKDOWN_HELP)
    date = models.DateField(_("date"), null=True, blank=True, help_text=_("Empty while not yet confirmed."))
    kind = models.CharField(_("kind"), max_length=20, choices=OutcomeKind.choices)
    institution = models.CharField(_("institution"), max_length=200)
    country = models.CharField(
        _("country"), max_length=2, choices=Country.choices, blank=True, help_text=_("Empty if binational.")
    )
    source_url = models.URLField(_("source link"), blank=True)
    source_language = models.CharField(
        _("language of the source"), max_length=2, choices=SourceLanguage.choices, default=SourceLanguage.ES
    )
    demands = models.ManyToManyField(Demand, verbose_name=_("demands advanced"), related_name="outcomes", blank=True)
    campaign = models.ForeignKey(
        "actions.Campaign",
        verbose_name=_("campaign"),
        related_name="outcomes",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    actions = models.ManyToManyField(
        "actions.Action", verbose_name=_("actions that pressed for it"), related_name="outcomes", blank=True
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    objects: ClassVar[OutcomeManager["Outcome"]] = OutcomeManager()
    _default_manager: ClassVar[OutcomeManager["Outcome"]]

    # The columns of each language that modeltranslation adds (translation.py), where read by name.
    institution_en: str
    institution_es: str

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = [models.F("date").desc(nulls_last=True), "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=OutcomeKind.values), name="outcome_kind_known"),
            models.CheckConstraint(
                condition=models.Q(source_language__in=SourceLanguage.values), name="outcome_source_language_known"
            ),
            models.CheckConstraint(condition=models.Q(country__in=[*Country.values, ""]), name="outcome_country_known"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("demands:outcome_detail", kwargs={"slug": self.slug})

    @property
    def source_language_label(self) -> str:
        """ "Available in Spanish" / "Disponible en español", in the active language."""
        labels: dict[str, str] = {
            self.Language.EN: gettext("Available in English"),
            self.Language.ES: gettext("Available in Spanish"),
        }
        return labels[self.source_language]
