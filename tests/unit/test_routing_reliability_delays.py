"""On time given the plan's slack: the table learns how many business days parcels arrive after their
planned delivery, so a plan delivering on the promise day is judged riskier than one a day early, and a
plan already late is judged late; routing then prefers the node whose plan leaves room."""

from datetime import date, timedelta

import pytest

from oms.domain.routing.rates import RateTable
from oms.domain.routing.reliability import DeliveryFact, ReliabilityTable, signed_business_days
from oms.domain.routing.reliability_learning import learn_reliability
from oms.domain.routing.select import run_strategy
from tests.unit.routing.builders import PROMISED, card, job, node, order, strategy

REGION = "FR-75"


def facts(node_id: str, delays: dict[int, int], carrier: str = "post") -> list[DeliveryFact]:
    """`count` parcels per delay after the plan (on time when the plan was the promise: delay <= 0)."""
    return [DeliveryFact(node_id, "warehouse", carrier, REGION, "standard", delay <= 0, 2, False, False,
                         delay_days=delay)
            for delay, count in delays.items() for _ in range(count)]  # fmt: skip


def test_the_table_answers_on_time_given_the_slack_a_plan_leaves():
    table = learn_reliability(facts("n1", {-1: 100, 0: 600, 1: 200, 2: 100}))
    given = [table.on_time_given("n1", "post", REGION, "standard", slack) for slack in (-3, -1, 0, 1, 2, 9)]
    assert given[0] == 0.0 and given[-1] == 1.0
    assert given[1:5] == pytest.approx([0.1, 0.7, 0.9, 1.0], abs=0.01)
    assert table.on_time("n1", "post", REGION, "standard") == pytest.approx(0.7, abs=0.01)  # unconditional
    assert table.on_time_given("n1", "post", REGION, "standard", None) == table.on_time(
        "n1", "post", REGION, "standard"
    )


def test_an_unseen_cell_takes_its_lanes_delays_with_the_nodes_odds():
    table = learn_reliability(facts("steady", {0: 900, 1: 100}) + facts("slow", {0: 500, 1: 500}))
    assert table.on_time_given("slow", "post", REGION, "standard", 0) < 0.6
    assert table.on_time_given("steady", "post", REGION, "standard", 0) > 0.85
    for node_id in ("steady", "slow"):  # neither shipped to Lyon: the lane's delays, each node's odds
        unseen = table.on_time_given(node_id, "post", "FR-69", "standard", 0)
        assert unseen == pytest.approx(table.on_time_given(node_id, "post", REGION, "standard", 0), abs=0.08)
    assert table.on_time_given("slow", "post", "FR-69", "standard", 0) < table.on_time_given(
        "steady", "post", "FR-69", "standard", 0)  # fmt: skip


def test_a_history_without_planned_dates_answers_the_unconditional_rate_and_old_tables_load():
    history = [
        DeliveryFact("n1", "warehouse", "post", REGION, "standard", i % 4 > 0, 2, False, False)
        for i in range(40)
    ]
    table = learn_reliability(history)
    assert table.on_time_given("n1", "post", REGION, "standard", -2) == table.on_time(
        "n1", "post", REGION, "standard"
    )
    learnt = learn_reliability(facts("n1", {0: 30, 1: 10}))
    again = ReliabilityTable.from_json(learnt.to_json())
    assert (
        again.cells == learnt.cells and again.lanes[("post",)].delay_cdf == learnt.lanes[("post",)].delay_cdf
    )


def test_signed_business_days_count_weekdays_either_way():
    friday = date(2026, 3, 13)
    assert signed_business_days(friday, friday + timedelta(days=3)) == 1  # to Monday
    assert signed_business_days(friday + timedelta(days=3), friday) == -1
    assert signed_business_days(friday, friday) == 0


def test_routing_prefers_the_node_whose_plan_leaves_slack_before_the_promise():
    """Both nodes slip alike, one day in four; the cheaper one is planned for the promise day, the other a
    day early: with lateness weighed, the one with room wins."""
    table = learn_reliability(facts("tight", {0: 75, 1: 25}) + facts("roomy", {0: 75, 1: 25}))
    tight = node("tight", delivery=PROMISED, priority=1)
    roomy = node("roomy", delivery=PROMISED - timedelta(days=1), priority=2)
    rates = RateTable([card("post", breaks=((30, 5.0),))])

    def chosen(late_risk: float) -> str:
        facts_ = order(destination_region=REGION, promised_delivery_date=PROMISED)
        plan, _ = run_strategy(job([tight, roomy], facts=facts_),
                               strategy(objective={"node_priority": 0.01, "late_risk": late_risk}), rates,
                               reliability=table)  # fmt: skip
        return plan.shipments[0].node_id

    assert chosen(0) == "tight"
    assert chosen(20) == "roomy"
