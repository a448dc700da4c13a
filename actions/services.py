"""Writes on actions. Views and the admin call these; they hold the rules."""

import secrets
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

from .models import Action, City


def same_wall_time(moment: datetime, source: ZoneInfo, target: ZoneInfo) -> datetime:
    """The instant that reads in `target` as `moment` reads in `source` (6 PM in New York -> 6 PM in
    San Francisco). Aware in, aware out in UTC, so that adding a duration adds real time. A time the
    clocks skip in `target` comes out an hour later, as a clock would show it."""
    return moment.astimezone(source).replace(tzinfo=target).astimezone(UTC)


def unique_action_slug(base: str) -> str:
    """`base` slugified, with -2, -3... appended until no action uses it."""
    stem = slugify(base)[:110] or "action"
    slug, n = stem, 1
    while Action.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{stem}-{n}"
    return slug


def _save_with_unique_slug(action: Action, base: str, attempts: int = 5) -> None:
    """Insert `action` under a free slug made from `base`.

    Organizers saving at once can pick the same free slug; the unique index refuses all but one,
    and the others try again, with a random suffix after the first try so that a crowd spreads out.
    """
    for attempt in range(attempts):
        action.slug = unique_action_slug(base if attempt == 0 else f"{base}-{secrets.token_hex(3)}")
        try:
            with transaction.atomic():
                action.save()
            return
        except IntegrityError:
            if attempt == attempts - 1 or not Action.objects.filter(slug=action.slug).exists():
                raise


def _city_name(city: City, language: str) -> str:
    """The city's name in `language`, else in any language (names like Tucson are often left
    untranslated)."""
    names = [getattr(city, build_localized_fieldname("name", code)) for code, _name in settings.LANGUAGES]
    return getattr(city, build_localized_fieldname("name", language)) or next(filter(None, names), "")


def _retitled(title: str | None, old: City | None, new: City, language: str) -> str | None:
    """`title` with the old city's name replaced by the new city's, where it appears; at most as
    long as a title may be."""
    if not title or old is None:
        return title
    max_length = Action._meta.get_field(build_localized_fieldname("title", language)).max_length
    return title.replace(_city_name(old, language), _city_name(new, language))[:max_length]


def _slug_base(title: str, city: City) -> str:
    """The title, with the city's slug added unless the title already names the city."""
    return title if city.slug in slugify(title) else f"{title}-{city.slug}"


class Duplicates(NamedTuple):
    created: list[Action]
    skipped: list[City]  # cities where the copy would break a rule (e.g. fall outside 2000-2099)


def action_duplicate(*, action: Action, cities: Iterable[City]) -> Duplicates:
    """Copy `action` into each of `cities` as a draft, at the same local time there.

    Keeps the duration. Copies kind, campaign, texts in every language (the old city's name in a
    title becomes the new one's), capacity, hosts and demands; leaves venue, address and meeting
    link empty, since those differ by city. Skips the action's own city, and reports as skipped a
    city where the copy would not validate.
    """
    text_fields = [
        build_localized_fieldname(field, code)
        for field in translator.get_options_for_model(Action).fields
        for code, _name in settings.LANGUAGES
    ]
    result = Duplicates([], [])
    with transaction.atomic():
        for city in cities:
            if city.pk == action.city_id:
                continue
            texts = {name: getattr(action, name) for name in text_fields}
            for code, _name in settings.LANGUAGES:
                title = build_localized_fieldname("title", code)
                texts[title] = _retitled(texts[title], action.city, city, code)
            starts_at = same_wall_time(action.starts_at, action.zone, city.zone)
            copy = Action(
                campaign=action.campaign,
                city=city,
                kind=action.kind,
                status=Action.Status.DRAFT,
                starts_at=starts_at,
                ends_at=starts_at + (action.ends_at - action.starts_at),
                time_to_be_announced=action.time_to_be_announced,
                capacity=action.capacity,
                **texts,
            )
            try:
                copy.full_clean(exclude=["slug"])
            except ValidationError:
                result.skipped.append(city)
                continue
            _save_with_unique_slug(copy, _slug_base(texts["title_en"] or texts["title_es"], city))
            copy.hosts.set(action.hosts.all())
            copy.demands.set(action.demands.all())
            result.created.append(copy)
    return result
