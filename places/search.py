"""What a visitor's "near" text names: a postal code ("06600", "10001-1234", "06600, MX") or a city
("Tlaxcala", "Cd. Juárez", "Springfield, IL", "Puebla, México"), found in our GeoNames tables."""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from common.countries import Country

from .distance import distance_km
from .models import Place, PlaceName
from .text import search_key

# Five digits, or four whose leading zero a spreadsheet dropped ("6600"); a ZIP+4 with or without its dash.
POSTAL_CODE = re.compile(r"^(?:([0-9]{5})(?:-?[0-9]{4})?|([0-9]{4}))$")
# A city far more populous than the next of the same name is the one meant ("San Antonio" is Texas's
# 1.5 million, not one of a dozen villages); otherwise the visitor chooses.
DOMINANT = 10
CHOICES = 6
MATCHES = 200  # names read for one search, the most populous places first
COUNTRY_KEYS = {
    "US": {"us", "usa", "u s", "u s a", "united states", "estados unidos", "eeuu", "ee uu", "eua", "e u a"},
    "MX": {"mx", "mex", "mexico"},
}


@dataclass(frozen=True)
class Location:
    """A place to measure distances from, in decimal degrees; `query` is the text that names it alone
    (for links to it), `label` what to show."""

    label: str
    query: str
    country: str
    latitude: float
    longitude: float
    time_zone: str = ""  # a city's IANA zone; "" for a postal code (see time_zone_near)

    @property
    def point(self) -> tuple[float, float]:
        return self.latitude, self.longitude

    @classmethod
    def of(cls, place: Place, name: str = "") -> "Location":
        country = Country(place.country)
        if place.postal_code:
            label = f"{place.postal_code} ({', '.join(p for p in (place.name, place.region) if p)})"
            query = f"{place.postal_code}, {place.country}"
        else:
            # A name of several words is the visitor's language's ("Nueva York"); a single word may be
            # short for a longer one ("México" for Mexico City, "Juárez" for Ciudad Juárez).
            name = name if " " in name.strip() else place.name
            region = "" if search_key(place.region) == search_key(name) else place.region
            label = ", ".join(part for part in (name, region) if part)
            query = f"{label}, {place.country}"
        return cls(f"{label}, {country.label}", query, place.country, place.latitude, place.longitude, place.time_zone)


class PlaceProblem(Exception):
    """A text that names no one place: `message` for the visitor, `options` the Locations offered."""

    def __init__(self, message, options: list[Location]):
        super().__init__(message)
        self.message, self.options = message, options

    def with_options(self) -> str:
        """The message and the options' texts, for where they cannot be links (the API, the admin):
        "There is more than one “Springfield”. Which one? Try: Springfield, Illinois, US; …"."""
        if not self.options:
            return str(self.message)
        return self.message + _(" Try: %(places)s.") % {"places": "; ".join(o.query for o in self.options)}


class PlaceNotFound(PlaceProblem):
    """No place by that text; its options (`suggestions`) are places it may have meant, possibly none."""

    @property
    def suggestions(self) -> list[Location]:
        return self.options


class AmbiguousPlace(PlaceProblem):
    """More than one place by that text: its options (`choices`), the most populous first."""

    @property
    def choices(self) -> list[Location]:
        return self.options


def locate(text: str, *, country: str = "") -> Location:
    """The place `text` names, in `country` ("US", "MX") if given or if `text` ends with one
    (", MX"), else in either. Raises PlaceNotFound or AmbiguousPlace, whose messages are for visitors."""
    place, qualifiers = _split(unicodedata.normalize("NFKC", text))  # "０６６００" is 06600
    # Only the last part may be a country: "Colonia Juárez, México, MX" is in the State of México.
    if qualifiers and (found := next((c for c, keys in COUNTRY_KEYS.items() if qualifiers[-1] in keys), None)):
        country = found
        qualifiers.pop()
    if match := POSTAL_CODE.match(place.replace(" ", "")):
        return _postal_code(match[1] or match[2].zfill(5), country)
    return _city(place, qualifiers, country)


def _split(text: str) -> tuple[str, list[str]]:
    """ "Juárez, Chihuahua, MX" -> ("Juárez", ["chihuahua", "mx"]); "10001 US" -> ("10001", ["us"])."""
    parts = [part.strip() for part in text.split(",")]
    if len(parts) == 1 and (match := re.match(r"^([0-9]{5}(?:-[0-9]{4})?)\s+([^0-9]+)$", parts[0])):
        parts = [match[1], match[2]]
    return parts[0], [key for part in parts[1:] if (key := search_key(part))]


def _postal_code(code: str, country: str) -> Location:
    places = list(Place.objects.filter(kind=Place.Kind.POSTAL_CODE, postal_code=code).order_by("country"))
    elsewhere = [place for place in places if country and place.country != country]
    places = [place for place in places if place not in elsewhere]
    if elsewhere and not places:
        message = _("%(code)s is a postal code in %(other)s, not in %(country)s.") % {
            "code": code,
            "other": Country(elsewhere[0].country).label,
            "country": Country(country).label,
        }
        raise PlaceNotFound(message, [Location.of(place) for place in elsewhere])
    if len(places) == 1:
        return Location.of(places[0])
    if places:
        raise AmbiguousPlace(
            _("%(code)s is a postal code in both countries. Which one?") % {"code": code},
            [Location.of(place) for place in places],
        )
    nearby = Place.objects.filter(kind=Place.Kind.POSTAL_CODE, postal_code__startswith=code[:3])
    if country:
        nearby = nearby.filter(country=country)
    suggestions = [Location.of(place) for place in nearby.order_by("postal_code", "country")[:CHOICES]]
    raise PlaceNotFound(_("We do not know the postal code %(code)s.") % {"code": code}, suggestions)


def _city(text: str, qualifiers: list[str], country: str) -> Location:
    key = search_key(text)
    if not key:
        raise PlaceNotFound(_("Enter a ZIP code, código postal or city."), [])
    names = _named(PlaceName.objects.matching(key)[:MATCHES], qualifiers, country)
    if not names and any(key in keys for keys in COUNTRY_KEYS.values()):  # "MX", "Estados Unidos" alone
        raise PlaceNotFound(_("Enter a ZIP code, código postal or city."), [])
    own = [name for name in names if search_key(name.place.name) == key]
    if qualifiers and own:
        # A name with its state is a place's own ("Midway, Florida", as the choices offered write it),
        # not another's alternate: of those, no label tells them apart, so the most populous.
        return Location.of(own[0].place, own[0].name)
    if _meant(names, own):
        return Location.of(names[0].place, names[0].name)
    if names:
        raise AmbiguousPlace(_("There is more than one “%(place)s”. Which one?") % {"place": text}, _options(names))
    raise PlaceNotFound(
        _("We could not find “%(place)s”. Enter a 5-digit ZIP code or código postal, or the name of a city or town.")
        % {"place": text},
        _suggestions(key, country),
    )


def _meant(names: list[PlaceName], own: list[PlaceName]) -> bool:
    """Whether the first of `names` (the most populous place) is the one meant: the only one, far more
    populous than the next (DOMINANT), or the only one, or far the most populous, of those that bear
    the name as their own rather than as an alternate ("Tlaxcala", the state's capital, not San
    Agustín Tlaxiaca, also called so; "El Paso", Texas, not Illinois)."""
    if len(names) < 2:
        return bool(names)
    if names[0].place.population >= DOMINANT * names[1].place.population:
        return True
    if not own or own[0] is not names[0]:
        return False
    return len(own) == 1 or own[0].place.population >= DOMINANT * own[1].place.population


def _options(names: list[PlaceName]) -> list[Location]:
    """Up to CHOICES places to choose among, by their own names, each label once."""
    options: dict[str, Location] = {}
    for name in names:
        location = Location.of(name.place)
        options.setdefault(location.label, location)
    return list(options.values())[:CHOICES]


def _named(names, qualifiers: list[str], country: str) -> list[PlaceName]:
    """One name per place (the first), of places in `country` and in the regions `qualifiers` name."""
    places: dict[int, PlaceName] = {}
    for name in names:
        place = name.place
        if country and place.country != country:
            continue
        if any(f" {q} " not in f" {place.region_keys} " for q in qualifiers):
            continue
        places.setdefault(place.pk, name)
    return list(places.values())


def _suggestions(key: str, country: str) -> list[Location]:
    """Cities whose name starts as `key` does (a name half typed), then by ever shorter beginnings (a
    typo towards the end): at most four queries; none for fewer than three letters."""
    if len(key) < 3:
        return []
    for length in sorted({len(key), max(3, len(key) - 1), max(3, len(key) * 2 // 3), 3}, reverse=True):
        names = _named(PlaceName.objects.matching(key[:length], prefix=True)[:MATCHES], [], country)
        if names:
            return _options(names)
    return []


def time_zone_near(location: Location) -> str:
    """`location`'s time zone, or that of the nearest city within about 100 km; "" if none."""
    if location.time_zone:
        return location.time_zone
    lat, lon = location.latitude, location.longitude
    cities = Place.objects.filter(
        kind=Place.Kind.CITY, latitude__range=(lat - 1, lat + 1), longitude__range=(lon - 1, lon + 1)
    ).exclude(time_zone="")
    nearest = cities.annotate(distance=distance_km("latitude", "longitude", to=(lat, lon))).order_by("distance")
    return nearest.values_list("time_zone", flat=True).first() or ""
