from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext

from places.distance import KM_PER_MILE

register = template.Library()


def _amount(value: float) -> str:
    return number_format(value, 1) if value < 10 else number_format(round(value), 0)


@register.simple_tag
def distance(action, near) -> str:
    """How far `action` (annotated with `distance_km`) is from the searched place, in `near.unit`;
    in both units when the page's language measures otherwise ("13 km (8 mi)"). "" without a distance."""
    km = getattr(action, "distance_km", None)
    if km is None:
        return ""
    miles = f"{_amount(km / KM_PER_MILE)} mi"
    kilometres = f"{_amount(km)} km"
    if near.unit == "mi":
        return gettext("%(distance)s away") % {"distance": miles}
    both = near.location.country == "US"  # a US place on a Spanish page: its signs are in miles
    text = f"{kilometres} ({miles})" if both else kilometres
    return gettext("%(distance)s away") % {"distance": text}
