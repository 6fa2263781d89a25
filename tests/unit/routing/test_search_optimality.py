"""The search against brute force: on small random instances, enumerate every assignment of units to
nodes the strategy allows and check the search finds the same best (units shipped, then score)."""

import random
from itertools import product

import pytest

from oms.domain.geo import Point
from oms.domain.routing.filters import Route
from oms.domain.routing.model import Candidate
from oms.domain.routing.profiles import Strategy
from oms.domain.routing.rates import Lane, RateCard
from oms.domain.routing.scoring import Item, Scorer
from oms.domain.routing.search import Search
from tests.unit.routing.builders import random_strategy


def random_instance(rng: random.Random, skus: str | None = None):
    skus = skus or "ABC"[: rng.randint(2, 3)]
    items = [Item(sku, rng.randint(1, 3), rng.choice([0.5, 2.0, 6.0])) for sku in skus]
    routes = []
    for i in range(rng.randint(3, 4)):
        stock = {item.sku: rng.randint(0, 3) for item in items}
        node = Candidate(f"n{i}", rng.choice(["warehouse", "store"]), "FR", Point(45, 5), rng.randint(1, 50),
                         frozenset({"ship"}), 10, rng.randint(1, 10), stock, rng.randint(1, 4))  # fmt: skip
        first = rng.uniform(2, 8)
        breaks = ((3.0, first), (8.0, first + rng.uniform(0, 6)), (20.0, first + rng.uniform(6, 12)))
        lane = Lane((RateCard("c", "standard", None, None, None, breaks, rng.uniform(0, 3), 0.5),))
        routes.append(Route(node, lane, 100.0, rng.randint(0, 2)))
    strategy = random_strategy(rng, [0, 0, 0.5, 1, 3])
    return items, routes, strategy


def brute_force(items, scorer: Scorer, strategy: Strategy):
    """(units, score) of the best plan over every allowed assignment, or None when none is allowed."""
    per_item = []
    for item in items:
        ranges = [range(min(item.quantity, r.node.stock.get(item.sku, 0)) + 1) for r in scorer.routes]
        ways = [
            w
            for w in product(*ranges)
            if sum(w) <= item.quantity
            and (strategy.allow_line_split or sum(1 for q in w if q) <= 1)
            and (strategy.partial_fulfilment != "ship_complete" or sum(w) == item.quantity)
        ]
        per_item.append(ways)
    best = None
    for choice in product(*per_item):
        plan = {}
        for item, way in zip(items, choice, strict=True):
            for r, qty in enumerate(way):
                if qty:
                    plan.setdefault(r, {})[item.sku] = qty
        if len(plan) > strategy.max_split:
            continue
        units = sum(sum(w) for w in choice)
        key = (-units, scorer.score(plan))
        if best is None or key < best:
            best = key
    return None if best is None else (-best[0], best[1])


@pytest.mark.parametrize("seed", range(200))
def test_the_search_finds_the_brute_force_optimum(seed):
    items, routes, strategy = random_instance(random.Random(seed))
    assert_search_finds_the_optimum(items, Scorer(strategy.objective, routes, items), strategy)


@pytest.mark.parametrize("seed", range(100))
def test_the_search_finds_the_brute_force_optimum_for_one_sku(seed):
    """One SKU takes the greedy plan as its only incumbent (see Search._offer_incumbents)."""
    items, routes, strategy = random_instance(random.Random(seed), skus="A")
    assert_search_finds_the_optimum(items, Scorer(strategy.objective, routes, items), strategy)


def assert_search_finds_the_optimum(items, scorer: Scorer, strategy: Strategy) -> None:
    """The search's plan is exact and as good as the brute force's (or both find none)."""
    found = Search(items, scorer, strategy).run()
    expected = brute_force(items, scorer, strategy)
    if expected is None:
        assert found is None
    else:
        assert found.exact and found.score == pytest.approx(scorer.score(found.plan), abs=1e-9)
        assert (found.units, found.score) == (expected[0], pytest.approx(expected[1], abs=1e-6))


def test_random_instances_cover_infeasible_partial_and_split_plans():
    """Guards the test above against instances too easy to tell a good search from a bad one."""
    outcomes = set()
    for seed in range(300):
        items, routes, strategy = random_instance(random.Random(seed))
        found = Search(items, Scorer(strategy.objective, routes, items), strategy).run()
        total = sum(i.quantity for i in items)
        outcomes.add(
            "none"
            if found is None
            else "partial"
            if found.units < total
            else "split"
            if len(found.plan) > 1
            else "whole"
        )
    assert outcomes == {"none", "partial", "split", "whole"}
