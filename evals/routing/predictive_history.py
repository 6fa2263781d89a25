"""The delivered history of the simulation: days of orders routed by rules alone on the same network,
their parcels' outcomes drawn from the hidden mechanism, turned into the `DeliveryFact`s routing
reliability learns from. Nothing else of the hidden mechanism leaves this module."""

import random
from dataclasses import dataclass

from evals.routing.bench import engine_per_order
from evals.routing.instances import Instance, Order, generate, with_orders
from evals.routing.predictive_world import Hidden, draw, parcel
from oms.domain.routing.model import Plan
from oms.domain.routing.profiles import ProfileSet, Strategy
from oms.domain.routing.reliability import DeliveryFact, ReliabilityTable
from oms.domain.routing.select import route_order

TEST_DAYS = 500
RELIABILITY_VERSION = 1  # the version the predictive profile set pins: the table learnt from the history


@dataclass(frozen=True, slots=True)
class Routed:
    orders: tuple[Order, ...]
    plans: tuple[Plan, ...]


def rules(strategy: Strategy) -> ProfileSet:
    return ProfileSet(version=1, strategies=[strategy])


def predictive(strategy: Strategy, late_risk: float) -> ProfileSet:
    objective = strategy.objective.model_copy(update={"late_risk": late_risk})
    weighed = strategy.model_copy(update={"objective": objective})
    return ProfileSet(version=2, strategies=[weighed], reliability_version=RELIABILITY_VERSION)


def route(inst: Instance, profiles: ProfileSet, table: ReliabilityTable | None = None) -> Routed:
    """`inst`'s orders one by one on the stock and capacity the earlier ones left (as bench routes them)."""
    if (table is None) != (profiles.reliability_version is None):
        raise ValueError("a table goes with a profile set that pins its version, and only then")
    _, plans = engine_per_order(
        inst,
        profiles.strategies[0].name,
        lambda job: route_order(job, profiles, inst.rates, reliability=table).plan,
    )
    return Routed(inst.orders, tuple(plans))


def day(world: Instance, seed: int, index: int) -> Instance:
    """Day `index`'s orders on `world`'s network, as many as `world` has, on the stock and capacity every
    day starts with; test days are indexes from TEST_DAYS on, so they never meet the history's."""
    orders = generate(seed, len(world.orders), len(world.nodes), orders_seed=1000 * seed + index).orders
    return with_orders(world, orders)


def route_test_days(
    world: Instance, seed: int, count: int, profiles: ProfileSet, table: ReliabilityTable | None = None
) -> Routed:
    """`count` test days routed under `profiles`, end to end."""
    days = [route(day(world, seed, TEST_DAYS + i), profiles, table) for i in range(count)]
    return Routed(sum((d.orders for d in days), ()), sum((d.plans for d in days), ()))


def delivered(world: Instance, hidden: Hidden, routed: Routed, rng: random.Random) -> list[DeliveryFact]:
    """The facts of `routed`'s parcels, each outcome drawn from the hidden mechanism."""
    nodes = {n.id: n for n in world.nodes}
    facts = []
    for order, plan in zip(routed.orders, routed.plans, strict=True):
        for shipment in plan.shipments:
            p = parcel(hidden, nodes, order, shipment)
            late_handover, delayed = draw(rng, p)
            delay = late_handover + delayed  # days after the planned delivery
            facts.append(DeliveryFact(p.node.id, p.node.type, p.carrier, p.region, order.facts.service_level,
                                      delay <= p.slack, p.planned_transit + delayed, False, late_handover > 0,
                                      delay_days=delay))  # fmt: skip
    return facts


@dataclass(frozen=True, slots=True)
class Day:
    routed: Routed
    facts: list[DeliveryFact]


def rules_days(world: Instance, seed: int, days: int) -> list[Routed]:
    """`days` days of orders routed by rules alone (the same plans whatever the hidden world)."""
    profiles = rules(world.strategy)
    return [route(day(world, seed, index), profiles) for index in range(days)]


def history(world: Instance, hidden: Hidden, seed: int, routed_days: list[Routed]) -> list[Day]:
    """The rules' days with their delivered facts, each day's outcomes drawn from its own seed."""
    return [Day(routed, delivered(world, hidden, routed, random.Random(f"outcomes-{seed}-{index}")))
            for index, routed in enumerate(routed_days)]  # fmt: skip
