"""Column generation for the joint problem, checked against every plan enumerated on tiny instances: its
LP bound is the LP over all plans, never above the joint optimum, and the MILP over the plans it
generated is a feasible joint plan no better than the optimum."""

import random
from itertools import product

import pytest

from oms.domain.routing.batch import UNIT_PENALTY, choose_plans, reoptimise
from oms.domain.routing.colgen import ColumnGeneration
from oms.domain.routing.explain import to_plan
from oms.domain.routing.plan_space import Found
from oms.domain.routing.rates import RateTable
from oms.domain.routing.scoring import Scorer
from tests.unit.routing.builders import KOELN, LYON, ORLEANS, card, job, lines, node, strategy
from tests.unit.routing.test_batch import used

RATES = RateTable([card(band=200, breaks=((5, 4.0), (30, 8.0))), card(breaks=((5, 6.0), (30, 11.0)))])


def every_plan(generation: ColumnGeneration, o: int):
    """Every plan the order's strategy allows, shipping something."""
    order = generation.orders[o]
    s, scorer = order.strategy, Scorer(order.strategy.objective, order.routes, order.items)
    per_item = []
    for item in order.items:
        ranges = [range(min(item.quantity, r.node.stock.get(item.sku, 0)) + 1) for r in order.routes]
        per_item.append([
            w for w in product(*ranges)
            if sum(w) <= item.quantity and (s.allow_line_split or sum(1 for q in w if q) <= 1)
            and (s.partial_fulfilment != "ship_complete" or sum(w) == item.quantity)
        ])  # fmt: skip
    for choice in product(*per_item):
        plan: dict[int, dict[str, int]] = {}
        for item, way in zip(order.items, choice, strict=True):
            for r, qty in enumerate(way):
                if qty:
                    plan.setdefault(r, {})[item.sku] = qty
        if plan and len(plan) <= s.max_split:
            units = sum(sum(w) for w in choice)
            yield to_plan(Found(plan, units, scorer.score(plan), True), order.job.lines, scorer)


def tiny_backlog(rng: random.Random):
    places = [("FR", ORLEANS), ("FR", LYON), ("DE", KOELN)]
    nodes = []
    for i in range(rng.randint(2, 3)):
        country, at = rng.choice(places)
        nodes.append(node(f"n{i}", country=country, at=at, stock={s: rng.randint(0, 3) for s in "AB"}))
    jobs = [
        job(nodes, lines(*((s, rng.randint(1, 2)) for s in rng.sample("AB", rng.randint(1, 2)))))
        for _ in range(rng.randint(2, 4))
    ]
    split = rng.random() < 0.5
    s = strategy(
        max_split=2, allow_line_split=split, objective={"shipping_cost": 1, "split": rng.choice([0, 1, 3])},
        partial_fulfilment=rng.choice(["ship_complete", "ship_available_backorder_rest"]),
    )  # fmt: skip
    stock = {(n.id, sku): q for n in nodes for sku, q in n.stock.items()}
    capacity = {n.id: rng.randint(1, 2) for n in nodes}
    return jobs, [s] * len(jobs), stock, capacity


@pytest.mark.parametrize("seed", range(80))
def test_column_generation_bound_is_the_lp_over_every_plan_and_below_the_optimum(seed):
    jobs, strategies, stock, capacity = tiny_backlog(random.Random(seed))
    full = ColumnGeneration(jobs, strategies, RATES, stock, capacity, UNIT_PENALTY)
    for o in range(len(jobs)):
        for plan in every_plan(full, o):
            full.add(o, plan)
    lp_over_all = full.solve_master()[0]
    all_plans = [list(c.values()) for c in full.columns]
    lines_ = [j.lines for j in jobs]
    optimum = choose_plans(all_plans, lines_, stock, capacity)
    optimum_value = optimum.total + UNIT_PENALTY * optimum.unshipped

    outcome = ColumnGeneration(jobs, strategies, RATES, stock, capacity, UNIT_PENALTY).run()
    assert outcome.converged and outcome.proven
    assert outcome.bound == pytest.approx(lp_over_all, abs=1e-6)
    assert outcome.bound <= optimum_value + 1e-6
    chosen = choose_plans([list(c) for c in outcome.columns], lines_, stock, capacity)
    assert chosen.total + UNIT_PENALTY * chosen.unshipped >= optimum_value - 1e-6


def test_the_bound_counts_what_orders_apart_ignore():
    """Two orders want the one unit near them: apart, each counts the near node (4 + 4); jointly, one
    ships from the far node (4 + 6), which the LP bound sees."""
    nodes = [node("near", at=ORLEANS, stock={"A": 1}), node("far", at=LYON, stock={"A": 5})]
    jobs = [job(nodes, lines(("A", 1))), job(nodes, lines(("A", 1)))]
    s = strategy(objective={"shipping_cost": 1})
    stock = {("near", "A"): 1, ("far", "A"): 5}
    outcome = ColumnGeneration(jobs, [s, s], RATES, stock, {}, UNIT_PENALTY).run()
    assert outcome.converged and outcome.bound == pytest.approx(10.0)


@pytest.mark.parametrize("seed", range(10))
def test_reoptimise_returns_one_feasible_plan_per_order_above_its_bound(seed):
    jobs, strategies, stock, capacity = tiny_backlog(random.Random(seed))
    outcome = reoptimise(jobs, strategies, RATES, stock, capacity, time_limit=10)
    assert len(outcome.plans) == len(jobs)
    taken, shipments = used(outcome.plans)
    assert all(q <= stock[k] for k, q in taken.items())
    assert all(n <= capacity[k] for k, n in shipments.items())
    assert outcome.bound is not None
    assert outcome.bound <= outcome.total + UNIT_PENALTY * outcome.unshipped + 1e-6
