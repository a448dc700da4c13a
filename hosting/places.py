"""The City a proposal takes place in, from the place its host typed (a postal code or a city, found
with places.search.locate as the search finds it): a City we have, or a new one from GeoNames."""

import itertools
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, FloatField, Q
from django.db.models.functions import Cast
from django.utils.text import slugify

from actions.models import City
from places.distance import bounding_box, distance_km
from places.models import Place, PlaceName
from places.search import POSTAL_CODE, Location, time_zone_near
from places.text import search_key

SAME_CITY_KM = 30  # an existing city of the same name this close is the one meant


class UnknownTimeZone(Exception):
    """No city near the place has a time zone to read its times in (about 100 km around)."""


@dataclass(frozen=True)
class Town:
    """The town or city a Location lies in, as GeoNames names it; `keys` are the search keys of all
    its names (its own and GeoNames' alternates: "new york" for New York City)."""

    name: str
    region: str
    country: str
    latitude: float
    longitude: float
    time_zone: str
    keys: frozenset[str]


def town_for(location: Location) -> Town:
    """The town `location` names: the city itself, or for a postal code the city it belongs to.

    A postal code's own name is a settlement in Mexico ("Juárez" for 06600, a neighbourhood of Mexico
    City), so its town is the city within SAME_CITY_KM that pulls hardest (population over squared
    distance): Mexico City for 06600, Guadalajara rather than the larger Zapopan 6 km away for 44100.
    Without one, the postal code's own name."""
    point = location.point
    code = location.query.partition(",")[0].replace(" ", "")  # a postal code's query is "06600, MX"
    place: Place | None
    if POSTAL_CODE.match(code):
        (south, north), (west, east) = bounding_box(point, SAME_CITY_KM)
        distance = distance_km("latitude", "longitude", to=point)
        place = (
            Place.objects.filter(
                kind=Place.Kind.CITY,
                country=location.country,
                latitude__range=(south, north),
                longitude__range=(west, east),
            )
            .annotate(distance=distance)
            .filter(distance__lte=SAME_CITY_KM)
            .annotate(pull=Cast(F("population"), FloatField()) / ((F("distance") + 1) * (F("distance") + 1)))
            .order_by("-pull", "pk")
            .first()
        )
        if place is None:
            place = Place.objects.filter(
                kind=Place.Kind.POSTAL_CODE, country=location.country, postal_code=code
            ).first()
    else:
        # Location.of copies the city's coordinates: they find it again.
        place = (
            Place.objects.filter(
                kind=Place.Kind.CITY,
                country=location.country,
                latitude=location.latitude,
                longitude=location.longitude,
            )
            .order_by("-population", "pk")
            .first()
        )
    if place is None:  # the places were imported anew meanwhile: the Location's own words
        name = location.label.partition(",")[0].strip()
        return Town(name, "", location.country, *point, location.time_zone, frozenset({search_key(name)}))
    keys = {search_key(place.name), *PlaceName.objects.filter(place=place).values_list("key", flat=True)}
    if " " in location.label.partition(",")[0].strip():
        keys.add(search_key(location.label.partition(",")[0]))  # the visitor's name for it ("Nueva York")
    return Town(
        place.name,
        place.region,
        place.country,
        place.latitude,
        place.longitude,
        place.time_zone,
        frozenset(keys - {""}),
    )


def city_match(location: Location) -> City:
    """The City for `location`: one we have in the same country whose name (in any language, any
    case or accents) is one of its town's names, within SAME_CITY_KM of the place if the City has
    coordinates, else in the same region; nearest first. Otherwise a new City from the town, not yet
    saved (pk None; see city_save), in the town's time zone or else the nearest city's.

    Raises UnknownTimeZone if a new City would have no zone."""
    town = town_for(location)
    # A City without coordinates reads as the antipodes (see GreatCircleKm): last, matched by region.
    candidates = (
        City.objects.filter(country=town.country)
        .annotate(distance=distance_km("latitude", "longitude", to=location.point))
        .filter(Q(latitude__isnull=True) | Q(longitude__isnull=True) | Q(distance__lte=SAME_CITY_KM))
        .order_by("distance", "pk")
    )
    region = search_key(town.region)
    for city in candidates:
        if not town.keys & _keys(city, "name"):
            continue
        if city.latitude is not None and city.longitude is not None or region in _keys(city, "region"):
            return city
    zone = town.time_zone or time_zone_near(location)
    if not zone:
        raise UnknownTimeZone
    return City(
        name_en=town.name[:100],
        region_en=town.region[:100],
        country=town.country,
        latitude=Decimal(f"{town.latitude:.5f}"),
        longitude=Decimal(f"{town.longitude:.5f}"),
        time_zone=zone,
    )


def _field(city: City, field: str, language: str = "en") -> str:
    """`city`'s `field` ("name", "region") in `language`, as stored (modeltranslation's columns)."""
    return getattr(city, f"{field}_{language}", None) or ""


def _keys(city: City, field: str) -> set[str]:
    """The search keys of `city`'s `field` in each language."""
    return {search_key(_field(city, field, code)) for code, _name in settings.LANGUAGES}


def city_save(city: City) -> City:
    """Save `city` if it is new (from city_match), with a unique slug from its name and region
    ("tapachula-chiapas", then "tapachula-chiapas-2"...); a saved City is returned as it is."""
    if city.pk is not None:
        return city
    base = slugify(f"{_field(city, 'name')} {_field(city, 'region')}")[:90].strip("-") or "city"
    taken = set(City.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slugs = (base if number == 1 else f"{base}-{number}" for number in itertools.count(1))
    for slug in slugs:
        if slug in taken:
            continue
        city.slug = slug
        try:
            with transaction.atomic():  # a savepoint: a slug taken meanwhile tries the next one
                city.save(force_insert=True)
        except IntegrityError:
            if not City.objects.filter(slug=slug).exists():
                raise
            city.pk = None
            continue
        return city
    raise AssertionError("unreachable: the slugs never run out")


def city_for_location(location: Location) -> City:
    """The City for `location` (see city_match), created if we have none. Raises UnknownTimeZone."""
    return city_save(city_match(location))
