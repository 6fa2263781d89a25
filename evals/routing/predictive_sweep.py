"""Choosing the late_risk weight on the history alone: a table learnt on the first days routes the last
(validation) days under each weight; the on-time rate of each replay is estimated with a second table
learnt from the validation days' own outcomes (under rules), since a replay has no outcomes of its own,
and its cost is the rate cards'. The test orders play no part."""

import math
from dataclasses import dataclass

from evals.routing.instances import Instance, with_orders
from evals.routing.predictive_evaluate import predicted_on_time, shipping_cost
from evals.routing.predictive_history import Day, Routed, predictive, route
from oms.domain.routing.reliability import ReliabilityTable
from oms.domain.routing.reliability_learning import learn_reliability

COST_BUDGET = 0.018  # the acceptance allows 2.0% more cost; the choice keeps a margin for the test's noise


@dataclass(frozen=True, slots=True)
class Point:
    weight: float
    on_time: float  # estimated by the validation days' table
    cost_delta: float  # against rules on the same orders


def sweep(world: Instance, days: list[Day], validation: int, weights: list[float]) -> list[Point]:
    train, held = days[:-validation], days[-validation:]
    table = learn_reliability([f for d in train for f in d.facts])
    judge = learn_reliability([f for d in held for f in d.facts])
    rules_cost = sum(shipping_cost(world, d.routed) for d in held)
    points = [Point(0.0, _estimated(world, judge, [d.routed for d in held]), 0.0)]
    for weight in weights:
        profiles = predictive(world.strategy, weight)
        replays = [route(with_orders(world, d.routed.orders), profiles, table) for d in held]
        cost = sum(shipping_cost(world, r) for r in replays)
        points.append(Point(weight, _estimated(world, judge, replays), cost / rules_cost - 1))
    return points


def chosen(points: list[Point]) -> Point:
    """The best estimated on-time rate within the cost budget (the lighter weight on a tie)."""
    affordable = [p for p in points if p.cost_delta <= COST_BUDGET]
    return max(affordable, key=lambda p: (round(p.on_time, 4), -p.weight))


def _estimated(world: Instance, table: ReliabilityTable, routed: list[Routed]) -> float:
    """Orders shipped in full times the table's on-time odds of each of their parcels, per order."""
    nodes = {n.id: n for n in world.nodes}
    total, count = 0.0, 0
    for r in routed:
        for order, plan in zip(r.orders, r.plans, strict=True):
            count += 1
            if plan.units == sum(line.quantity for line in order.lines):
                odds = (predicted_on_time(table, nodes[s.node_id], s.carrier, order) for s in plan.shipments)
                total += math.prod(odds)
    return total / count
