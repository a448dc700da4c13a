from django import template
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext

from places.distance import KM_PER_MILE

register = template.Library()


def _amount(value: float) -> str:
    """One decimal under 10 (never 0.0: the action is at least that near), else whole, grouped."""
    return number_format(max(value, 0.1), 1) if value < 10 else number_format(round(value), 0, force_grouping=True)


@register.simple_tag
def distance(action, near) -> str:
    """How far `action` (annotated with `distance_km`) is from the searched place, in `near.unit`;
    in both units when the page's language and the place's country measure differently (a US place on
    a Spanish page: "13 km (8 mi)"; a Mexican one on an English page: "13 km (8 mi)"). "" without a
    distance."""
    km = getattr(action, "distance_km", None)
    if km is None:
        return ""
    miles = f"{_amount(km / KM_PER_MILE)} mi"
    kilometres = f"{_amount(km)} km"
    if near.unit == "mi":
        return gettext("%(distance)s away") % {"distance": miles}
    both = (near.location.country == "US") != (translation.get_language() == "en")
    text = f"{kilometres} ({miles})" if both else kilometres
    return gettext("%(distance)s away") % {"distance": text}
