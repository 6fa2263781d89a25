"""A reliability table for the bench's "engine, per order + predictions" row: learnt from a quick
synthetic history of the instance (its orders as the plain engine routed them, delivered a few times over
with each node and carrier on time at a rate of its own), so the row times routing with a real table of
the bench network's size. What the table says matters little here: the row measures decision time."""

import random

from evals.routing.instances import Instance
from oms.domain.routing.model import Plan
from oms.domain.routing.profiles import Strategy
from oms.domain.routing.reliability import DeliveryFact, ReliabilityTable
from oms.domain.routing.reliability_learning import learn_reliability

DELIVERIES = 5  # times each planned shipment is delivered in the history
LATE_RISK = 20.0  # a 10-point lower on-time probability is worth 2.00 of shipping


def learnt_table(inst: Instance, plans: list[Plan], seed: int) -> ReliabilityTable:
    rng = random.Random(f"bench-predictions-{seed}")
    kinds = {n.id: n.type for n in inst.nodes}
    rate: dict[tuple[str, str], float] = {}
    facts = []
    for order, plan in zip(inst.orders, plans, strict=True):
        for s in plan.shipments:
            p = rate.setdefault((s.node_id, s.carrier), rng.uniform(0.7, 0.98))
            for _ in range(DELIVERIES):
                on_time = rng.random() < p
                facts.append(DeliveryFact(s.node_id, kinds[s.node_id], s.carrier, order.facts.destination_region,
                                          order.facts.service_level, on_time, s.transit_days + (not on_time),
                                          False, False))  # fmt: skip
    return learn_reliability(facts)


def weighing_lateness(strategy: Strategy) -> Strategy:
    objective = strategy.objective.model_copy(update={"late_risk": LATE_RISK})
    return strategy.model_copy(update={"objective": objective})
