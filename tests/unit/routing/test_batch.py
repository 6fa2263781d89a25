"""Batch routing picks one plan per order from its pool under stock and capacity: checked against brute
force over the same pools on small seeded instances. Pools: each order's best plan, the best without
each node it uses, its best single-node plans, and shipping nothing."""

import random
from dataclasses import replace
from itertools import product

import pytest

from oms.domain.routing.batch import UNIT_PENALTY, choose_plans
from oms.domain.routing.explain import items_of, nothing_ships, to_plan
from oms.domain.routing.filters import eligible_routes
from oms.domain.routing.model import Plan
from oms.domain.routing.plan_space import Found
from oms.domain.routing.profiles import Strategy
from oms.domain.routing.rates import RateTable
from oms.domain.routing.scoring import Scorer
from oms.domain.routing.select import RoutingInput, run_strategy
from tests.unit.routing.builders import KOELN, LYON, ORLEANS, card, job, lines, node, strategy

RATES = RateTable([card(band=200, breaks=((5, 4.0), (30, 8.0))), card(breaks=((5, 6.0), (30, 11.0)))])
STRATEGY = strategy(max_split=2, allow_line_split=True, objective={"shipping_cost": 1, "split": 1})


def plan_pool(job: RoutingInput, strategy: Strategy, rates: RateTable, singles: int = 6) -> list[Plan]:
    """Candidate plans for one order, best first, without duplicates; shipping nothing comes last."""
    best, _ = run_strategy(job, strategy, rates)
    pool = [best]
    for shipment in best.shipments:
        others = [c for c in job.candidates if c.id != shipment.node_id]
        pool.append(run_strategy(replace(job, candidates=others), strategy, rates)[0])
    pool += _single_node_plans(job, strategy, rates)[:singles]
    pool.append(nothing_ships(job.lines, Scorer(strategy.objective, [], items_of(job.lines))))
    unique: dict[tuple, Plan] = {}
    for plan in pool:
        unique.setdefault(_signature(plan), plan)
    return sorted(unique.values(), key=lambda p: (-p.units, p.score))


def _single_node_plans(job: RoutingInput, strategy: Strategy, rates: RateTable) -> list[Plan]:
    items = items_of(job.lines)
    routes, _ = eligible_routes(
        job.order, {i.sku for i in items}, job.destination, job.candidates, strategy.filters, rates
    )
    scorer, total = Scorer(strategy.objective, routes, items), sum(i.quantity for i in items)
    plans = []
    for r, route in enumerate(routes):
        units = {i.sku: min(i.quantity, route.node.stock.get(i.sku, 0)) for i in items}
        units = {sku: q for sku, q in units.items() if q > 0}
        shipped = sum(units.values())
        if shipped and (shipped == total or strategy.partial_fulfilment != "ship_complete"):
            plan = {r: units}
            plans.append(to_plan(Found(plan, shipped, scorer.score(plan), True), job.lines, scorer))
    return sorted(plans, key=lambda p: (-p.units, p.score))


def _signature(plan: Plan) -> tuple:
    return tuple(sorted((s.node_id, s.lines) for s in plan.shipments))


def used(plans):
    """(node, SKU) -> units and node -> shipments the plans take."""
    stock, shipments = {}, {}
    for plan in plans:
        for s in plan.shipments:
            shipments[s.node_id] = shipments.get(s.node_id, 0) + 1
            for _, sku, q in s.lines:
                stock[(s.node_id, sku)] = stock.get((s.node_id, sku), 0) + q
    return stock, shipments


def brute_force(pools, ordered, stock, capacity):
    best = None
    for choice in product(*pools):
        taken, shipments = used(choice)
        if any(q > stock[k] for k, q in taken.items()) or any(n > capacity[k] for k, n in shipments.items()):
            continue
        value = sum(p.score + UNIT_PENALTY * (o - p.units) for p, o in zip(choice, ordered, strict=True))
        best = value if best is None else min(best, value)
    return best


def test_capacity_sends_the_second_order_to_its_next_best_node():
    nodes = [node("near", at=ORLEANS, stock={"A": 5}), node("far", at=LYON, stock={"A": 5})]
    jobs = [job(nodes, lines(("A", 1))), job(nodes, lines(("A", 2)))]
    pools = [plan_pool(j, STRATEGY, RATES) for j in jobs]
    outcome = choose_plans(pools, [j.lines for j in jobs], {}, {"near": 1, "far": 5})
    assert sorted(p.shipments[0].node_id for p in outcome.plans) == ["far", "near"]
    assert outcome.total == 10.0 and outcome.unshipped == 0


def test_scarce_stock_goes_where_it_ships_the_most_units():
    nodes = [node("near", at=ORLEANS, stock={"A": 2})]
    jobs = [job(nodes, lines(("A", 1))), job(nodes, lines(("A", 2)))]
    pools = [plan_pool(j, STRATEGY, RATES) for j in jobs]
    outcome = choose_plans(pools, [j.lines for j in jobs], {("near", "A"): 2}, {})
    assert [p.units for p in outcome.plans] == [0, 2] and outcome.unshipped == 1


@pytest.mark.parametrize("seed", range(25))
def test_the_milp_picks_the_brute_force_best_combination_of_pooled_plans(seed):
    rng = random.Random(seed)
    places = [("FR", ORLEANS), ("FR", LYON), ("DE", KOELN)]
    nodes = []
    for i in range(rng.randint(2, 4)):
        country, at = rng.choice(places)
        nodes.append(node(f"n{i}", country=country, at=at, stock={s: rng.randint(0, 3) for s in "ABC"}))
    jobs = [
        job(nodes, lines(*((s, rng.randint(1, 2)) for s in rng.sample("ABC", rng.randint(1, 2)))))
        for _ in range(rng.randint(2, 4))
    ]
    pools = [plan_pool(j, STRATEGY, RATES, singles=3) for j in jobs]
    stock = {(n.id, s): q for n in nodes for s, q in n.stock.items()}
    capacity = {n.id: rng.randint(1, 2) for n in nodes}
    ordered = [sum(line.quantity for line in j.lines) for j in jobs]
    outcome = choose_plans(pools, [j.lines for j in jobs], stock, capacity)
    value = outcome.total + UNIT_PENALTY * outcome.unshipped
    assert value == pytest.approx(brute_force(pools, ordered, stock, capacity), abs=1e-6)
    taken, shipments = used(outcome.plans)
    assert all(q <= stock[k] for k, q in taken.items()) and all(
        n <= capacity[k] for k, n in shipments.items()
    )
