"""What the delivered history says about lanes and nodes: per (node, carrier, region, service) the on-time
probability and the transit days (mean, p50, p90), and per node its short picks and late hand-overs.

Learnt by oms.domain.routing.reliability_learning, where thin cells lean on their parents. A full cell's
parent is its lane (the most specific of carrier x region x service, carrier x service, carrier, network)
with the node's odds ratio applied (its on-time odds against those of the lanes it shipped on, so a node
is not blamed for its destinations), and an unseen key still gets the node's reliability. Each lane also
knows what its carrier bills against what the rate table quoted (`cost_factor`: fuel and remote-area
surcharges, re-weighing). Lookups are dict reads: they run inside the per-order routing search."""

import json
from dataclasses import asdict, dataclass
from datetime import date, timedelta

Key = tuple[str, str, str, str]  # node, carrier, region, service level
DELAYS = range(-2, 6)  # business days after the planned delivery that delay distributions tell apart


@dataclass(frozen=True, slots=True)
class DeliveryFact:
    node_id: str
    node_type: str
    carrier: str
    region: str
    service_level: str
    on_time: bool
    transit_days: int  # business days from hand-over to delivery
    short_picked: bool
    late_handover: bool  # handed over after the fulfilment order's ship-by date
    quoted_cost: float | None = None  # what the rate table priced the parcel at
    charged_cost: float | None = None  # what the carrier billed (surcharges, re-weighing)
    delay_days: int | None = None  # business days delivered after its planned delivery (< 0: early)


@dataclass(frozen=True, slots=True)
class Cell:
    shipments: int
    on_time: float
    transit_mean: float
    transit_p50: int
    transit_p90: int
    cost_ratio: float = 1.0  # charged / quoted, its lane's (a node does not change what carriers bill)
    costed: int = 0  # shipments with both costs known
    delay_cdf: tuple[float, ...] = ()  # P(delay <= d) for d in DELAYS (reliability_delays); () unknown


@dataclass(frozen=True, slots=True)
class NodeReliability:
    node_type: str
    shipments: int
    on_time: float
    short_pick_rate: float
    late_handover_rate: float
    lane_odds_ratio: float  # its on-time odds against those its lanes predict: below 1, it makes them late


def region_of(country: str, postal_code: str) -> str:
    """Country and the postal code's first two characters (a French département, a German zone): FR-20
    Corsica, FR-75 Paris, NL-10. The delay model's regions are these too."""
    return f"{country.upper()}-{postal_code.replace(' ', '')[:2].upper()}"


def business_days(start: date, end: date) -> int:
    """Monday-to-Friday days in (start, end]: transit as carriers count it (no holidays); 0 when a clock
    put the delivery before the hand-over."""
    weeks, rest = divmod(max((end - start).days, 0), 7)
    return weeks * 5 + sum((start + timedelta(days=i)).weekday() < 5 for i in range(1, rest + 1))


def signed_business_days(start: date, end: date) -> int:
    """Business days from `start` to `end`, negative when `end` comes first: a delivery's delay after its
    plan, or the slack a plan leaves before its promise."""
    return business_days(start, end) if end >= start else -business_days(end, start)


def on_time_at(cdf: tuple[float, ...], slack: int) -> float:
    """P(delay <= slack) from a delay distribution: on time when the plan leaves `slack` business days
    before the promise (below DELAYS: never; at or past its last day: always)."""
    if slack < DELAYS.start:
        return 0.0
    return cdf[min(slack, DELAYS.stop - 1) - DELAYS.start]


def odds_scaled(p: float, ratio: float) -> float:
    """`p` with its odds multiplied by `ratio` (a node's odds ratio); certainty either way stays certain."""
    if p <= 0.0 or p >= 1.0:
        return p
    odds = p / (1 - p) * ratio
    return odds / (1 + odds)


def on_time_odds(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return p / (1 - p)


class ReliabilityTable:
    def __init__(self, network: Cell, lanes: dict[tuple, Cell], cells: dict[Key, Cell],
                 nodes: dict[str, NodeReliability]) -> None:  # fmt: skip
        self.network, self.lanes, self.cells, self.nodes = network, lanes, cells, nodes
        self._node_odds = {node: r.lane_odds_ratio for node, r in nodes.items()}
        self._cost_factors: dict[tuple[str, str, str], float] = {}
        self._predictions: dict[tuple, tuple[float, float, float]] = {}

    def lane(self, carrier: str, region: str, service: str) -> Cell:
        """The most specific lane level learnt, down to the network."""
        lanes = self.lanes
        return (lanes.get((carrier, region, service)) or lanes.get((carrier, service))
                or lanes.get((carrier,)) or self.network)  # fmt: skip

    def on_time(self, node: str, carrier: str, region: str, service: str) -> float:
        cell = self.cells.get((node, carrier, region, service))
        return cell.on_time if cell is not None else self.prior_on_time(node, carrier, region, service)

    def prior_on_time(self, node: str, carrier: str, region: str, service: str) -> float:
        """The lane's on-time odds times the node's odds ratio: a cell's parent."""
        odds = on_time_odds(self.lane(carrier, region, service).on_time) * self._node_odds.get(node, 1.0)
        return odds / (1 + odds)

    def transit_days(self, node: str, carrier: str, region: str, service: str) -> Cell:
        """The cell whose transit_mean, transit_p50 and transit_p90 apply (the lane's when unseen)."""
        return self.cells.get((node, carrier, region, service)) or self.lane(carrier, region, service)

    def on_time_given(self, node: str, carrier: str, region: str, service: str, slack: int | None) -> float:
        """P(on time) of a parcel whose plan leaves `slack` business days before the promise (< 0: planned
        late): from the cell's delay distribution, else its lane's with the node's odds ratio. The
        unconditional rate when the slack is unknown or the table learnt no delays."""
        cell = self.cells.get((node, carrier, region, service))
        if slack is None:
            return self.on_time(node, carrier, region, service)
        if cell is not None and cell.delay_cdf:
            return on_time_at(cell.delay_cdf, slack)
        lane = self.lane(carrier, region, service).delay_cdf
        if not lane:
            return self.on_time(node, carrier, region, service)
        return odds_scaled(on_time_at(lane, slack), self._node_odds.get(node, 1.0))

    def prediction(
        self, node: str, carrier: str, region: str, service: str, slack: int | None = None
    ) -> tuple[float, float, float]:
        """(on-time probability given the plan's slack, mean transit days, cost factor): what routing reads
        for each candidate carrier of each order, memoised across orders (the table is cached with the
        profiles pinning it)."""
        key = (node, carrier, region, service, slack)
        known = self._predictions.get(key)
        if known is None:
            on_time, transit = self.on_time_given(*key), self.transit_days(*key[:4]).transit_mean
            known = self._predictions[key] = (on_time, transit, self.cost_factor(carrier, region, service))
        return known

    def cost_factor(self, carrier: str, region: str, service: str) -> float:
        """What the carrier bills per unit quoted on the lane (charged / quoted, its most specific level
        learnt); 1.0 for a carrier the history never shipped with. Memoised: routing asks per candidate."""
        key = (carrier, region, service)
        factor = self._cost_factors.get(key)
        if factor is None:
            known = (carrier,) in self.lanes
            factor = self._cost_factors[key] = self.lane(*key).cost_ratio if known else 1.0
        return factor

    def to_json(self) -> str:
        return json.dumps({
            "network": asdict(self.network),
            "lanes": [[list(k), asdict(c)] for k, c in self.lanes.items()],
            "cells": [[list(k), asdict(c)] for k, c in self.cells.items()],
            "nodes": {n: asdict(r) for n, r in self.nodes.items()},
        }, sort_keys=True)  # fmt: skip

    @classmethod
    def from_json(cls, text: str) -> "ReliabilityTable":
        data = json.loads(text)
        return cls(_cell(data["network"]), {tuple(k): _cell(c) for k, c in data["lanes"]},
                   {tuple(k): _cell(c) for k, c in data["cells"]},
                   {n: NodeReliability(**r) for n, r in data["nodes"].items()})  # fmt: skip

    def to_bytes(self) -> bytes:
        return self.to_json().encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> "ReliabilityTable":
        return cls.from_json(bytes(data).decode())


def _cell(data: dict) -> Cell:
    """A cell read from JSON (a list there, the delays are a tuple here; tables before them have none)."""
    return Cell(**data | {"delay_cdf": tuple(data.get("delay_cdf", ()))})
