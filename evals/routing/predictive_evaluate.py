"""Figures of one routing of the test orders: on-time rate expected over the hidden mechanism and over
seeded draws (the same uniforms for every method, parcel slot by parcel slot, so the methods' difference
is not drowned in the draws' noise), the rate cards' shipping cost, parcels per order, unshipped units,
and how well a reliability table ranks the parcels (ROC-AUC of its predicted on-time against outcomes)."""

import math
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from sklearn.metrics import roc_auc_score

from evals.routing.instances import TODAY, Instance, Node, Order, transit_days
from evals.routing.predictive_history import Routed
from evals.routing.predictive_world import Hidden, Parcel, days, parcel
from oms.domain.routing.carrier_choice import slack_days
from oms.domain.routing.model import PlannedShipment
from oms.domain.routing.rates import carrier_cost
from oms.domain.routing.reliability import ReliabilityTable


@dataclass(frozen=True, slots=True)
class Figures:
    name: str
    on_time: float  # expected share of orders shipped in full and delivered by the promise
    draws: tuple[float, ...]  # the on-time share of each draw
    parcel_on_time: float  # expected share of parcels delivered by the promise
    cost: float  # the rate cards' price of every parcel with the carrier the plan chose
    parcels_per_order: float
    unshipped: int


def parcels_of(world: Instance, hidden: Hidden, routed: Routed) -> list[list[Parcel] | None]:
    """Each order's parcels, None for an order not shipped in full (it cannot be on time)."""
    nodes = {n.id: n for n in world.nodes}
    result = []
    for order, plan in zip(routed.orders, routed.plans, strict=True):
        full = plan.units == sum(line.quantity for line in order.lines)
        result.append([parcel(hidden, nodes, order, s) for s in plan.shipments] if full else None)
    return result


def uniforms(seed: int, draws: int, orders: int, slots: int = 3) -> np.ndarray:
    """(draw, order, parcel slot, cause) -> U(0, 1): one array shared by every method."""
    return np.random.default_rng(seed).random((draws, orders, slots, 2))


def figures(name: str, world: Instance, hidden: Hidden, routed: Routed, u: np.ndarray) -> Figures:
    parcels = parcels_of(world, hidden, routed)
    shipped = [p for ps in parcels if ps for p in ps]
    expected = _expected_orders_on_time(parcels)
    n = len(routed.orders)
    cost = shipping_cost(world, routed)
    shipments = sum(len(plan.shipments) for plan in routed.plans)
    unshipped = sum(sum(q for _, _, q in plan.backorders) for plan in routed.plans)
    parcel_on_time = sum(p.p_on_time() for p in shipped) / max(len(shipped), 1)
    return Figures(name, expected / n, _draws(parcels, u), parcel_on_time,
                   cost, shipments / n, unshipped)  # fmt: skip


def expected_orders_on_time(world: Instance, hidden: Hidden, routed: Routed) -> float:
    """How many of `routed`'s orders the hidden mechanism delivers on time, in expectation."""
    return _expected_orders_on_time(parcels_of(world, hidden, routed))


def _expected_orders_on_time(parcels: list[list[Parcel] | None]) -> float:
    return sum(math.prod(p.p_on_time() for p in ps) for ps in parcels if ps is not None)


def _draws(parcels: list[list[Parcel] | None], u: np.ndarray) -> tuple[float, ...]:
    on_time = np.zeros(u.shape[0])
    for i, ps in enumerate(parcels):
        if ps is None:
            continue
        timely = np.ones(u.shape[0], dtype=bool)
        for j, p in enumerate(ps):
            timely &= days(u[:, i, j, 0], p.handover) + days(u[:, i, j, 1], p.lane) <= p.slack
        on_time += timely
    return tuple(on_time / len(parcels))


def shipping_cost(world: Instance, routed: Routed) -> float:
    pairs = zip(routed.orders, routed.plans, strict=True)
    return sum(_price(world, order, s) for order, plan in pairs for s in plan.shipments)


def _price(world: Instance, order: Order, shipment: PlannedShipment) -> float:
    """What the chosen carrier's rate card charges for the shipment."""
    node = next(n for n in world.nodes if n.id == shipment.node_id)
    weight = {line.line_no: line.unit_weight_kg for line in order.lines}
    kg = sum(q * weight[line_no] for line_no, _, q in shipment.lines)
    service = order.facts.service_level
    return carrier_cost(
        world.rates, shipment.carrier, node.country, node.point, order.destination, kg, service
    )


def predicted_on_time(table: ReliabilityTable, node: Node, carrier: str, order: Order) -> float:
    """The table's P(on time) as routing asks it: given the business days the node's planned delivery
    leaves before the promise (the world counts calendar days; they differ only for a plan due on a
    weekend, late either way)."""
    planned = TODAY + timedelta(days=node.processing_days + transit_days(node, order.destination))
    slack = slack_days(planned, order.facts.promised_delivery_date)
    facts = order.facts
    return table.on_time_given(node.id, carrier, facts.destination_region, facts.service_level, slack)


def ranking_auc(
    table: ReliabilityTable, parcels: list[tuple[Parcel, Order]], u: np.ndarray
) -> tuple[float, float]:
    """(the table's ROC-AUC, the hidden truth's) over `parcels` (each with its order) with outcomes drawn
    from `u` ((draw, parcel, cause) uniforms): how well each ranks parcels from likely late to on time."""
    predicted = np.array([predicted_on_time(table, p.node, p.carrier, order) for p, order in parcels])
    truth = np.array([p.p_on_time() for p, _ in parcels])
    outcomes = np.array([days(u[:, i, 0], p.handover) + days(u[:, i, 1], p.lane) <= p.slack
                         for i, (p, _) in enumerate(parcels)]).T.ravel()  # fmt: skip
    draws = u.shape[0]
    return roc_auc_score(outcomes, np.tile(predicted, draws)), roc_auc_score(outcomes, np.tile(truth, draws))
