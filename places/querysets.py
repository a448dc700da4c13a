from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models

if TYPE_CHECKING:
    from .models import PlaceName


class PlaceNameQuerySet(models.QuerySet["PlaceName"]):
    def matching(self, key: str, *, prefix: bool = False) -> Self:
        """Names whose key is `key` (places.text.search_key), or with `prefix`, starts with it; their
        places loaded in the same query, the most populous first."""
        names = self.filter(key__startswith=key) if prefix else self.filter(key=key)
        return names.select_related("place").order_by("-place__population", "place_id")
