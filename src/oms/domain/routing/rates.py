"""Shipping cost from rate data: what a carrier charges for one shipment on a lane at a weight.

A rate card covers one carrier and service on a zone (origin country, destination country, blank for
any) and optionally a distance band (up to `max_distance_km`). Its price is a base fee per shipment plus
the price of the first weight break the shipment fits under; above the last break, `per_kg_over` per
extra kg. The base fee is charged per shipment, so a split pays it twice, as carriers bill it.
For each carrier the most specific matching card applies (destination counts most, then origin, then a
band, the tightest band first), as for transit rules; a shipment goes with the cheapest carrier.
Prices never fall as weight grows (validated), which the search relies on for its lower bounds.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from oms.domain.geo import Point, haversine_km
from oms.domain.promise_model import Destination


@dataclass(frozen=True, slots=True)
class RateCard:
    carrier: str
    service: str
    origin_country: str | None
    dest_country: str | None
    max_distance_km: float | None
    breaks: tuple[tuple[float, float], ...]  # (max weight kg, price), lightest first
    base_fee: float = 0.0
    per_kg_over: float = 0.0

    def __post_init__(self):
        problem = _break_problem(self.breaks) or (
            "base_fee and per_kg_over may not be negative"
            if min(self.base_fee, self.per_kg_over) < 0
            else None
        )
        if problem:
            raise ValueError(f"rate card {self.carrier}/{self.service}: {problem}")

    def matches(self, service: str, origin: str, dest: str, distance_km: float) -> bool:
        return (
            self.service == service
            and self.origin_country in (None, origin)
            and self.dest_country in (None, dest)
            and (self.max_distance_km is None or distance_km <= self.max_distance_km)
        )

    def precedence(self) -> tuple:
        weight = 4 * (self.dest_country is not None) + 2 * (self.origin_country is not None)
        weight += self.max_distance_km is not None
        band = self.max_distance_km if self.max_distance_km is not None else float("inf")
        return (-weight, band)

    def price(self, weight_kg: float) -> float:
        for limit, price in self.breaks:  # a handful of breaks: a scan beats bisect's list building
            if weight_kg <= limit:
                return self.base_fee + price
        last_limit, last_price = self.breaks[-1]
        return self.base_fee + last_price + self.per_kg_over * (weight_kg - last_limit)


def _break_problem(breaks: Sequence[tuple[float, float]]) -> str | None:
    if not breaks:
        return "needs at least one weight break"
    if any(limit <= 0 or price < 0 for limit, price in breaks):
        return "weight breaks need a positive weight and a price of zero or more"
    if any(a[0] >= b[0] for a, b in pairwise(breaks)):
        return "weight breaks must be in increasing weight, each weight once"
    if any(a[1] > b[1] for a, b in pairwise(breaks)):
        return "a heavier weight break may not cost less than a lighter one"
    return None


@dataclass(frozen=True, slots=True)
class Quote:
    carrier: str
    cost: float


@dataclass(frozen=True, slots=True)
class Lane:
    """The cards serving one origin, destination and service: one per carrier."""

    cards: tuple[RateCard, ...]

    def quote(self, weight_kg: float) -> Quote:
        return min(
            (Quote(c.carrier, c.price(weight_kg)) for c in self.cards), key=lambda q: (q.cost, q.carrier)
        )

    @property
    def min_cost(self) -> float:
        """What the lightest shipment costs: a lower bound of any shipment on the lane."""
        return min(c.price(0.0) for c in self.cards)


class RateTable:
    """Rate cards with lane lookups memoised: routing asks the same few lanes over and over."""

    def __init__(self, cards: Sequence[RateCard]):
        self.cards = tuple(cards)
        self._lanes: dict[tuple, Lane | None] = {}

    def lane(self, service: str, origin: str, dest: str, distance_km: float) -> Lane | None:
        key = (service, origin, dest, distance_km)
        if key not in self._lanes:
            self._lanes[key] = self._find(service, origin, dest, distance_km)
        return self._lanes[key]

    def _find(self, service: str, origin: str, dest: str, distance_km: float) -> Lane | None:
        best: dict[str, RateCard] = {}
        for card in self.cards:
            if card.matches(service, origin, dest, distance_km):
                known = best.get(card.carrier)
                if known is None or card.precedence() < known.precedence():
                    best[card.carrier] = card
        return Lane(tuple(best[c] for c in sorted(best))) if best else None


def shipment_cost(
    table: RateTable,
    origin_country: str,
    origin: Point,
    destination: Destination,
    weight_kg: float,
    service: str,
) -> Quote | None:
    """The cheapest carrier's price for one shipment, or None when no card serves the lane."""
    distance = haversine_km(origin, destination.point)
    lane = table.lane(service, origin_country, destination.country, distance)
    return None if lane is None else lane.quote(weight_kg)
