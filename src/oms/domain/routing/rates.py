"""Shipping cost from rate data: what a carrier charges for one shipment on a lane at a weight.

A rate card covers one carrier and service on a zone (origin country, destination country, blank for
any) and optionally a distance band (up to `max_distance_km`). Its price is a base fee per shipment plus
the price of the first weight break the shipment fits under; above the last break, `per_kg_over` per
extra kg. The base fee is charged per shipment, so a split pays it twice, as carriers bill it.
For each carrier the most specific matching card applies (destination counts most, then origin, then a
band, the tightest band first), as for transit rules; a shipment goes with the cheapest carrier.
Prices never fall as weight grows (validated), which the search relies on for its lower bounds.
"""

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from oms.domain.geo import Point, haversine_km
from oms.domain.lane_scope import in_scope, specificity
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
        scope = (self.origin_country, self.dest_country, self.max_distance_km)
        return self.service == service and in_scope(*scope, origin, dest, distance_km)

    def precedence(self) -> tuple:
        return specificity(self.origin_country, self.dest_country, self.max_distance_km)

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


QUOTES_KEPT = 4096  # per lane


@dataclass(frozen=True, slots=True)
class Quote:
    carrier: str
    cost: float


def card_at_most(a: RateCard, b: RateCard) -> bool:
    """True when card `a` never charges more than card `b`, at any weight. Both are steps up to their last
    break and lines above it, so comparing them at every break (and just past it) and their last slopes
    settles it."""
    if a is b or a == b:
        return True
    limits = sorted({w for w, _ in a.breaks} | {w for w, _ in b.breaks})
    points = [0.0, *limits, *(w + 1e-7 for w in limits)]
    return all(a.price(w) <= b.price(w) + 1e-12 for w in points) and a.per_kg_over <= b.per_kg_over


@dataclass(frozen=True, slots=True, eq=False)
class Lane:
    """The cards serving one origin, destination and service: one per carrier. Lanes compare by identity:
    a rate table builds each once."""

    cards: tuple[RateCard, ...]
    min_cost: float = field(init=False)  # what the lightest shipment costs: a lower bound of any shipment
    _at_most: dict = field(init=False, repr=False)
    _quotes: dict = field(init=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "min_cost", min(c.price(0.0) for c in self.cards))
        object.__setattr__(self, "_at_most", {})
        object.__setattr__(self, "_quotes", {})

    def quote(self, weight_kg: float) -> Quote:
        """Memoised per weight, across orders (a lane lives as long as its rate table): a catalogue's
        shipments weigh the same few amounts. Bounded, so odd weights cannot grow it without end."""
        known = self._quotes.get(weight_kg)
        if known is None:
            if len(self._quotes) >= QUOTES_KEPT:
                self._quotes.clear()
            known = self._quotes[weight_kg] = min(
                (Quote(c.carrier, c.price(weight_kg)) for c in self.cards), key=lambda q: (q.cost, q.carrier)
            )
        return known

    def at_most(self, other: "Lane") -> bool:
        """True when a shipment on this lane never costs more than on `other`, at any weight: each of
        `other`'s cards is matched by one of ours that never charges more (sufficient, not necessary)."""
        if other is self:
            return True
        known = self._at_most.get(other)
        if known is None:
            known = all(any(card_at_most(a, b) for a in self.cards) for b in other.cards)
            self._at_most[other] = known
        return known

    def card_of(self, carrier: str) -> RateCard | None:
        """The card of `carrier` on this lane, or None when it does not serve it."""
        return next((c for c in self.cards if same_carrier(c.carrier, carrier)), None)


class RateTable:
    """Rate cards with lane lookups memoised: routing asks the same few lanes over and over."""

    def __init__(self, cards: Sequence[RateCard]):
        self.cards = tuple(cards)
        self._bands: dict[tuple, list[float]] = {}
        self._lanes: dict[tuple, Lane | None] = {}

    def lane(self, service: str, origin: str, dest: str, distance_km: float) -> Lane | None:
        """Memoised per distance band rather than per distance: the cards that match only change where a
        card's band ends, so every node in one band of a lane shares one `Lane`."""
        zone = (service, origin, dest)
        bands = self._bands.get(zone)
        if bands is None:
            bands = self._bands[zone] = sorted(
                {c.max_distance_km for c in self.cards if c.max_distance_km is not None}
            )
        key = (service, origin, dest, bisect_left(bands, distance_km))
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


def carrier_cost(
    table: RateTable,
    carrier: str,
    origin_country: str,
    origin: Point,
    destination: Destination,
    weight_kg: float,
    service: str,
) -> float | None:
    """What `carrier`'s own card charges for one shipment, or None when it has no card on the lane."""
    lane = lane_between(table, origin_country, origin, destination, service)
    card = None if lane is None else lane.card_of(carrier)
    return None if card is None else card.price(weight_kg)


def lane_between(
    table: RateTable, origin_country: str, origin: Point, destination: Destination, service: str
) -> Lane | None:
    return table.lane(service, origin_country, destination.country, haversine_km(origin, destination.point))


def same_carrier(a: str, b: str) -> bool:
    """Carriers named alike, case aside: a WMS may spell DHL as dhl, as tracking's transit tables allow."""
    return a.casefold() == b.casefold()
