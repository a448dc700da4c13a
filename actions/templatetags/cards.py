"""Action cards ({% load cards %}): `{% action_cards actions near %}` writes a list of them."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from common.fragments import render_each, row_state
from places.templatetags.distances import distance

register = template.Library()


def card_state(action) -> tuple:
    """What a card is rendered from: the action's row, its city's, and the zone its times are shown in
    (for an online action, its campaign's)."""
    return row_state(action, action.city), action.zone.key


@register.simple_tag
def action_cards(actions, near=None) -> SafeString:
    """`<ul class="cards">` of `actions` (rows of ActionQuerySet.for_listing), each card from the
    fragment cache (common.fragments), with its distance from the place searched when `near`
    (actions.nearby.Nearby) is given and the action has one: the one part that depends on the search."""
    actions = list(actions)
    bodies = render_each("includes/action_card.html", actions, "action", state=card_state)
    items = []
    for action, body in zip(actions, bodies, strict=True):
        how_far = distance(action, near) if near else ""
        items.append(
            format_html(
                '<li><article class="card{}">{}{}</article></li>',
                " card--cancelled" if action.is_cancelled else "",
                mark_safe(body),  # rendered by the card's template, which escapes
                format_html('<p class="meta distance">{}</p>', how_far) if how_far else "",
            )
        )
    return format_html('<ul class="cards">{}</ul>', mark_safe("\n".join(items)))
