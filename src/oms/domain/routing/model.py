"""The values routing works on and decides: plain data, built by a service from the database."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from oms.domain.geo import Point
from oms.domain.promise_model import SHIPPING_TYPES


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """What strategy conditions and the promise filter look at."""

    channel_id: str
    destination_country: str
    service_level: str
    customer_tier: str
    order_value: Decimal
    promised_delivery_date: date | None = None
    destination_region: str = ""  # reliability.region_of(country, postal code): where predictions look


@dataclass(frozen=True, slots=True)
class OrderLine:
    line_no: int
    sku: str
    quantity: int
    unit_weight_kg: float


@dataclass(frozen=True, slots=True)
class Candidate:
    """A node that might ship the order, as it stands today."""

    id: str
    type: str  # warehouse, 3pl, store, dropship
    country: str
    point: Point
    priority: int  # lower is preferred
    fulfilment_types: frozenset[str]
    daily_capacity: int  # shipments a day
    remaining_capacity: int  # shipments it can still release today
    stock: Mapping[str, int]  # SKU -> units this order may take now (ATP for the order's channel)
    transit_days: int | None  # for the order's service level; None when no carrier serves the route
    delivery_date: date | None = None  # if it shipped today's stock; None when unknown

    @property
    def ships(self) -> bool:
        return not SHIPPING_TYPES.isdisjoint(self.fulfilment_types)


@dataclass(frozen=True, slots=True)
class Criterion:
    value: float
    weighted: float


@dataclass(frozen=True, slots=True)
class PlannedShipment:
    node_id: str
    carrier: str
    lines: tuple[tuple[int, str, int], ...]  # (line_no, sku, quantity)
    weight_kg: float
    cost: float
    transit_days: int
    on_time: float | None = None  # predicted on-time probability, when routing had a reliability table
    predicted_transit_days: float | None = None  # predicted mean transit days, likewise


@dataclass(frozen=True, slots=True)
class Plan:
    shipments: tuple[PlannedShipment, ...]
    backorders: tuple[tuple[int, str, int], ...]  # (line_no, sku, quantity) no eligible node can ship
    score: float
    breakdown: Mapping[str, Criterion]
    exact: bool  # False when the search ran out of budget and the plan comes from the heuristic

    @property
    def units(self) -> int:
        return sum(q for s in self.shipments for _, _, q in s.lines)


@dataclass(frozen=True, slots=True)
class NodeVerdict:
    """Why a candidate was left out (`filtered_by`, `reason`), or how it scores shipping alone what it
    holds of the order (`units`, `alone`) and whether the chosen plan uses it."""

    node_id: str
    filtered_by: str | None = None
    reason: str | None = None
    units: int = 0
    alone: Mapping[str, Criterion] | None = None
    chosen: bool = False


@dataclass(frozen=True, slots=True)
class Attempt:
    strategy: str
    outcome: str


@dataclass(frozen=True, slots=True)
class Decision:
    """The routing of one order: the strategy that decided, its plan (None when no strategy found one),
    every candidate's verdict under that strategy, and each strategy tried on the way."""

    strategy: str | None
    plan: Plan | None
    candidates: tuple[NodeVerdict, ...]
    attempts: tuple[Attempt, ...]
