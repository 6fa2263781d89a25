"""Distances, and where a postal code roughly is.

Reference data (`data/postal_areas.csv`) maps postal-code prefixes to approximate area centroids: French
départements, German Leitzonen, Belgian, Dutch, Spanish, Italian, Austrian and Swiss regions, British
postcode areas, plus one row per country with an empty prefix as the fallback. The longest matching
prefix wins, so an unknown or partial postal code still lands in its country.
"""

import csv
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True, slots=True)
class Point:
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Area:
    name: str
    point: Point


class UnknownCountry(ValueError):
    def __init__(self, country: str):
        super().__init__(f"no delivery area is known for country '{country}'")
        self.country = country


@lru_cache(maxsize=65536)  # promises measure the same node-to-area distances over and over
def haversine_km(a: Point, b: Point) -> float:
    """Great-circle distance: close enough to road distance bands for choosing a carrier service."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlon = lat2 - lat1, math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


@lru_cache(maxsize=1)
def _areas() -> dict[str, dict[str, Area]]:
    """Country -> prefix -> area, read once per process."""
    areas: dict[str, dict[str, Area]] = {}
    with files("oms.domain").joinpath("data/postal_areas.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            point = Point(float(row["lat"]), float(row["lon"]))
            areas.setdefault(row["country"], {})[row["prefix"]] = Area(row["name"], point)
    return areas


def is_known_country(country: str) -> bool:
    return country.upper() in _areas()


def locate(country: str, postal_code: str) -> Area:
    """The area of the longest prefix of `postal_code` known for `country`, else the country itself."""
    by_prefix = _areas().get(country.upper())
    if by_prefix is None:
        raise UnknownCountry(country)
    code = "".join(ch for ch in postal_code.upper() if ch.isalnum())
    for length in range(len(code), 0, -1):
        area = by_prefix.get(code[:length])
        if area is not None:
            return area
    return by_prefix[""]
