"""Writes on actions. Views and the admin call these; they hold the rules."""

from collections.abc import Iterable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
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
    """Insert `action` under a free slug made from `base`. Two organizers saving at once can pick the
    same free slug; the unique index refuses the second, which then tries the next one."""
    for attempt in range(attempts):
        action.slug = unique_action_slug(base)
        try:
            with transaction.atomic():
                action.save()
            return
        except IntegrityError:
            if attempt == attempts - 1 or not Action.objects.filter(slug=action.slug).exists():
                raise


def _retitled(title: str | None, old: City | None, new: City, language: str) -> str | None:
    """`title` with the old city's name (in `language`) replaced by the new city's, where it appears."""
    old_name = old and getattr(old, f"name_{language}")
    new_name = getattr(new, f"name_{language}") or new.name
    return title.replace(old_name, new_name) if title and old_name else title


def _slug_base(title: str, city: City) -> str:
    """The title, with the city's slug added unless the title already names the city."""
    return title if city.slug in slugify(title) else f"{title}-{city.slug}"


def action_duplicate(*, action: Action, cities: Iterable[City]) -> list[Action]:
    """Copy `action` into each of `cities` as a draft, at the same local time there.

    Keeps the duration. Copies kind, campaign, texts in every language (the old city's name in a title becomes the new
    one's), capacity, hosts and demands; leaves venue, address and meeting link empty, since those
    differ by city. Skips the action's own city.
    Returns the new drafts.
    """
    text_fields = [
        build_localized_fieldname(field, code)
        for field in translator.get_options_for_model(Action).fields
        for code, _name in settings.LANGUAGES
    ]
    copies = []
    with transaction.atomic():
        for city in cities:
            if city.pk == action.city_id:
                continue
            texts = {name: getattr(action, name) for name in text_fields}
            for code, _name in settings.LANGUAGES:
                texts[f"title_{code}"] = _retitled(texts[f"title_{code}"], action.city, city, code)
            copy = Action(
                campaign=action.campaign,
                city=city,
                kind=action.kind,
                status=Action.Status.DRAFT,
                starts_at=(starts_at := same_wall_time(action.starts_at, action.zone, city.zone)),
                ends_at=starts_at + (action.ends_at - action.starts_at),
                time_to_be_announced=action.time_to_be_announced,
                capacity=action.capacity,
                **texts,
            )
            _save_with_unique_slug(copy, _slug_base(texts["title_en"] or texts["title_es"], city))
            copy.hosts.set(action.hosts.all())
            copy.demands.set(action.demands.all())
            copies.append(copy)
    return copies
