from datetime import timedelta
from decimal import Decimal

import pytest

from oms.domain.routing.profiles import Conditions, profiles_from_data
from oms.domain.routing.select import choose_strategy, route_order
from tests.unit.routing.builders import FLAT, KOELN, ORLEANS, PROMISED, job, lines, node, order


@pytest.mark.parametrize(
    ("conditions", "matching", "other"),
    [
        ({"channels": ["web", "app"]}, order(channel_id="app"), order(channel_id="marketplace")),
        ({"destination_countries": ["BE"]}, order(destination_country="BE"), order(destination_country="FR")),
        ({"service_levels": ["express"]}, order(service_level="express"), order(service_level="standard")),
        ({"customer_tiers": ["gold"]}, order(customer_tier="gold"), order(customer_tier="standard")),
        ({"order_value_min": 100}, order(order_value=Decimal(100)), order(order_value=Decimal("99.99"))),
        ({"order_value_max": 100}, order(order_value=Decimal(100)), order(order_value=Decimal("100.01"))),
    ],
)
def test_each_condition_selects_the_orders_it_names_and_only_them(conditions, matching, other):
    rule = Conditions(**conditions)
    assert rule.failed(matching) is None
    assert rule.failed(other) == next(iter(conditions))


def test_a_strategy_without_conditions_matches_every_order():
    assert Conditions().failed(order(channel_id="edi", order_value=Decimal(0))) is None


PROFILES = profiles_from_data({"version": 1, "strategies": [
    {"name": "gold", "conditions": {"customer_tiers": ["gold"]}, "filters": {"node_types": ["warehouse"]}},
    {"name": "complete-nearby", "filters": {"max_distance_km": 200}, "partial_fulfilment": "ship_complete",
     "fallback": "stores-too"},
    {"name": "stores-too", "filters": {"ship_from_store": True}, "max_split": 2, "fallback": "anything"},
    {"name": "anything", "filters": {"require_capacity": False}},
]})  # fmt: skip


def test_the_first_strategy_whose_conditions_match_routes_the_order():
    assert choose_strategy(PROFILES, order(customer_tier="gold")).name == "gold"
    assert choose_strategy(PROFILES, order(customer_tier="silver")).name == "complete-nearby"


def test_no_matching_strategy_gives_no_plan_and_says_why():
    only_gold = profiles_from_data(
        {"version": 1, "strategies": [{"name": "g", "conditions": {"customer_tiers": ["gold"]}}]}
    )
    decision = route_order(job([node("n")]), only_gold, FLAT)
    assert decision.strategy is None and decision.plan is None
    assert decision.attempts[0].outcome == "no strategy's conditions match the order"


def test_a_strategy_that_ships_the_order_decides_without_its_fallback():
    decision = route_order(job([node("near", at=ORLEANS)]), PROFILES, FLAT)
    assert decision.strategy == "complete-nearby"
    assert [a.strategy for a in decision.attempts] == ["complete-nearby"]


def test_the_fallback_takes_over_when_the_primary_ships_nothing():
    candidates = [
        node("near", at=ORLEANS, stock={"A": 1}),
        node("far", at=KOELN, country="DE", stock={"A": 5}),
    ]
    decision = route_order(job(candidates, lines(("A", 3))), PROFILES, FLAT)
    assert decision.strategy == "stores-too"
    assert [(a.strategy, a.outcome) for a in decision.attempts] == [
        ("complete-nearby", "ships nothing of 3 units"),
        ("stores-too", "ships 3 of 3 units in 1 shipment(s)"),
    ]
    assert [s.node_id for s in decision.plan.shipments] == ["far"]


def test_the_fallback_chain_is_followed_to_its_end():
    decision = route_order(job([node("full", remaining=0)]), PROFILES, FLAT)
    assert [a.strategy for a in decision.attempts] == ["complete-nearby", "stores-too", "anything"]
    assert decision.strategy == "anything" and decision.plan.units == 1


def test_when_no_strategy_ships_anything_the_last_plan_backorders_the_order():
    decision = route_order(job([node("empty", stock={"B": 1})]), PROFILES, FLAT)
    assert decision.strategy == "anything" and decision.plan.shipments == ()
    assert decision.plan.backorders == ((1, "A", 1),)


def test_the_explanation_gives_every_candidate_a_filter_or_its_scores():
    facts = order(promised_delivery_date=PROMISED)
    candidates = [
        node("excluded"),
        node("late", delivery=PROMISED + timedelta(days=1)),
        node("partial", stock={"A": 1}, delivery=PROMISED),
        node("whole", stock={"A": 5}, delivery=PROMISED),
    ]
    profiles = profiles_from_data(
        {
            "version": 1,
            "strategies": [
                {"name": "s", "filters": {"excluded_nodes": ["excluded"], "must_meet_promise": True}}
            ],
        }
    )
    decision = route_order(job(candidates, lines(("A", 2)), facts), profiles, FLAT)
    excluded, late, partial, whole = decision.candidates
    assert (excluded.filtered_by, late.filtered_by) == ("excluded_nodes", "must_meet_promise")
    assert late.reason == "delivers 2026-03-14, after the promised 2026-03-13" and late.alone is None
    assert (partial.units, partial.chosen, partial.alone["shipping_cost"].value) == (1, False, 5.0)
    assert (whole.units, whole.chosen, whole.filtered_by) == (2, True, None)
