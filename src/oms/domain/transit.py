"""Carrier transit times: which rule applies to a parcel from one country to another over a distance.

A rule may name an origin country, a destination country and a distance band (up to `max_distance_km`);
a blank is a wildcard. The most specific matching rule wins: the destination counts most, then the
origin, then a distance band, and among bands the tightest. When no rule is configured at all, built-in
defaults apply, so a fresh install still promises sensible dates.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from oms.domain.lane_scope import in_scope, specificity

DEFAULT_CARRIER = "postal"
# Working days of transit on a fresh install: (upper distance bound in km or None, days) per band.
DEFAULT_TRANSIT_DAYS = {
    ("standard", "domestic"): ((None, 2),),
    ("express", "domestic"): ((None, 1),),
    ("standard", "cross_border"): ((800, 3), (1500, 4), (None, 5)),
    ("express", "cross_border"): ((None, 2),),
}


@dataclass(frozen=True, slots=True)
class TransitRule:
    carrier: str
    service_level: str
    origin_country: str | None
    dest_country: str | None
    max_distance_km: int | None
    transit_days: int

    def matches(self, service_level: str, origin: str, dest: str, distance_km: float) -> bool:
        scope = (self.origin_country, self.dest_country, self.max_distance_km)
        return self.service_level == service_level and in_scope(*scope, origin, dest, distance_km)

    def precedence(self) -> tuple:
        """Sort key: the smallest is the most specific rule (then the fastest, then by carrier name)."""
        scope = specificity(self.origin_country, self.dest_country, self.max_distance_km)
        return (*scope, self.transit_days, self.carrier)


@dataclass(frozen=True, slots=True)
class Transit:
    carrier: str
    days: int


def find_transit(
    rules: Sequence[TransitRule], service_level: str, origin: str, dest: str, distance_km: float
) -> Transit | None:
    """The transit of the best rule, or None when configured rules do not serve this route."""
    if not rules:
        return default_transit(service_level, origin, dest, distance_km)
    matching = [r for r in rules if r.matches(service_level, origin, dest, distance_km)]
    if not matching:
        return None
    best = min(matching, key=TransitRule.precedence)
    return Transit(best.carrier, best.transit_days)


def default_transit(service_level: str, origin: str, dest: str, distance_km: float) -> Transit | None:
    zone = "domestic" if origin == dest else "cross_border"
    bands = DEFAULT_TRANSIT_DAYS.get((service_level, zone), ())
    days = next((d for bound, d in bands if bound is None or distance_km <= bound), None)
    return None if days is None else Transit(DEFAULT_CARRIER, days)


class TransitTable:
    """The configured rules, with `find_transit` memoised: promises ask the same few routes (node,
    destination area, service level) thousands of times a second. Build a new table when rules change."""

    def __init__(self, rules: Sequence[TransitRule]):
        self.rules = tuple(rules)
        self._found: dict[tuple, Transit | None] = {}

    def find(self, service_level: str, origin: str, dest: str, distance_km: float) -> Transit | None:
        key = (service_level, origin, dest, distance_km)
        try:
            return self._found[key]
        except KeyError:
            found = self._found[key] = find_transit(self.rules, service_level, origin, dest, distance_km)
            return found

