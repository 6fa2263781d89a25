"""Prices on stock and shipments (the dual prices column generation passes to the search): the priced
search still finds the brute-force best plan, scored with the prices included."""

import random

import pytest

from oms.domain.routing.filters import Route
from oms.domain.routing.profiles import Objective
from oms.domain.routing.rates import Lane
from oms.domain.routing.scoring import Item, Prices, Scorer
from oms.domain.routing.search import Search
from tests.unit.routing.builders import card, node
from tests.unit.routing.test_search_optimality import brute_force, random_instance


def random_prices(rng: random.Random, routes, items) -> Prices:
    unit = {(r.node.id, i.sku): rng.choice([0, 0, 0.3, 1.5, 4.0]) for r in routes for i in items}
    shipment = {r.node.id: rng.choice([0, 0, 0.5, 2.0, 6.0]) for r in routes}
    return Prices(unit, shipment)


def test_prices_add_per_unit_and_per_shipment_to_the_score():
    items = [Item("A", 2, 1.0)]
    routes = [Route(node("n", stock={"A": 5}), Lane((card(),)), 100.0, 0)]
    objective = Objective(shipping_cost=1, split=1)
    plain = Scorer(objective, routes, items)
    priced = Scorer(objective, routes, items, Prices({("n", "A"): 2.5}, {"n": 4.0}))
    plan = {0: {"A": 2}}
    assert plain.score(plan) == 5.0
    assert priced.score(plan) == pytest.approx(5.0 + 2 * 2.5 + 4.0)
    assert priced.breakdown(plan) == plain.breakdown(plan)  # prices are not criteria


def test_negative_prices_are_refused():
    with pytest.raises(ValueError, match="negative"):
        Prices({("n", "A"): -1.0})


@pytest.mark.parametrize("seed", range(150))
def test_the_priced_search_finds_the_brute_force_optimum(seed):
    rng = random.Random(seed)
    items, routes, strategy = random_instance(rng)
    scorer = Scorer(strategy.objective, routes, items, random_prices(rng, routes, items))
    found = Search(items, scorer, strategy).run()
    expected = brute_force(items, scorer, strategy)
    if expected is None:
        assert found is None
    else:
        assert found.exact and found.score == pytest.approx(scorer.score(found.plan), abs=1e-9)
        assert (found.units, found.score) == (expected[0], pytest.approx(expected[1], abs=1e-6))
