"""The criteria a plan is scored on; the score is their sum weighted by the strategy's objective.

A plan maps route indexes to {SKU: units}. Every criterion grows (or stays) as units or shipments are
added to a plan, so the score of part of a plan is a lower bound of any plan completing it: the search
prunes on that.

- shipping_cost: what the carriers charge, shipment by shipment (base fee included; with a reliability
  table, the quote times what each carrier bills over its quotes, its cost_factor)
- transit_days: transit days of the slowest shipment, when the customer has everything
- sla_risk: days the latest delivery falls after the promised date
- split: shipments beyond the first
- node_priority: node priority (lower is preferred) averaged over the units ordered
- capacity_balance: share of its daily capacity each shipping node has already used, summed
- store_stock_protection: share of a store's stock of each SKU the plan takes, summed
- late_risk: shipments expected to arrive late, the sum of 1 - P(on time) of each (predicted)
- predicted_transit_days: predicted mean transit days, summed over the shipments (summed rather than the
  largest so each shipment's carrier is chosen on its own and the search's bounds stay exact)

The last two need a reliability table (an `Outlook`): each shipment then goes with the carrier that
minimises its weighted cost plus its weighted predicted lateness (see carrier_choice), and the search
scores shipping at weight 1 on that value. Without a table routing is as it always was.

`Prices` add to the score a cost per unit of a SKU taken from a node and per shipment from a node: the
dual prices of the joint problem's stock and capacity rows when column generation prices new plans.
They are not criteria (the breakdown leaves them out) and they may not be negative, so a score still
only grows as a plan grows.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from math import copysign
from types import MappingProxyType

from oms.domain.routing.carrier_choice import CarrierChoice, Choice, Outlook
from oms.domain.routing.filters import Route
from oms.domain.routing.model import Criterion
from oms.domain.routing.profiles import PREDICTED, Objective

CRITERIA = tuple(Objective.model_fields)
PlanUnits = Mapping[int, Mapping[str, int]]
CRITERIA_KEPT = 8192
_NO_UNITS: Mapping[str, int] = MappingProxyType({})
_criteria: dict[tuple, Criterion] = {}


def criterion(value: float, weight: float) -> Criterion:
    """A criterion as an explanation shows it, memoised across orders: the same few values recur. The key
    holds types and signs, since 0, 0.0 and -0.0 (or 2 and 2.0) are equal keys that print apart."""
    key = (value.__class__, value, copysign(1.0, value), weight.__class__, weight, copysign(1.0, weight))
    known = _criteria.get(key)
    if known is None:
        if len(_criteria) >= CRITERIA_KEPT:
            _criteria.clear()
        known = _criteria[key] = Criterion(round(value, 4), round(value * weight, 4))
    return known


@dataclass(frozen=True, slots=True)
class Item:
    """The order's demand for one SKU: lines of the same SKU are routed together."""

    sku: str
    quantity: int
    unit_weight_kg: float


@dataclass(frozen=True, slots=True)
class Prices:
    unit: Mapping[tuple[str, str], float] = field(default_factory=dict)  # (node id, SKU) -> per unit
    shipment: Mapping[str, float] = field(default_factory=dict)  # node id -> per shipment

    def __post_init__(self):
        if min(self.unit.values(), default=0.0) < 0 or min(self.shipment.values(), default=0.0) < 0:
            raise ValueError("prices may not be negative")


NO_PRICES = Prices()


def utilisation(route: Route) -> float:
    node = route.node
    if node.daily_capacity <= 0:
        return 1.0
    return min(1.0, max(0.0, 1 - node.remaining_capacity / node.daily_capacity))


class Scorer:
    def __init__(
        self,
        objective: Objective,
        routes: Sequence[Route],
        items: Sequence[Item],
        prices: Prices = NO_PRICES,
        outlook: Outlook | None = None,
    ):
        self.objective, self.routes = objective, routes
        self.criterion_weights = {name: getattr(objective, name) for name in CRITERIA}
        self.carriers = None if outlook is None else CarrierChoice(objective, routes, outlook)
        self.weighs = self.carriers is not None and self.carriers.weighs
        # weighing lateness, a shipment's "shipping" is its weighted value (cost and lateness) counted once
        self.w = objective.model_copy(update={"shipping_cost": 1.0}) if self.weighs else objective
        self.weight = {i.sku: i.unit_weight_kg for i in items}
        self.ordered_units = sum(i.quantity for i in items) or 1
        self.util = [utilisation(r) for r in routes]
        self.fixed = [
            objective.capacity_balance * u + objective.split + prices.shipment.get(r.node.id, 0.0)
            for r, u in zip(routes, self.util, strict=True)
        ]
        self.unit = [{sku: self._per_unit(r, sku, prices) for sku in r.node.stock} for r in routes]
        entry = (
            self.carriers.entry if self.weighs else [self.w.shipping_cost * r.lane.min_cost for r in routes]
        )
        self._entry_bounds = [e + f - self.w.split for e, f in zip(entry, self.fixed, strict=True)]
        self._shipping: dict[tuple[int, float], float] = {}

    def _per_unit(self, route: Route, sku: str, prices: Prices) -> float:
        cost = self.w.node_priority * route.node.priority / self.ordered_units
        cost += prices.unit.get((route.node.id, sku), 0.0)
        available = route.node.stock.get(sku, 0)
        if route.node.type == "store" and available > 0:
            cost += self.w.store_stock_protection / available
        return cost

    def weight_of(self, units: Mapping[str, int]) -> float:
        return sum(q * self.weight[sku] for sku, q in units.items())

    def shipping(self, r: int, weight_kg: float) -> float:
        """The carrier cost of a shipment from route `r` (its weighted value when weighing lateness),
        memoised: the search asks the same few often."""
        if self.weighs:
            return self.carriers.choose(r, weight_kg).value
        key = (r, weight_kg)
        cost = self._shipping.get(key)
        if cost is None:
            cost = self._shipping[key] = self.routes[r].lane.quote(weight_kg).cost
        return cost

    def carrier(self, r: int, weight_kg: float) -> Choice | None:
        """The chosen carrier with its predictions, or None without a reliability table."""
        return None if self.carriers is None else self.carriers.choose(r, weight_kg)

    def ships_no_dearer(self, d: int, r: int) -> bool:
        """True when a shipment from route `d` never scores more on shipping than one from `r`."""
        if self.weighs:
            return self.carriers.no_dearer(d, r, self.routes[d].lane, self.routes[r].lane)
        return not self.w.shipping_cost or self.routes[d].lane.at_most(self.routes[r].lane)

    def score(self, plan: PlanUnits) -> float:
        return self.score_with(plan, "", {})

    def score_with(self, plan: PlanUnits, sku: str, option: Mapping[int, int]) -> float:
        """The score of `plan` once `option` ({route: units}) ships `sku` as well, for a plan shipping none
        of it: plan_space.with_units without building that plan (the greedy search weighs many moves and
        keeps few). The hottest function of routing, so written out; its sums run as `score` would run
        them on the plan built: route by route, in each the SKUs in plan order, `sku` last."""
        w, weight = self.w, self.weight
        total, days, late = 0.0, 0, 0
        for r in chain(plan, (r for r in option if r not in plan)):
            unit = self.unit[r]
            kg = per_unit = 0
            for s, q in plan.get(r, _NO_UNITS).items():
                kg += q * weight[s]
                per_unit += q * unit[s]
            if (q := option.get(r)) is not None:
                kg += q * weight[sku]
                per_unit += q * unit[sku]
            route = self.routes[r]
            total += w.shipping_cost * self.shipping(r, kg) + self.fixed[r]
            total += per_unit
            days, late = max(days, route.node.transit_days), max(late, route.days_late)
        if plan or option:
            total -= w.split
        return total + w.transit_days * days + w.sla_risk * late

    def new_node_bound(self, r: int) -> float:
        """At least what bringing route `r` into a plan adds, before any unit or the split penalty."""
        return self._entry_bounds[r]

    def breakdown(self, plan: PlanUnits) -> dict[str, Criterion]:
        """The plan's criteria. Written out, as `score` is: every eligible node is broken down for its
        verdict. Each sum runs in plan order, as sum() over a list of the terms would."""
        shipping = priority = balance = protection = 0
        days = late = 0
        for r, units in plan.items():
            route, node = self.routes[r], self.routes[r].node
            shipping += self._cost(r, self.weight_of(units))
            priority += node.priority * sum(units.values())
            balance += self.util[r]
            if node.type == "store":
                for sku, q in units.items():
                    protection += q / node.stock[sku]
            days = max(days, node.transit_days)
            late = max(late, route.days_late)
        weights = self.criterion_weights
        criteria = {
            "shipping_cost": criterion(shipping, weights["shipping_cost"]),
            "transit_days": criterion(days, weights["transit_days"]),
            "sla_risk": criterion(late, weights["sla_risk"]),
            "split": criterion(max(0, len(plan) - 1), weights["split"]),
            "node_priority": criterion(priority / self.ordered_units, weights["node_priority"]),
            "capacity_balance": criterion(balance, weights["capacity_balance"]),
            "store_stock_protection": criterion(protection, weights["store_stock_protection"]),
        }
        if self.carriers is not None:
            criteria |= {name: criterion(v, weights[name]) for name, v in self._predicted(plan).items()}
        return criteria

    def _cost(self, r: int, weight_kg: float) -> float:
        return self.carriers.choose(r, weight_kg).billed if self.weighs else self.shipping(r, weight_kg)

    def _predicted(self, plan: PlanUnits) -> dict[str, float]:
        chosen = [self.carriers.choose(r, self.weight_of(u)) for r, u in plan.items()]
        return dict(zip(PREDICTED, (sum(1 - c.on_time for c in chosen), sum(c.transit_mean for c in chosen))))
