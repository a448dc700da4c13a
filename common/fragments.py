"""Parts of pages that many pages repeat (an action's card, an outcome's line), rendered once per
process and kept in the "fragments" cache under a key made of every value they are rendered from.

Django's templates take a quarter of a millisecond for a card, and a list shows up to fifty
(docs/performance.md). A fragment rendered only from its rows' own columns and the page's language
is a pure function of them: a key holding all of them changes with any edit, so nothing needs to be
invalidated and a stale fragment is never shown. A fragment must not read anything else (the time,
the request, another row) unless its key holds it too.
"""

import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import models
from django.template.loader import get_template
from django.utils import translation

T = TypeVar("T")


def row_state(*rows: models.Model | None) -> tuple:
    """Every column's value of each of `rows` (None stands for itself), with its model's label: as
    loaded, not through modeltranslation's fields, which would choose one language (and are slow)."""
    return tuple(
        None if row is None else (row._meta.label, *(vars(row).get(f.attname) for f in row._meta.concrete_fields))
        for row in rows
    )


def render_each(
    template_name: str, rows: Iterable[models.Model], name: str, state: Callable[[models.Model], tuple] = row_state
) -> list[str]:
    """`template_name` rendered for each of `rows` (given to it as `name`, without a request), in the
    active language: [HTML], from the fragment cache where it holds them. `state(row)` gives what
    the fragment is rendered from besides the language: by default the row's own columns."""
    rows = list(rows)
    language = translation.get_language() or settings.LANGUAGE_CODE
    keys = [_key(template_name, language, state(row)) for row in rows]
    cache = caches["fragments"]
    found = cache.get_many(keys)
    missing = {key: row for key, row in zip(keys, rows, strict=True) if key not in found}
    if missing:
        template = get_template(template_name)
        rendered = {key: template.render({name: row}) for key, row in missing.items()}
        cache.set_many(rendered)
        found |= rendered
    return [found[key] for key in keys]


def remember(kind: str, state: tuple, compute: Callable[[], T]) -> T:
    """`compute()`, a value made only from `state` (for the API: a row's representation), from the
    fragment cache where it holds it under `kind` and `state`; in no particular language."""
    key = _key(kind, "", state)
    cache = caches["fragments"]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value)
    return value


def _key(kind: str, language: str, state: tuple) -> str:
    # A change of a template or serializer comes with a deploy, which starts processes with empty memory.
    return "fragment:" + hashlib.blake2b(repr((kind, language, state)).encode(), digest_size=16).hexdigest()
