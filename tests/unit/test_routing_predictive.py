"""Routing with a reliability table: each shipment's carrier weighs predicted lateness against cost, nodes
with poor odds lose to reliable ones, and a profile set weighing lateness must pin the table it uses."""

import pytest

from oms.domain.routing.batch import reoptimise
from oms.domain.routing.existing_plan import existing_plan
from oms.domain.routing.profiles import ProfileError, profiles_from_data
from oms.domain.routing.rates import RateTable
from oms.domain.routing.reliability import Cell, ReliabilityTable
from oms.domain.routing.select import route_order, run_strategy
from tests.unit.routing.builders import card, job, node, order, strategy

REGION = "FR-75"
NETWORK = Cell(1000, 0.9, 2.0, 2, 3)
TWO_CARRIERS = RateTable([card("cheap", breaks=((30, 5.0),)), card("sure", breaks=((30, 7.0),))])


def table(odds: dict[tuple[str, str], float]) -> ReliabilityTable:
    """On-time odds per (node, carrier) to Paris by standard service; transit days grow with lateness."""
    cells = {(n, c, REGION, "standard"): Cell(100, p, 2 + 2 * (1 - p), 2, 4) for (n, c), p in odds.items()}
    return ReliabilityTable(NETWORK, {}, cells, {})


def paris_job(candidates):
    return job(candidates, facts=order(destination_region=REGION))


ODDS = table({("n1", "cheap"): 0.70, ("n1", "sure"): 0.95})


def ship(late_risk: float):
    plan, _ = run_strategy(paris_job([node("n1")]), strategy(objective={"late_risk": late_risk}), TWO_CARRIERS,
                           reliability=ODDS)  # fmt: skip
    return plan


def test_a_reliable_dearer_carrier_wins_when_lateness_weighs_enough():
    (shipment,) = ship(late_risk=20).shipments  # 25 points of on-time odds are worth 5.00 > 2.00 dearer
    assert (shipment.carrier, shipment.cost, shipment.on_time) == ("sure", 7.0, 0.95)


def test_the_cheap_carrier_keeps_the_shipment_when_lateness_weighs_little():
    (shipment,) = ship(late_risk=4).shipments  # 25 points are worth 1.00 < 2.00
    assert (shipment.carrier, shipment.cost, shipment.on_time) == ("cheap", 5.0, 0.7)


def test_the_breakdown_counts_expected_late_shipments_and_predicted_transit():
    plan = ship(late_risk=20)
    assert plan.breakdown["late_risk"].value == pytest.approx(0.05)
    assert plan.breakdown["late_risk"].weighted == pytest.approx(1.0)
    assert plan.breakdown["predicted_transit_days"].value == pytest.approx(2.1)
    assert plan.breakdown["shipping_cost"].value == 7.0
    assert plan.score == pytest.approx(8.0)


def test_a_node_with_poor_on_time_odds_loses_to_a_reliable_one():
    nodes = [node("poor", priority=1), node("good", priority=100)]
    odds = table({("poor", "cheap"): 0.6, ("good", "cheap"): 0.95})
    rates = RateTable([card("cheap", breaks=((30, 5.0),))])

    def chosen(late_risk):
        objective = {"node_priority": 0.01, "late_risk": late_risk}
        plan, _ = run_strategy(paris_job(nodes), strategy(objective=objective), rates, reliability=odds)
        return [s.node_id for s in plan.shipments]

    assert chosen(late_risk=0) == ["poor"]
    assert chosen(late_risk=20) == ["good"]


def test_predicted_transit_days_pick_the_faster_carrier():
    objective = {"predicted_transit_days": 5}  # sure is 0.5 days faster: worth 2.50 > 2.00
    plan, _ = run_strategy(
        paris_job([node("n1")]), strategy(objective=objective), TWO_CARRIERS, reliability=ODDS
    )
    assert plan.shipments[0].carrier == "sure"
    assert plan.shipments[0].predicted_transit_days == pytest.approx(2.1)


def test_a_table_without_lateness_weights_routes_as_without_a_table_and_annotates_the_plan():
    profiles = profiles_from_data({"version": 1, "reliability_version": 3, "strategies": [{"name": "s"}]})
    routed = route_order(paris_job([node("n1")]), profiles, TWO_CARRIERS, reliability=ODDS).plan
    plain = route_order(paris_job([node("n1")]), profiles, TWO_CARRIERS).plan
    assert [(s.carrier, s.cost) for s in routed.shipments] == [(s.carrier, s.cost) for s in plain.shipments]
    assert routed.score == plain.score
    assert (routed.shipments[0].on_time, plain.shipments[0].on_time) == (0.7, None)
    assert "late_risk" in routed.breakdown and "late_risk" not in plain.breakdown


def test_an_unseen_lane_falls_back_to_the_network_odds():
    plan, _ = run_strategy(paris_job([node("other")]), strategy(objective={"late_risk": 20}), TWO_CARRIERS,
                           reliability=ODDS)  # fmt: skip
    assert (plan.shipments[0].carrier, plan.shipments[0].on_time) == ("cheap", 0.9)


@pytest.mark.parametrize("criterion", ["late_risk", "predicted_transit_days"])
def test_weighing_lateness_needs_a_pinned_reliability_version(criterion):
    data = {"version": 2, "strategies": [{"name": "a"}, {"name": "b", "objective": {criterion: 1}}]}
    with pytest.raises(ProfileError) as raised:
        profiles_from_data(data)
    assert raised.value.errors == [f"strategies.1.objective.{criterion}: needs reliability_version"]
    assert profiles_from_data(data | {"reliability_version": 1}).reliability_version == 1


def test_the_breakdown_counts_what_a_surcharging_carrier_bills_so_the_score_is_its_weighted_sum():
    billed = Cell(100, 0.95, 2.1, 2, 3, cost_ratio=1.5, costed=100)
    surcharged = ReliabilityTable(NETWORK, {("sure",): billed, ("sure", REGION, "standard"): billed}, {}, {})
    plan, _ = run_strategy(paris_job([node("n1")]), strategy(objective={"late_risk": 200}), TWO_CARRIERS,
                           reliability=surcharged)  # fmt: skip
    assert (plan.shipments[0].carrier, plan.shipments[0].cost) == ("sure", 7.0)  # the quote
    assert plan.breakdown["shipping_cost"].value == 10.5  # billed: 7.00 x 1.5
    assert plan.score == pytest.approx(sum(c.weighted for c in plan.breakdown.values()))


def test_the_batch_reoptimisation_and_the_existing_plans_it_keeps_weigh_the_same_predictions():
    jobs, strategies = [paris_job([node("n1")])], [strategy(objective={"late_risk": 20})]
    outcome = reoptimise(
        jobs, strategies, TWO_CARRIERS, {("n1", "A"): 10}, {"n1": 100}, 5.0, reliability=ODDS
    )
    assert [(s.carrier, s.on_time) for p in outcome.plans for s in p.shipments] == [("sure", 0.95)]
    kept = existing_plan(jobs[0], strategies[0], TWO_CARRIERS, {"n1": {"A": 1}}, ODDS)
    assert (kept.shipments[0].carrier, kept.score) == ("sure", pytest.approx(8.0))
