"""Synthetic data at the scale of a national day of action, for benchmarks and load tests: cities,
campaigns, actions, signups, demands and outcomes written with bulk inserts.

Every volunteer address it writes ends in LOAD_DOMAIN, so that real signups can be told apart (and
the generator refuses to run beside them). Figures come from the largest recent days of action:
about 2,700 local events and three quarters of a million advance signups (issue 8)."""

import datetime
import random
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from demands.models import Demand, DemandStatusChange, Outcome

from .models import Action, Campaign, City, Signup

LOAD_DOMAIN = "@load.invalid"
US_ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles"]
MX_ZONES = ["America/Mexico_City", "America/Monterrey", "America/Chihuahua", "America/Hermosillo", "America/Tijuana"]
# Where load cities are put, at random: about the countries' extents (latitudes, longitudes).
BOUNDS = {"US": ((26.0, 48.0), (-122.0, -71.0)), "MX": ((15.5, 31.5), (-115.0, -87.5))}
# Live signups of an action, by status; cancelled ones on top. Confirmed never exceed capacity.
SIGNUP_MIX = {"confirmed": 0.7, "pending": 0.1, "waitlisted": 0.05, "cancelled": 0.15}
BATCH = 5000


@dataclass(frozen=True)
class Scale:
    cities: int = 300
    campaigns: int = 3
    actions: int = 3000
    signups: int = 300_000
    demands: int = 30
    outcomes: int = 200


class RealSignupsPresent(Exception):
    """The database holds signups the generator did not write."""


def has_real_signups() -> bool:
    return Signup.objects.exclude(email__endswith=LOAD_DOMAIN).exists()


@transaction.atomic
def generate(scale: Scale = Scale(), *, force: bool = False, seed: int = 30) -> dict[str, int]:
    """Write `scale`'s rows (on top of what exists); returns how many of each were written.

    Actions start from two days after now to 60 days later, so that no reminder is due; a tenth
    are past, a twentieth drafts, a twentieth cancelled. Raises RealSignupsPresent if the database
    holds signups the generator did not write, unless `force`."""
    if not force and has_real_signups():
        raise RealSignupsPresent("This database holds real signups; pass --force to write load data beside them.")
    rng = random.Random(seed)
    tag = secrets.token_hex(3)  # slugs and addresses stay unique over several runs
    now = timezone.now()
    cities = _cities(scale, rng, tag)
    campaigns = _campaigns(scale, tag, now)
    demands = _demands(scale, tag)
    actions = _actions(scale, rng, tag, now, cities, campaigns)
    through = Action.demands.through
    through.objects.bulk_create(
        [through(action_id=a.pk, demand_id=rng.choice(demands).pk) for a in actions], batch_size=BATCH
    )
    per_action = scale.signups // len(actions) if actions else 0  # Scale(signups=0): none, as asked
    signups = add_signups(actions, per_action=per_action, rng=rng, tag=tag, now=now) if per_action else 0
    _outcomes(scale, rng, tag, campaigns, demands)
    if connection.vendor == "postgresql":
        # Statistics now, as a database in use has them: without, the planner guesses (a name search
        # took 600 ms instead of 40 until autovacuum came by).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "cities": len(cities),
        "campaigns": len(campaigns),
        "actions": len(actions),
        "signups": signups,
        "demands": len(demands),
        "outcomes": scale.outcomes,
    }


def _cities(scale, rng, tag):
    cities = []
    for n in range(scale.cities):
        country = "US" if n % 3 else "MX"
        zone = rng.choice(US_ZONES if country == "US" else MX_ZONES)
        (south, north), (west, east) = BOUNDS[country]
        cities.append(
            City(
                name_en=f"Load city {n}",
                name_es=f"Ciudad de carga {n}",
                country=country,
                time_zone=zone,
                latitude=round(rng.uniform(south, north), 5),
                longitude=round(rng.uniform(west, east), 5),
                slug=f"load-{tag}-city-{n}",
            )
        )
    return City.objects.bulk_create(cities, batch_size=BATCH)


def _campaigns(scale, tag, now):
    return Campaign.objects.bulk_create(
        Campaign(
            title_en=f"Load day of action {n}",
            title_es=f"Jornada de carga {n}",
            start_date=(now + datetime.timedelta(days=2 + 20 * n)).date(),
            end_date=(now + datetime.timedelta(days=2 + 20 * n + 20)).date(),
            time_zone="America/Mexico_City",
            slug=f"load-{tag}-campaign-{n}",
        )
        for n in range(scale.campaigns)
    )


def _demands(scale, tag):
    demands = Demand.objects.bulk_create(
        Demand(
            title_en=f"Load demand {n}", title_es=f"Demanda de carga {n}", target="both", slug=f"load-{tag}-demand-{n}"
        )
        for n in range(scale.demands)
    )
    DemandStatusChange.objects.bulk_create(
        DemandStatusChange(demand=d, status="raised", note_en="Raised.", note_es="Planteada.") for d in demands
    )
    return demands


def _actions(scale, rng, tag, now, cities, campaigns):
    kinds = [k for k in Action.Kind.values if k != Action.Kind.ONLINE_EVENT]
    actions = []
    for n in range(scale.actions):
        online = n % 30 == 0
        past = n % 10 == 1
        window = (-30, 28) if past else (2, 58)  # days from now, and their span
        start = now + datetime.timedelta(days=window[0], minutes=rng.randrange(0, window[1] * 24 * 60))
        status = Action.Status.DRAFT if n % 20 == 2 else Action.Status.CANCELLED if n % 20 == 3 else "published"
        actions.append(
            Action(
                campaign=campaigns[n % len(campaigns)],
                city=None if online else cities[n % len(cities)],
                kind=Action.Kind.ONLINE_EVENT if online else rng.choice(kinds),
                title_en=f"Load action {n}",
                title_es=f"Acción de carga {n}",
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=2),
                capacity=rng.choice([None, None, 50, 100, 200]),
                status=status,
                slug=f"load-{tag}-action-{n}",
            )
        )
    return Action.objects.bulk_create(actions, batch_size=BATCH)


def add_signups(
    actions: Iterable[Action],
    *,
    per_action: int,
    mix: dict[str, float] = SIGNUP_MIX,
    rng: random.Random | None = None,
    tag: str | None = None,
    now: datetime.datetime | None = None,
) -> int:
    """`per_action` synthetic volunteers at each of `actions`, their statuses drawn from `mix`
    (confirmed never past an action's capacity: the rest are waitlisted), in both languages, their
    addresses in LOAD_DOMAIN; inserted in batches so that memory stays flat. Returns how many."""
    rng = rng or random.Random(30)
    tag = tag or secrets.token_hex(3)
    now = now or timezone.now()
    batch, written, serial = [], 0, 0
    for action in actions:
        confirmed_cap = action.capacity if action.capacity is not None else per_action
        for i in range(per_action):
            status = rng.choices(list(mix), weights=list(mix.values()))[0]
            if status == "confirmed" and i >= confirmed_cap:
                status = "waitlisted"
            serial += 1
            signed_up = now - datetime.timedelta(minutes=rng.randrange(60, 30 * 24 * 60))
            batch.append(
                Signup(
                    action=action,
                    name=f"Volunteer {serial}",
                    email=f"v{serial}.{tag}{LOAD_DOMAIN}",
                    language="es" if serial % 2 else "en",
                    status=status,
                    token=secrets.token_urlsafe(32),
                    confirmed_at=signed_up if status in ("confirmed", "waitlisted") else None,
                    cancelled_at=now if status == "cancelled" else None,
                )
            )
            if len(batch) == BATCH:
                written += _insert(batch)
                batch = []
    return written + _insert(batch)


def _insert(batch) -> int:
    Signup.objects.bulk_create(batch, batch_size=BATCH)
    return len(batch)


def _outcomes(scale, rng, tag, campaigns, demands):
    outcomes = Outcome.objects.bulk_create(
        Outcome(
            title_en=f"Load outcome {n}",
            title_es=f"Logro de carga {n}",
            institution_en=f"Institution {n % 12}",
            institution_es=f"Institución {n % 12}",
            kind=rng.choice(Outcome.Kind.values),
            country=rng.choice(["US", "MX", ""]),
            date=datetime.date(2020 + n % 6, 1 + n % 12, 1 + n % 28),
            campaign=campaigns[n % len(campaigns)],
            slug=f"load-{tag}-outcome-{n}",
        )
        for n in range(scale.outcomes)
    )
    through = Outcome.demands.through
    through.objects.bulk_create([through(outcome_id=o.pk, demand_id=rng.choice(demands).pk) for o in outcomes])
