"""The search against brute force when shipments choose their carrier on predicted lateness: the bounds it
prunes on must stay valid with the new criteria, so on small random instances it finds the same best."""

import random

import pytest

from oms.domain.routing.carrier_choice import Outlook
from oms.domain.routing.filters import Route
from oms.domain.routing.rates import Lane, RateCard
from oms.domain.routing.reliability import Cell, ReliabilityTable
from oms.domain.routing.scoring import Scorer
from oms.domain.routing.search import Search
from tests.unit.routing.test_search_optimality import brute_force, random_instance

CARRIERS = ("c", "d")


def with_second_carrier(rng: random.Random, routes: list[Route]) -> list[Route]:
    """Each lane gains a carrier `d` dearer or cheaper than `c`; some routes share a lane (dominance)."""
    shared = None
    out = []
    for route in routes:
        c = route.lane.cards[0]
        breaks = tuple((w, p * rng.uniform(0.7, 1.5)) for w, p in c.breaks)
        breaks = tuple((w, max(p for _, p in breaks[: i + 1])) for i, (w, _) in enumerate(breaks))
        lane = Lane((c, RateCard("d", "standard", None, None, None, breaks, c.base_fee, c.per_kg_over)))
        if shared is not None and rng.random() < 0.3:
            lane = shared
        shared = lane
        out.append(Route(route.node, lane, route.distance_km, route.days_late))
    return out


def random_table(rng: random.Random, routes: list[Route]) -> ReliabilityTable:
    cells = {
        (r.node.id, carrier, "FR-75", "standard"): Cell(50, rng.uniform(0.5, 1.0), rng.uniform(1, 5), 2, 5)
        for r in routes
        for carrier in CARRIERS
        if rng.random() < 0.8
    }
    return ReliabilityTable(Cell(1000, 0.85, 2.5, 2, 4), {}, cells, {})


@pytest.mark.parametrize("seed", range(150))
def test_the_search_finds_the_brute_force_optimum_weighing_lateness(seed):
    rng = random.Random(seed)
    items, routes, strategy = random_instance(rng)
    routes = with_second_carrier(rng, routes)
    weights = {"late_risk": rng.choice([0, 5, 20, 60]), "predicted_transit_days": rng.choice([0, 0.5, 2])}
    strategy = strategy.model_copy(update={"objective": strategy.objective.model_copy(update=weights)})
    outlook = Outlook(random_table(rng, routes), "FR-75", "standard")
    scorer = Scorer(strategy.objective, routes, items, outlook=outlook)
    found = Search(items, scorer, strategy).run()
    expected = brute_force(items, scorer, strategy)
    if expected is None:
        assert found is None
    else:
        assert found.exact and found.score == pytest.approx(scorer.score(found.plan), abs=1e-9)
        assert (found.units, found.score) == (expected[0], pytest.approx(expected[1], abs=1e-6))


def test_the_score_sums_the_weighted_breakdown():
    rng = random.Random(7)
    items, routes, strategy = random_instance(rng)
    routes = with_second_carrier(rng, routes)
    objective = strategy.objective.model_copy(update={"late_risk": 20, "predicted_transit_days": 1})
    scorer = Scorer(objective, routes, items, outlook=Outlook(random_table(rng, routes), "FR-75", "standard"))
    plan = {r: {items[0].sku: 1} for r in range(2)}
    assert scorer.score(plan) == pytest.approx(
        sum(c.weighted for c in scorer.breakdown(plan).values()), abs=1e-3
    )
