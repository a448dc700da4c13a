import datetime
import zoneinfo

import factory
from django.utils import timezone

from actions.models import Action, Campaign, City, Organization, Signup
from demands.models import Demand, Outcome
from hosting.models import Proposal


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City

    name_en = factory.Sequence(lambda n: f"City {n}")
    name_es = factory.Sequence(lambda n: f"Ciudad {n}")
    region_en = "Chiapas"
    region_es = "Chiapas"
    country = "MX"
    time_zone = "America/Mexico_City"
    slug = factory.Sequence(lambda n: f"city-{n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name_en = factory.Sequence(lambda n: f"Organization {n}")
    name_es = factory.Sequence(lambda n: f"Organización {n}")
    slug = factory.Sequence(lambda n: f"organization-{n}")


class DemandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Demand

    title_en = factory.Sequence(lambda n: f"Demand {n}")
    title_es = factory.Sequence(lambda n: f"Demanda {n}")
    target = Demand.Target.BOTH
    slug = factory.Sequence(lambda n: f"demand-{n}")


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    title_en = factory.Sequence(lambda n: f"Campaign {n}")
    title_es = factory.Sequence(lambda n: f"Campaña {n}")
    start_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=10))
    end_date = factory.SelfAttribute("start_date")
    slug = factory.Sequence(lambda n: f"campaign-{n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    campaign = factory.SubFactory(CampaignFactory)
    city = factory.SubFactory(CityFactory)
    kind = Action.Kind.VIGIL
    title_en = factory.Sequence(lambda n: f"Vigil {n}")
    title_es = factory.Sequence(lambda n: f"Vigilia {n}")
    status = Action.Status.PUBLISHED
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(days=10)).replace(second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    slug = factory.Sequence(lambda n: f"action-{n}")


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    title_en = factory.Sequence(lambda n: f"Outcome {n}")
    title_es = factory.Sequence(lambda n: f"Logro {n}")
    institution_en = "National Human Rights Commission"
    institution_es = "Comisión Nacional de los Derechos Humanos"
    kind = Outcome.Kind.RECOMMENDATION
    date = datetime.date(2023, 8, 1)
    slug = factory.Sequence(lambda n: f"outcome-{n}")


class SignupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signup

    action = factory.SubFactory(ActionFactory)
    name = factory.Sequence(lambda n: f"Volunteer {n}")
    email = factory.Sequence(lambda n: f"volunteer{n}@example.org")
    language = "es"


class ConfirmedSignupFactory(SignupFactory):
    status = Signup.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)


def evening_in_five_days() -> datetime.datetime:
    """18:00 in Mexico City five days from today: two hours from then end the same day, whatever
    the hour the tests run."""
    day = timezone.localdate() + datetime.timedelta(days=5)
    return datetime.datetime.combine(day, datetime.time(18), zoneinfo.ZoneInfo("America/Mexico_City"))


class ProposalFactory(factory.django.DjangoModelFactory):
    """A proposal in Spanish for a campaign taking proposals, awaiting review (`submitted` as the
    host wrote it); `.build()` for one not yet saved, to hand to services.proposal_submit."""

    class Meta:
        model = Proposal

    campaign = factory.SubFactory(
        CampaignFactory,
        proposals_open_on=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1)),
    )
    status = Proposal.Status.SUBMITTED
    language = "es"
    title_es = "Vigilia por la paz"
    description_es = "Con velas."
    kind = Action.Kind.VIGIL
    city = factory.SubFactory(CityFactory)
    venue = "Parque Central"
    starts_at = factory.LazyFunction(evening_in_five_days)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    host_name = "Rosa Pérez"
    email = "rosa@example.org"
    submitted = factory.LazyAttribute(lambda o: {name: getattr(o, name, "") for name in TEXTS})


TEXTS = ("title_en", "title_es", "description_en", "description_es")


def local(year, month, day, hour, minute, zone):
    """An aware datetime at a wall-clock time in `zone` (an IANA name)."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=zoneinfo.ZoneInfo(zone))


# Names whose order as read differs from their bytes' order (the databases' collation C): accents and
# Ñ, and two names missing in Spanish, one NULL (Bacalar), one "" (Tulum), that Spanish pages show in
# English. Listed in neither order, so that the order of the rows' ids proves nothing either.
NAMES_TO_SORT = [
    ("Zacatecas", "Zacatecas"),
    ("Ñuñoa", "Ñuñoa"),
    ("Bacalar", None),
    ("Oaxaca", "Oaxaca"),
    ("Mexico City", "Ciudad de México"),
    ("Tulum", ""),
    ("Ávila", "Ávila"),
]
SPANISH_ORDER = ["Ávila", "Bacalar", "Ciudad de México", "Ñuñoa", "Oaxaca", "Tulum", "Zacatecas"]
ENGLISH_ORDER = ["Ávila", "Bacalar", "Mexico City", "Ñuñoa", "Oaxaca", "Tulum", "Zacatecas"]


def city_named(en: str, es: str | None, **fields) -> City:
    """A city without a region, so that str(city) is its name as read."""
    return CityFactory(name_en=en, name_es=es, region_en="", region_es="", **fields)


def cities_to_sort(**fields) -> list[City]:
    """A city for each of NAMES_TO_SORT, in that order."""
    return [city_named(en, es, **fields) for en, es in NAMES_TO_SORT]


def place(name: str, region: str, lat: float, lon: float, *, country="MX", postal_code="", population=0, **fields):
    """A GeoNames place, found by its name (a city) or its postal code, as import_places writes it."""
    from places.models import Place, PlaceName
    from places.text import search_key

    kind = Place.Kind.POSTAL_CODE if postal_code else Place.Kind.CITY
    made = Place.objects.create(
        kind=kind, country=country, postal_code=postal_code, name=name, region=region,
        region_keys=search_key(region), latitude=lat, longitude=lon, population=population, **fields,
    )  # fmt: skip
    if not postal_code:
        PlaceName.objects.create(place=made, name=name, key=search_key(name))
    return made
