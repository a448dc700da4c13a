"""Great-circle distances, in the database (PostgreSQL, and SQLite through the math functions Django
gives it) and in Python, in kilometres."""

import math
from typing import Any

from django.db import models

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)
KM_PER_MILE = 1.609344  # the international mile


class GreatCircleKm(models.Func):
    """The haversine distance in km from the coordinates in two columns (decimal degrees, not null:
    PostgreSQL's LEAST would turn a null into the antipodes) to a point, as one SQL expression.

    One node rather than a tree of Django's Sin, Cos and arithmetic: building and compiling that
    tree took more time than the database took to evaluate it over 3,000 actions. SQLite has these
    functions through Django's sqlite3 backend; it spells LEAST as MIN."""

    output_field = models.FloatField()
    arity = 2

    def __init__(self, latitude, longitude, *, to: tuple[float, float]):
        self.point = to
        super().__init__(latitude, longitude)

    def as_sql(
        self, compiler, connection, function=None, template=None, arg_joiner=None, **extra_context
    ) -> tuple[str, tuple[Any, ...]]:
        (lat, lat_params), (lon, lon_params) = (compiler.compile(e) for e in self.get_source_expressions())
        number = connection.data_types["FloatField"]
        least = "MIN" if connection.vendor == "sqlite" else "LEAST"
        row_lat, row_lon = f"RADIANS(CAST({lat} AS {number}))", f"RADIANS(CAST({lon} AS {number}))"
        point_lat, point_lon = map(math.radians, self.point)
        sql = (
            f"(%s * ASIN(SQRT({least}(POWER(SIN(({row_lat} - %s) / 2), 2)"
            f" + %s * COS({row_lat}) * POWER(SIN(({row_lon} - %s) / 2), 2), 1))))"
        )
        params = [2 * EARTH_RADIUS_KM, *lat_params, point_lat, math.cos(point_lat), *lat_params, *lon_params, point_lon]
        return sql, tuple(params)


def distance_km(latitude: str, longitude: str, *, to: tuple[float, float]) -> GreatCircleKm:
    """GreatCircleKm from the fields `latitude` and `longitude` to the point `to` (latitude,
    longitude)."""
    return GreatCircleKm(models.F(latitude), models.F(longitude), to=to)


def bounding_box(point: tuple[float, float], radius_km: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """((south, north), (west, east)) in decimal degrees: a box around `point` that holds every point
    within `radius_km`, for a cheap filter before distances are computed. Near a pole or across the
    antimeridian (no place of ours), the longitudes span the globe."""
    lat, lon = point
    span = math.degrees(radius_km / EARTH_RADIUS_KM)
    south, north = lat - span, lat + span
    if north >= 90 or south <= -90:
        return (max(south, -90), min(north, 90)), (-180, 180)
    widest = max(abs(south), abs(north))
    lon_span = math.degrees(math.asin(min(1.0, math.sin(math.radians(span)) / math.cos(math.radians(widest)))))
    west, east = lon - lon_span, lon + lon_span
    return (south, north), (max(west, -180), min(east, 180)) if -180 < west and east < 180 else (-180, 180)


def unit_for(country: str, language: str) -> str:
    """ "mi" for a US place on an English page, else "km" (the issue's rule: what a reader there
    measures in)."""
    return "mi" if country == "US" and language == "en" else "km"


def to_km(distance: float, unit: str) -> float:
    return distance * KM_PER_MILE if unit == "mi" else distance
