"""The predictive routing simulation (evals/routing/predictive*) on a tiny network: the pipeline runs end to
end, the hidden reliability never reaches the rules, and the evaluator's figures are what they claim."""

import random
from dataclasses import replace

import numpy as np
import pytest

from evals.routing.instances import POSTAL, generate
from evals.routing.predictive_calibration import calibrated, history_on_time
from evals.routing.predictive_ceiling import truth_table
from evals.routing.predictive_evaluate import (
    figures,
    parcels_of,
    ranking_auc,
    uniforms,
)
from evals.routing.predictive_history import history, predictive, route, route_test_days, rules, rules_days
from evals.routing.predictive_sweep import Point, chosen, sweep
from evals.routing.predictive_world import Hidden, Parcel, draw, hidden_world, parcel
from oms.domain.routing.model import PlannedShipment
from oms.domain.routing.reliability import DeliveryFact
from oms.domain.routing.reliability_learning import learn_reliability

SEED = 3


@pytest.fixture(scope="module")
def world():
    return generate(SEED, n_orders=25, n_nodes=12, n_skus=40)


@pytest.fixture(scope="module")
def hidden(world):
    return hidden_world(world, SEED)


@pytest.fixture(scope="module")
def routed_days(world):
    return rules_days(world, SEED, 3)


@pytest.fixture(scope="module")
def days(world, hidden, routed_days):
    return history(world, hidden, SEED, routed_days)


def _signatures(days):
    return [[(s.node_id, s.carrier, s.lines) for p in d.routed.plans for s in p.shipments] for d in days]


def test_the_rules_plans_do_not_change_with_the_hidden_reliability(world, hidden, days):
    """Every node a struggler and every lane congested: the outcomes change, the rules' plans do not."""
    worse = Hidden({n: 0.6 for n in hidden.handover}, {lane: 0.5 for lane in hidden.congestion})
    again = history(world, worse, SEED, rules_days(world, SEED, 3))
    assert _signatures(again) == _signatures(days)
    on_time = [sum(f.on_time for d in ds for f in d.facts) for ds in (days, again)]
    assert on_time[1] < on_time[0]


def test_history_to_test_end_to_end(world, hidden, days):
    table = learn_reliability([f for d in days for f in d.facts])
    plain = route_test_days(world, SEED, 1, rules(world.strategy))
    learnt = route_test_days(world, SEED, 1, predictive(world.strategy, 40.0), table)
    u = uniforms(SEED, 5, len(plain.orders))
    a, b = figures("rules", world, hidden, plain, u), figures("predictive", world, hidden, learnt, u)
    assert all(s.on_time is None for p in plain.plans for s in p.shipments)
    assert all(0 <= s.on_time <= 1 for p in learnt.plans for s in p.shipments)
    assert 0 < a.on_time <= 1 and 0 < b.on_time <= 1 and len(a.draws) == 5
    quoted = [s.cost for p in learnt.plans for s in p.shipments]  # the chosen carrier's quote
    assert b.cost == pytest.approx(sum(quoted), abs=0.01 * len(quoted)) and b.cost > 0


def test_a_table_goes_with_a_pinned_profile_set_only(world, days):
    table = learn_reliability(days[0].facts)
    with pytest.raises(ValueError, match="pins its version"):
        route(world, rules(world.strategy), table)
    with pytest.raises(ValueError, match="pins its version"):
        route(world, predictive(world.strategy, 10.0))


def _parcel(slack: int, miss: float = 0.2, lane=(0.7, 0.2, 0.1), node=None) -> Parcel:
    return Parcel(node, "parcelco", "FR-75", 2, slack, (1 - miss, miss), lane)


@pytest.mark.parametrize("slack", [-1, 0, 1, 2, 3])
def test_the_expected_on_time_is_what_draws_average(slack):
    p, rng = _parcel(slack), random.Random(1)
    drawn = [sum(draw(rng, p)) <= slack for _ in range(20_000)]
    assert np.mean(drawn) == pytest.approx(p.p_on_time(), abs=0.01)


def test_the_expected_on_time_of_the_test_is_the_mean_of_many_draws(world, hidden):
    plain = route_test_days(world, SEED, 1, rules(world.strategy))
    result = figures("rules", world, hidden, plain, uniforms(SEED, 4000, len(plain.orders)))
    assert np.mean(result.draws) == pytest.approx(result.on_time, abs=0.01)


def test_an_order_not_shipped_in_full_counts_late(world, hidden):
    plain = route_test_days(world, SEED, 1, rules(world.strategy))
    i = next(i for i, ps in enumerate(parcels_of(world, hidden, plain)) if ps)
    plans = list(plain.plans)
    plans[i] = replace(plans[i], shipments=plans[i].shipments[1:])
    assert parcels_of(world, hidden, replace(plain, plans=tuple(plans)))[i] is None


def test_a_table_that_knows_nothing_ranks_at_chance_and_the_truth_better(world):
    order = world.orders[0]
    parcels = [(_parcel(s, miss, node=world.nodes[0]), order) for s in (0, 1, 2) for miss in (0.05, 0.4)]
    u = np.random.default_rng(0).random((400, len(parcels), 2))
    fact = DeliveryFact("elsewhere", "warehouse", "parcelco", "FR-75", "standard", True, 1, False, False)
    blind = learn_reliability([fact, replace(fact, on_time=False)])
    auc, truth = ranking_auc(blind, parcels, u)
    assert auc == pytest.approx(0.5) and truth > 0.7


def test_the_sweep_chooses_the_best_on_time_within_the_cost_budget():
    points = [Point(0, 0.90, 0.0), Point(10, 0.93, 0.012), Point(20, 0.95, 0.025), Point(40, 0.93, 0.017)]
    assert chosen(points).weight == 10


def test_the_sweep_starts_from_the_rules(world, days):
    points = sweep(world, days, 1, [20.0])
    assert [p.weight for p in points] == [0.0, 20.0] and points[0].cost_delta == 0.0


def test_the_ceiling_table_holds_the_hidden_odds_of_every_node_carrier_and_region(world, hidden):
    table = truth_table(world, hidden)
    assert len(table.cells) == len(world.nodes) * 2 * len(POSTAL)
    warehouse = world.nodes[0]
    near = [k for k in table.cells if k[0] == warehouse.id and table.cells[k].transit_p50 == 1]
    far = [k for k in table.cells if k[0] == warehouse.id and table.cells[k].transit_p50 == 4]
    assert near and all(table.cells[k].on_time > 0.9 for k in near)  # two days to spare: late only if both
    assert far and all(table.cells[k].on_time == 0.0 for k in far)  # planned a day after the promise


@pytest.mark.parametrize("shift", [-0.03, 0.01])
def test_the_calibrated_world_makes_the_rules_history_as_late_as_the_target(
    world, hidden, routed_days, shift
):
    drawn = history_on_time(world, hidden, routed_days)  # low: this tiny network ships half its orders
    target = drawn + shift
    scaled = calibrated(world, hidden, routed_days, target)
    assert history_on_time(world, scaled, routed_days) == pytest.approx(target, abs=0.001)
    assert (scaled.lateness > 1) == (target < drawn)
    assert (scaled.handover, scaled.congestion) == (hidden.handover, hidden.congestion)


def test_a_lateness_no_scale_reaches_is_refused(world, hidden, routed_days):
    with pytest.raises(ValueError, match="no lateness"):
        calibrated(world, hidden, routed_days, 0.9999)


def test_scaled_delays_stay_probabilities_and_keep_their_order(world, hidden):
    order = world.orders[0]
    nodes = {n.id: n for n in world.nodes}
    steady, struggling = sorted(world.nodes, key=lambda n: hidden.handover[n.id])[:: len(world.nodes) - 1]
    for lateness in (0.5, 3.0, 40.0):
        late = replace(hidden, lateness=lateness)
        parcels = [parcel(late, nodes, order, PlannedShipment(n.id, "parcelco", (), 0.0, 0.0, 0))
                   for n in (steady, struggling)]  # fmt: skip
        for p in parcels:
            assert sum(p.handover) == pytest.approx(1) and sum(p.lane) == pytest.approx(1)
            assert min(p.handover + p.lane) >= 0 and p.handover[0] >= 0.05 and p.lane[0] >= 0.05 - 1e-9
        assert parcels[0].handover[1] <= parcels[1].handover[1]
