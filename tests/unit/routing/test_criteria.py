"""Each criterion, weighted, changes which plan wins; its value shows in the breakdown."""

from datetime import timedelta

import pytest

from oms.domain.routing.rates import RateTable
from oms.domain.routing.select import run_strategy
from tests.unit.routing.builders import (
    KOELN,
    LYON,
    ORLEANS,
    PROMISED,
    card,
    job,
    lines,
    node,
    order,
    strategy,
)

# Orléans is within 200 km of Paris: 4 a shipment; Lyon: 6; Köln (origin DE): 9.
RATES = RateTable(
    [card(band=200, breaks=((30, 4.0),)), card(breaks=((30, 6.0),)), card(origin="DE", breaks=((30, 9.0),))]
)


def plan_of(candidates, order_lines=None, facts=None, **fields):
    plan, _ = run_strategy(job(candidates, order_lines, facts), strategy(**fields), RATES)
    return plan


def nodes_of(plan) -> list[str]:
    return [s.node_id for s in plan.shipments]


def test_shipping_cost_picks_the_cheaper_node():
    plan = plan_of([node("lyon", at=LYON), node("orleans", at=ORLEANS)])
    assert nodes_of(plan) == ["orleans"]
    assert plan.shipments[0].cost == 4.0 and plan.breakdown["shipping_cost"].value == 4.0


def test_transit_days_weighted_prefer_the_faster_node_over_the_cheaper_one():
    candidates = [node("slow", at=ORLEANS, transit=4), node("fast", at=LYON, transit=2)]
    assert nodes_of(plan_of(candidates)) == ["slow"]
    plan = plan_of(candidates, objective={"transit_days": 1.5})
    assert nodes_of(plan) == ["fast"]
    assert plan.breakdown["transit_days"].value == 2 and plan.breakdown["transit_days"].weighted == 3.0


def test_sla_risk_weighted_prefers_the_node_delivering_on_time():
    facts = order(promised_delivery_date=PROMISED)
    late = node("late", at=ORLEANS, delivery=PROMISED + timedelta(days=2))
    on_time = node("on-time", at=LYON, delivery=PROMISED)
    assert nodes_of(plan_of([late, on_time], facts=facts)) == ["late"]
    assert nodes_of(plan_of([late, on_time], facts=facts, objective={"sla_risk": 1.5})) == ["on-time"]
    alone = plan_of([late], facts=facts, objective={"sla_risk": 1.5}).breakdown["sla_risk"]
    assert (alone.value, alone.weighted) == (2, 3.0)


def test_the_split_penalty_keeps_an_order_whole_when_splitting_saves_less():
    candidates = [
        node("koeln", country="DE", at=KOELN, stock={"A": 1, "B": 1}),
        node("o-a", at=ORLEANS, stock={"A": 1}),
        node("o-b", at=ORLEANS, stock={"B": 1}),
    ]
    order_lines = lines(("A", 1), ("B", 1))
    split = plan_of(candidates, order_lines, max_split=2)
    assert sorted(nodes_of(split)) == ["o-a", "o-b"] and split.breakdown["split"].value == 1
    whole = plan_of(candidates, order_lines, max_split=2, objective={"split": 2})
    assert nodes_of(whole) == ["koeln"] and whole.score == 9.0


def test_node_priority_weighted_prefers_the_preferred_node():
    candidates = [node("cheap-low", at=ORLEANS, priority=100), node("dear-high", at=LYON, priority=10)]
    assert nodes_of(plan_of(candidates)) == ["cheap-low"]
    plan = plan_of(candidates, objective={"node_priority": 0.1})
    assert nodes_of(plan) == ["dear-high"] and plan.breakdown["node_priority"].value == 10


def test_capacity_balance_weighted_prefers_the_node_with_more_capacity_left():
    candidates = [node("busy", at=ORLEANS, daily=100, remaining=10), node("idle", at=LYON, daily=100)]
    assert nodes_of(plan_of(candidates)) == ["busy"]
    assert nodes_of(plan_of(candidates, objective={"capacity_balance": 5})) == ["idle"]
    busy = plan_of(candidates[:1], objective={"capacity_balance": 5}).breakdown["capacity_balance"]
    assert (busy.value, busy.weighted) == (0.9, 4.5)


def test_store_stock_protection_weighted_spares_a_store_short_of_the_sku():
    candidates = [node("store", type="store", at=ORLEANS, stock={"A": 2}), node("warehouse", at=LYON)]
    assert nodes_of(plan_of(candidates)) == ["store"]
    plan = plan_of(candidates, objective={"store_stock_protection": 5})
    assert nodes_of(plan) == ["warehouse"] and plan.breakdown["store_stock_protection"].value == 0


def test_store_stock_protection_takes_from_the_store_that_holds_more():
    candidates = [
        node("thin", type="store", at=ORLEANS, stock={"A": 2}),
        node("deep", type="store", at=ORLEANS, stock={"A": 20}),
    ]
    plan = plan_of(candidates, objective={"shipping_cost": 1, "store_stock_protection": 1})
    assert nodes_of(plan) == ["deep"] and plan.breakdown["store_stock_protection"].value == 0.05


def test_the_score_is_the_sum_of_the_weighted_criteria():
    candidates = [
        node("store", type="store", at=ORLEANS, stock={"A": 4}, remaining=50, priority=20),
        node("koeln", country="DE", at=KOELN, stock={"B": 3}, transit=3),
    ]
    weights = {
        "shipping_cost": 1,
        "transit_days": 0.5,
        "split": 2,
        "node_priority": 0.01,
        "capacity_balance": 1,
        "store_stock_protection": 3,
    }
    plan = plan_of(candidates, lines(("A", 2), ("B", 1)), max_split=2, objective=weights)
    values = {name: c.value for name, c in plan.breakdown.items()}
    assert values == pytest.approx(
        {
            "shipping_cost": 13,
            "transit_days": 3,
            "sla_risk": 0,
            "split": 1,
            "node_priority": (2 * 20 + 100) / 3,
            "capacity_balance": 0.5,
            "store_stock_protection": 0.5,
        },
        abs=1e-4,
    )
    assert plan.score == pytest.approx(sum(c.weighted for c in plan.breakdown.values()), abs=1e-3)
