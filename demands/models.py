from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

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


class Demand(models.Model):
    """A demand the movement presses on one or both governments, with where it stands now."""

    Target = DemandTarget
    Status = DemandStatus

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    target = models.CharField(_("target"), max_length=4, choices=DemandTarget.choices)
    status = models.CharField(_("status"), max_length=15, choices=DemandStatus.choices, default=DemandStatus.RAISED)
    ordering = models.PositiveSmallIntegerField(_("ordering"), default=0, help_text=_("Lower comes first."))
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    objects = DemandQuerySet.as_manager()

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


class Outcome(models.Model):
    """Something the movement won or drew out: a recommendation, a commitment, a ruling..."""

    Kind = OutcomeKind
    Language = SourceLanguage

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    date = models.DateField(_("date"), null=True, blank=True, help_text=_("Empty while not yet confirmed."))
    kind = models.CharField(_("kind"), max_length=20, choices=OutcomeKind.choices)
    institution = models.CharField(_("institution"), max_length=200)
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

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = [models.F("date").desc(nulls_last=True), "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=OutcomeKind.values), name="outcome_kind_known"),
            models.CheckConstraint(
                condition=models.Q(source_language__in=SourceLanguage.values), name="outcome_source_language_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("demands:outcome_detail", kwargs={"slug": self.slug})

    @property
    def source_language_label(self) -> str:
        """ "Available in Spanish" / "Disponible en español", in the active language."""
        labels = {self.Language.EN: _("Available in English"), self.Language.ES: _("Available in Spanish")}
        return labels[self.source_language]
