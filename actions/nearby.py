"""The action list's search by place: in-person actions nearest first, online ones after."""

from dataclasses import dataclass, field
from functools import cached_property

from places.distance import to_km
from places.search import Location

from .models import Action, City
from .querysets import ActionQuerySet

ONLINE_SIZE = 5  # online actions shown after the nearby ones, on a phone's screen or two; the rest a link away
BEYOND_SIZE = 5  # with nothing within the radius, the nearest shown anyway


@dataclass
class Nearby:
    """What a search near `location` found. `radius` is in `unit` ("mi", "km"); None: any distance."""

    location: Location
    unit: str
    radius: int | None
    actions: ActionQuerySet  # in person, within the radius, nearest first, each with `distance_km`
    searched: ActionQuerySet  # what was searched: the list's filtered actions
    online: list[Action] = field(default_factory=list)

    @cached_property
    def beyond(self) -> list[Action]:
        """The BEYOND_SIZE nearest at any distance: what to show when none is within the radius (one
        query, only then)."""
        if not self.radius:
            return []
        point = self.location.point
        # Distances to the cities first (hundreds), not to every action (thousands): the nearest
        # BEYOND_SIZE cities with an action hold the BEYOND_SIZE nearest actions.
        cities = City.objects.filter(pk__in=self.searched.values("city_id")).nearest(point)[:BEYOND_SIZE]
        return list(self.searched.filter(city__in=cities.values("pk")).nearest(point)[:BEYOND_SIZE])


def nearby(actions: ActionQuerySet, location: Location, *, unit: str, radius: int | None, online: bool) -> Nearby:
    """Search `actions` (already filtered) near `location`; with `online`, also the first ONLINE_SIZE
    online ones (a query)."""
    within = actions.nearest(location.point, within_km=to_km(radius, unit) if radius else None)
    found = Nearby(location, unit, radius, within, actions)
    if online:
        found.online = list(actions.online()[:ONLINE_SIZE])
    return found
