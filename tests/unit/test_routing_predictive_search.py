"""The search against brute force when shipments choose their carrier on predicted lateness: the bounds it
prunes on must stay valid with the new criteria, so on small random instances it finds the same best."""

import random

import pytest

from oms.domain.geo import Point
from oms.domain.routing.carrier_choice import Outlook
from oms.domain.routing.dominance import dominated_routes
from oms.domain.routing.filters import Route
from oms.domain.routing.model import Candidate
from oms.domain.routing.profiles import Objective
from oms.domain.routing.rates import Lane, RateCard
from oms.domain.routing.reliability import Cell, ReliabilityTable
from oms.domain.routing.scoring import Item, Scorer
from oms.domain.routing.search import Search
from tests.unit.routing.test_dominance import crowded_instance
from tests.unit.routing.test_search_optimality import assert_search_finds_the_optimum, random_instance

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
    assert_search_finds_the_optimum(items, Scorer(strategy.objective, routes, items, outlook=outlook), strategy)


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


def crowded_with_odds(seed: int):
    """Many nodes on few two-carrier lanes (some lanes never dearer than others), on few odds levels, so
    nodes dominate one another; some carriers bill over their quotes."""
    rng = random.Random(seed)
    items, routes, strategy = crowded_instance(rng)
    second = {}
    for route in routes:
        if route.lane not in second:
            c = route.lane.cards[0]
            extra = rng.choice([0.0, 1.0])
            dearer = tuple((w, p + extra) for w, p in c.breaks)
            second[route.lane] = Lane(
                (c, RateCard("d", "standard", None, None, None, dearer, c.base_fee, 0.5))
            )
    routes = [Route(r.node, second[r.lane], r.distance_km, r.days_late) for r in routes]
    billed = {("d",): Cell(50, 0.9, 2.0, 2, 3, cost_ratio=rng.choice([1.0, 1.2]), costed=50)}
    cells = {(r.node.id, c, "FR-75", "standard"): Cell(50, rng.choice([0.7, 0.9]), rng.choice([2.0, 3.0]), 2, 4)
             for r in routes for c in CARRIERS}  # fmt: skip
    table = ReliabilityTable(Cell(1000, 0.85, 2.5, 2, 4), billed, cells, {})
    weights = {"late_risk": rng.choice([5, 20]), "predicted_transit_days": rng.choice([0, 0.5])}
    strategy = strategy.model_copy(update={"objective": strategy.objective.model_copy(update=weights)})
    return (
        items,
        Scorer(strategy.objective, routes, items, outlook=Outlook(table, "FR-75", "standard")),
        strategy,
    )


@pytest.mark.parametrize("seed", range(200))
def test_leaving_nodes_out_on_predicted_lateness_keeps_the_optimum(seed):
    items, scorer, strategy = crowded_with_odds(seed)
    pruned = Search(items, scorer, strategy, budget=10**7).run()
    full = Search(items, scorer, strategy, budget=10**7, prune=False).run()
    if full is None:
        assert pruned is None
    else:
        assert (pruned.units, pruned.score) == (full.units, pytest.approx(full.score, abs=1e-6))


def test_crowded_instances_with_odds_do_leave_nodes_out():
    """Guards the test above: it must exercise the rule across lanes as well as within one."""
    left_out = sum(
        bool(dominated_routes(s, i, st.max_split)) for i, s, st in map(crowded_with_odds, range(200))
    )
    assert left_out > 40


def test_a_lane_never_dearer_on_quotes_does_not_dominate_when_its_cheaper_carrier_bills_over_them():
    node_d, node_r = (Candidate(n, "warehouse", "FR", Point(45, 5), 1, frozenset({"ship"}), 10, 10, {"A": 1}, 2)
                      for n in ("d", "r"))  # fmt: skip
    r_lane = Lane((RateCard("c", "standard", None, None, None, ((30.0, 10.0),)),))
    d_lane = Lane(
        tuple(RateCard(c, "standard", None, None, None, ((30.0, p),)) for c, p in (("c", 12.0), ("d", 9.0)))
    )
    routes = [Route(node_d, d_lane, 10.0, 0), Route(node_r, r_lane, 10.0, 0)]
    billed = {("d",): Cell(50, 0.9, 2.0, 2, 3, cost_ratio=1.2, costed=50)}  # d bills 10.80 for its 9.00
    table = ReliabilityTable(Cell(1000, 0.9, 2.0, 2, 3), billed, {}, {})
    scorer = Scorer(
        Objective(late_risk=1), routes, [Item("A", 1, 1.0)], outlook=Outlook(table, "FR-75", "standard")
    )
    assert d_lane.at_most(r_lane) and scorer.shipping(0, 1.0) > scorer.shipping(1, 1.0)
    assert not scorer.ships_no_dearer(0, 1)
