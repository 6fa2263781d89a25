"""A move the greedy search weighs is scored without building its plan (Scorer.score_with): the score
must be the very float `score` gives the plan built, or ties would break differently."""

import random
from dataclasses import replace

import pytest

from oms.domain.routing.plan_space import with_units
from oms.domain.routing.scoring import Scorer
from tests.unit.routing.test_search_optimality import random_instance


@pytest.mark.parametrize("seed", range(50))
def test_a_move_scores_exactly_as_the_plan_it_makes(seed):
    rng = random.Random(seed)
    items, routes, strategy = random_instance(rng)
    items = [replace(i, unit_weight_kg=rng.choice([0.1, 0.7, 1.3, 2.9])) for i in items]  # inexact sums
    scorer = Scorer(strategy.objective, routes, items)
    moved, *others = items
    for _ in range(20):
        plan = {}
        for item in others:  # a plan shipping none of the moved SKU, some of the others from random nodes
            for r in rng.sample(range(len(routes)), rng.randint(0, 2)):
                plan.setdefault(r, {})[item.sku] = rng.randint(1, item.quantity)
        option = {r: rng.randint(1, 3) for r in rng.sample(range(len(routes)), rng.randint(0, 3))}
        assert scorer.score_with(plan, moved.sku, option) == scorer.score(with_units(plan, moved.sku, option))
