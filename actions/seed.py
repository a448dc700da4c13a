"""Load a day of action (campaign, cities, actions, demands, outcomes) from the data files kept in
`actions/data/`. The June 30, 2023 file is written from the movement's own announcement."""

import datetime
import json
import zoneinfo
from pathlib import Path

from django.db import connection, models, transaction

from demands.models import Demand, Outcome
from demands.services import demand_status_change

from .models import Action, Campaign, City, Organization

DATA_DIR = Path(__file__).resolve().parent / "data"
JUNE_30 = DATA_DIR / "june30.json"


def _localized(data: dict, *fields: str) -> dict:
    """{"title": {"en": "A", "es": "B"}} -> {"title_en": "A", "title_es": "B"}."""
    return {f"{field}_{code}": text for field in fields for code, text in data[field].items()}


def _upsert(model: type[models.Model], lookup: dict, values: dict, *, reset: bool, m2m: dict | None = None):
    """Create the row if missing; update it only with `reset`, so organizers' edits survive a reload.

    Returns (obj, changed). Raises ValidationError if the data breaks a model rule.
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is not None and not reset:
        return obj, False
    obj = obj or model(**lookup)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean(exclude=list(m2m or ()))
    obj.save()
    for name, related in (m2m or {}).items():
        getattr(obj, name).set(related)
    return obj, True


def _whole_day(date: datetime.date, zone: zoneinfo.ZoneInfo) -> tuple[datetime.datetime, datetime.datetime]:
    """A day whose hours are not yet announced: local midnight to 23:59, as aware datetimes."""
    return (
        datetime.datetime.combine(date, datetime.time(0, 0), zone),
        datetime.datetime.combine(date, datetime.time(23, 59), zone),
    )


def _lock_against_a_concurrent_load() -> None:
    """Two loads at once (two containers starting) would both find a row missing and both insert it.
    On PostgreSQL the second waits here until the first commits, then finds the data loaded. (On
    SQLite the second fails with "database is locked" and writes nothing.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('movement.load_day_of_action'))")


def _action_slug(campaign_slug: str, city_slug: str | None) -> str:
    return f"{campaign_slug}-{city_slug or 'online'}"


def _already_loaded(data: dict) -> bool:
    action_slugs = [_action_slug(data["campaign"]["slug"], slug) for slug in data["actions"]["cities"]]
    return (
        Campaign.objects.filter(slug=data["campaign"]["slug"]).exists()
        or Action.objects.filter(slug__in=action_slugs).exists()
        or Outcome.objects.filter(slug__in=[o["slug"] for o in data["outcomes"]]).exists()
    )


@transaction.atomic
def load_day_of_action(path: Path = JUNE_30, *, reset: bool = False) -> int:
    """Load the day of action in `path` (JSON); returns how many rows were created or reset.

    Once any of its campaign, actions or outcomes exists the data belongs to the organizers: a
    rerun changes nothing, so what they edited, renamed or deleted stays that way. With `reset`,
    every row is put back as in the file (matched by slug; rows they added are left alone).
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    _lock_against_a_concurrent_load()
    if not reset and _already_loaded(data):
        return 0
    changed = 0

    def upsert(*args, **kwargs):
        nonlocal changed
        obj, did = _upsert(*args, reset=reset, **kwargs)
        changed += did
        return obj

    organizations = {
        o["slug"]: upsert(
            Organization,
            {"slug": o["slug"]},
            {"website": o["website"], "country": o["country"], **_localized(o, "name")},
        )
        for o in data["organizations"]
    }
    demands = {
        d["slug"]: upsert(
            Demand,
            {"slug": d["slug"]},
            {
                "target": d["target"],
                "status": d["history"][-1]["status"],
                "ordering": d["ordering"],
                **_localized(d, "title", "description"),
            },
        )
        for d in data["demands"]
    }
    c = data["campaign"]
    campaign = upsert(
        Campaign,
        {"slug": c["slug"]},
        {
            "start_date": datetime.date.fromisoformat(c["start_date"]),
            "end_date": datetime.date.fromisoformat(c["end_date"]),
            "time_zone": c["time_zone"],
            **_localized(c, "title", "summary", "description"),
        },
        m2m={"demands": [demands[s] for s in c["demands"]]},
    )
    cities = {
        city["slug"]: upsert(
            City,
            {"slug": city["slug"]},
            {
                "country": city["country"],
                "time_zone": city["time_zone"],
                "latitude": city["latitude"],
                "longitude": city["longitude"],
                **_localized(city, "name", "region"),
            },
        )
        for city in data["cities"]
    }
    a = data["actions"]
    date = datetime.date.fromisoformat(a["date"])
    actions = []
    for slug in a["cities"]:
        city = cities.get(slug)
        titles = (
            {f"title_{code}": text.format(city=getattr(city, f"name_{code}")) for code, text in a["title"].items()}
            if city
            else {f"title_{code}": text for code, text in a["online_title"].items()}
        )
        starts_at, ends_at = _whole_day(date, zoneinfo.ZoneInfo(city.time_zone if city else campaign.time_zone))
        actions.append(
            upsert(
                Action,
                {"slug": _action_slug(c["slug"], slug)},
                {
                    "campaign": campaign,
                    "city": city,
                    "kind": Action.Kind.OTHER if city else Action.Kind.ONLINE_EVENT,
                    "status": Action.Status.PUBLISHED,
                    "starts_at": starts_at,
                    "ends_at": ends_at,
                    "time_to_be_announced": True,
                    **titles,
                    **_localized(a, "description"),
                },
                m2m={
                    "hosts": [organizations[slug] for slug in a["hosts"]],
                    "demands": [demands[s] for s in a["demands"]],
                },
            )
        )
    outcomes = {}
    for o in data["outcomes"]:
        outcomes[o["slug"]] = upsert(
            Outcome,
            {"slug": o["slug"]},
            {
                "kind": o["kind"],
                "source_language": o["source_language"],
                "country": o["country"],
                "campaign": campaign,
                **_localized(o, "title", "institution", "description"),
            },
            m2m={"demands": [demands[s] for s in o["demands"]], "actions": actions},
        )
    for d in data["demands"]:
        if reset or not demands[d["slug"]].status_changes.exists():
            changed += _load_history(demands[d["slug"]], d["history"], outcomes)
    return changed


def _load_history(demand: Demand, steps: list[dict], outcomes: dict[str, Outcome]) -> int:
    """Replace the demand's status history with the file's steps; returns how many were written."""
    demand.status_changes.all().delete()
    for step in steps:
        demand_status_change(
            demand=demand,
            status=step["status"],
            note=step["note"],
            date=step["date"] and datetime.date.fromisoformat(step["date"]),
            outcome=outcomes.get(step["outcome"]) if step.get("outcome") else None,
        )
    return len(steps)


EXAMPLE_SLUG = "example-day-of-action"
EXAMPLE_CITIES = {
    "tapachula": ("Tapachula", "Chiapas", "MX", "America/Mexico_City", "14.90541", "-92.25891"),
    "san-francisco": ("San Francisco", "California", "US", "America/Los_Angeles", "37.77493", "-122.41942"),
}


def load_upcoming_example(*, today: datetime.date, weeks_ahead: int = 3) -> Campaign:
    """A clearly labelled example campaign `weeks_ahead` weeks after `today`, open to proposals from
    `today` to the day before, with two published actions (a vigil in Tapachula, a rally in San
    Francisco, each at 18:00 local time) that take signups and send reminders: a newcomer's demo.
    Running it again moves the example to `weeks_ahead` weeks after the new `today`, keeping
    signups. Nothing here is real: every title says "Example"."""
    day = today + datetime.timedelta(weeks=weeks_ahead)
    with transaction.atomic():
        campaign, _changed = _upsert(
            Campaign,
            {"slug": EXAMPLE_SLUG},
            {
                "title_en": "Example day of action (demo, not real)",
                "title_es": "Jornada de ejemplo (demostración, no es real)",
                "summary_en": "A made-up campaign to try signups, reminders and proposals.",
                "summary_es": "Una campaña inventada para probar inscripciones, recordatorios y propuestas.",
                "start_date": day,
                "end_date": day,
                "time_zone": "America/Mexico_City",
                "proposals_open_on": today,
                "proposals_close_on": day - datetime.timedelta(days=1),
            },
            reset=True,
            m2m={"demands": Demand.objects.all()},
        )
        for slug, kind, title_en, title_es in (
            ("tapachula", Action.Kind.VIGIL, "Example vigil in Tapachula", "Vigilia de ejemplo en Tapachula"),
            ("san-francisco", Action.Kind.RALLY, "Example rally in San Francisco", "Mitin de ejemplo en San Francisco"),
        ):
            city = _example_city(slug)
            starts_at = datetime.datetime.combine(day, datetime.time(18, 0), city.zone)
            _upsert(
                Action,
                {"slug": f"{EXAMPLE_SLUG}-{slug}"},
                {
                    "campaign": campaign,
                    "city": city,
                    "kind": kind,
                    "title_en": title_en,
                    "title_es": title_es,
                    "description_en": "An example action: sign up to see the emails a volunteer gets.",
                    "description_es": "Acción de ejemplo: inscríbase para ver los correos que recibe un voluntario.",
                    "venue": "Parque Central" if city.country == "MX" else "Civic Center Plaza",
                    "starts_at": starts_at.astimezone(datetime.UTC),
                    "ends_at": (starts_at + datetime.timedelta(hours=2)).astimezone(datetime.UTC),
                    "capacity": 30,
                    "status": Action.Status.PUBLISHED,
                },
                reset=True,
                m2m={"demands": Demand.objects.all()},
            )
    return campaign


def _example_city(slug: str) -> City:
    """The June 30 city of that slug, or the same city made from EXAMPLE_CITIES if it is missing."""
    city = City.objects.filter(slug=slug).first()
    if city is not None:
        return city
    name, region, country, zone, latitude, longitude = EXAMPLE_CITIES[slug]
    return City.objects.create(
        slug=slug,
        name_en=name,
        name_es=name,
        region_en=region,
        region_es=region,
        country=country,
        time_zone=zone,
        latitude=latitude,
        longitude=longitude,
    )
