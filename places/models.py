"""Postal codes and cities of the coalition's two countries, from GeoNames (CC BY 4.0), imported by
`manage.py import_places` (places/geonames.py): what a visitor's "near" search is matched against."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.countries import Country

from .querysets import PlaceNameQuerySet


class PlaceKind(models.TextChoices):
    POSTAL_CODE = "postal_code", _("postal code")
    CITY = "city", _("city")


class Place(models.Model):
    """A postal code's centroid (the mean of its GeoNames entries) or a city's centre, in decimal degrees."""

    Kind = PlaceKind

    kind = models.CharField(_("kind"), max_length=20, choices=PlaceKind.choices)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    name = models.CharField(_("name"), max_length=200)
    region = models.CharField(_("state or region"), max_length=100, blank=True)
    # The region's key (places.text.search_key) and, in the US, its two-letter code: "ny", "chihuahua".
    region_keys = models.CharField(max_length=120, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    population = models.PositiveIntegerField(_("population"), default=0)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)

    objects: ClassVar[models.Manager["Place"]]
    _default_manager: ClassVar[models.Manager["Place"]]

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            # The code first: a search by a code alone ("06600") reads this index.
            models.UniqueConstraint(
                fields=["postal_code", "country"],
                condition=models.Q(kind=PlaceKind.POSTAL_CODE),
                name="place_postal_code_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=PlaceKind.CITY, postal_code="")
                | models.Q(kind=PlaceKind.POSTAL_CODE) & ~models.Q(postal_code=""),
                name="place_postal_code_for_postal_codes_only",
            ),
        ]
        # Codes that begin alike, the suggestions for an unknown one (see PlaceName's key index).
        indexes = [
            models.Index(fields=["postal_code"], name="place_postal_code_idx", opclasses=["varchar_pattern_ops"])
        ]

    def __str__(self) -> str:
        place = ", ".join(part for part in (self.name, self.region) if part)
        return f"{self.postal_code} {place}" if self.postal_code else place


PlaceNameManager = models.Manager.from_queryset(PlaceNameQuerySet)


class PlaceName(models.Model):
    """One way of writing a city's name (GeoNames' alternate names in the Latin alphabet), by its key."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=200)
    key = models.CharField(max_length=200)

    objects: ClassVar[PlaceNameManager["PlaceName"]] = PlaceNameManager()
    _default_manager: ClassVar[PlaceNameManager["PlaceName"]]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "place"], name="place_name_unique")]
        # varchar_pattern_ops: prefix searches (LIKE 'tapach%') use the index whatever the collation
        # (PostgreSQL only; other databases ignore opclasses).
        indexes = [models.Index(fields=["key"], name="place_name_key_idx", opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return self.name
