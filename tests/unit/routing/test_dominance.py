"""Leaving dominated nodes out never loses the best plan: on seeded random instances where many nodes
share lanes and stock, the pruned search finds the same best (units, then score) as the full one."""

import random

import pytest

from oms.domain.geo import Point
from oms.domain.routing.dominance import dominated_routes
from oms.domain.routing.filters import Route
from oms.domain.routing.model import Candidate
from oms.domain.routing.profiles import Objective
from oms.domain.routing.rates import Lane, RateCard
from oms.domain.routing.scoring import Item, Scorer
from oms.domain.routing.search import Search
from tests.unit.routing.builders import random_strategy


def crowded_instance(rng: random.Random):
    items = [Item(s, rng.randint(1, 3), rng.choice([0.5, 2.0, 6.0])) for s in "ABCD"[: rng.randint(2, 4)]]
    lanes = []
    for _ in range(rng.randint(1, 3)):
        first = rng.uniform(2, 8)
        breaks = ((3.0, first), (8.0, first + rng.uniform(0, 6)), (20.0, first + rng.uniform(6, 12)))
        lanes.append(Lane((RateCard("c", "standard", None, None, None, breaks, rng.uniform(0, 3), 0.5),)))
    routes = []
    for i in range(rng.randint(5, 9)):
        stock = {item.sku: rng.choice([0, 1, 3, 5]) for item in items}
        node = Candidate(f"n{i}", rng.choice(["warehouse", "store"]), "FR", Point(45, 5), rng.choice([1, 5]),
                         frozenset({"ship"}), 10, rng.choice([5, 10]), stock, rng.randint(1, 2))  # fmt: skip
        routes.append(Route(node, rng.choice(lanes), 100.0, rng.choice([0, 0, 1])))
    strategy = random_strategy(rng, [0, 0, 0.5, 1])
    return items, routes, strategy


@pytest.mark.parametrize("seed", range(300))
def test_leaving_dominated_nodes_out_keeps_the_optimum(seed):
    items, routes, strategy = crowded_instance(random.Random(seed))
    scorer = Scorer(strategy.objective, routes, items)
    pruned = Search(items, scorer, strategy, budget=10**7).run()
    full = Search(items, scorer, strategy, budget=10**7, prune=False).run()
    if full is None:
        assert pruned is None
    else:
        assert pruned.exact and full.exact
        assert (pruned.units, pruned.score) == (full.units, pytest.approx(full.score, abs=1e-6))


def test_crowded_instances_do_leave_nodes_out():
    """Guards the test above: it must exercise the rule, not compare two identical searches."""
    left_out = 0
    for seed in range(300):
        items, routes, strategy = crowded_instance(random.Random(seed))
        left_out += bool(
            dominated_routes(Scorer(strategy.objective, routes, items), items, strategy.max_split)
        )
    assert left_out > 100


def test_a_node_is_left_out_only_when_max_split_nodes_dominate_it():
    lane = Lane((RateCard("c", "standard", None, None, None, ((30.0, 5.0),)),))
    dear = Lane((RateCard("c", "standard", None, None, None, ((30.0, 7.0),)),))

    def route(i, a, lane):
        node = Candidate(
            f"n{i}", "warehouse", "FR", Point(45, 5), 1, frozenset({"ship"}), 10, 10, {"A": a}, 1
        )
        return Route(node, lane, 100.0, 0)

    items = [Item("A", 2, 1.0)]
    routes = [route(0, 5, lane), route(1, 2, lane), route(2, 9, dear)]
    scorer = Scorer(Objective(), routes, items)
    assert dominated_routes(scorer, items, max_split=1) == {1, 2}
    assert dominated_routes(scorer, items, max_split=2) == {2}
    assert dominated_routes(scorer, items, max_split=3) == set()
