"""The values a delivery promise is computed from and made of."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from oms.domain.atp import Position, atp
from oms.domain.geo import Point

SHIPPING_TYPES = frozenset({"ship", "ship_from_store"})


@dataclass(frozen=True, slots=True)
class NodeFacts:
    id: str
    name: str
    city: str
    country: str
    point: Point
    timezone: str
    processing_days: int
    cutoff: time
    priority: int
    fulfilment_types: frozenset[str]
    type: str  # warehouse, 3pl, store, dropship
    daily_capacity: int  # shipments a day

    @property
    def ships(self) -> bool:
        return not SHIPPING_TYPES.isdisjoint(self.fulfilment_types)

    @property
    def offers_pickup(self) -> bool:
        return "pickup" in self.fulfilment_types


@dataclass(frozen=True, slots=True)
class Supply:
    """One SKU at one node: its position, the units held back from the asking channel, and open
    inbound supply as (expected date, quantity) in date order."""

    position: Position
    held: int = 0
    inbound: tuple[tuple[date, int], ...] = ()

    def now(self) -> int:
        return atp(self.position, 0, self.held)

    def eventually(self) -> int:
        return atp(self.position, sum(q for _, q in self.inbound), self.held)

    def available_on(self, quantity: int, today: date) -> date | None:
        """The first day `quantity` is available to promise (ATP by date), None if no supply covers it.
        Overdue inbound counts from today, as ATP by date counts it."""
        if self.now() >= quantity:
            return today
        arrived = 0
        for day, qty in self.inbound:
            arrived += qty
            if atp(self.position, arrived, self.held) >= quantity:
                return max(day, today)
        return None


@dataclass(frozen=True, slots=True)
class Destination:
    country: str
    point: Point


@dataclass(frozen=True, slots=True)
class Cart:
    lines: Mapping[str, int]  # SKU -> quantity
    destination: Destination
    at: datetime  # when the order would be placed (timezone-aware)


@dataclass(frozen=True, slots=True)
class Shipment:
    node_id: str
    lines: tuple[tuple[str, int], ...]
    ship_date: date  # for pickup: the day the parcel is ready at the store
    carrier: str | None = None
    delivery_date: date | None = None


@dataclass(frozen=True, slots=True)
class PickupStore:
    id: str
    name: str
    city: str
    distance_km: float


@dataclass(frozen=True, slots=True)
class Option:
    service_level: str
    available: bool
    reason: str | None = None
    shipments: tuple[Shipment, ...] = ()
    delivery_date: date | None = None
    ready_date: date | None = None
    store: PickupStore | None = None

    @classmethod
    def shipped(cls, level: str, shipments: Sequence[Shipment]) -> "Option":
        """Delivered when the last parcel arrives."""
        last = max(s.delivery_date for s in shipments)
        return cls(level, True, shipments=tuple(shipments), delivery_date=last)

    @property
    def carrier(self) -> str | None:
        """The carrier, or the carriers of a split shipment joined by ', '."""
        return ", ".join(sorted({s.carrier for s in self.shipments if s.carrier})) or None
