"""The routing advisor's candidates and its choice among their replay figures."""

from agents.routing_advisor_choice import REPINNED, candidates, choose
from oms.domain.routing.profiles import ProfileSet

ACTIVE = ProfileSet.model_validate({"version": 3, "strategies": [
    {"name": "one", "objective": {"shipping_cost": 1, "split": 2}, "max_split": 1, "fallback": "any"},
    {"name": "any", "max_split": 3},
]})  # fmt: skip


def figures(cost: float, on_time: float, unshipped: int = 0) -> dict:
    return {
        "total_cost": cost * 0.9,
        "billed_cost": cost,
        "on_time_rate": on_time,
        "unshipped_units": unshipped,
    }


def test_each_candidate_weighs_late_risk_in_every_strategy_and_pins_the_new_table():
    found = candidates(ACTIVE, 7, (0.0, 20.0))
    assert list(found) == ["late_risk 0", "late_risk 20"]
    weighed = found["late_risk 20"]
    assert weighed.reliability_version == 7 and [s.objective.late_risk for s in weighed.strategies] == [
        20.0,
        20.0,
    ]
    assert weighed.strategies[0].objective.split == 2 and weighed.strategies[0].fallback == "any"
    assert ACTIVE.strategies[0].objective.late_risk == 0.0  # the active set is not touched


def test_a_set_already_routing_with_a_table_is_also_tried_on_the_new_one():
    pinned = candidates(ACTIVE, 1, (10.0,))["late_risk 10"]
    found = candidates(pinned, 2, (0.0,))
    assert found[REPINNED].reliability_version == 2
    assert [s.objective.late_risk for s in found[REPINNED].strategies] == [10.0, 10.0]


def test_the_best_on_time_rate_within_the_cost_budget_is_chosen():
    found = {"current": figures(100.0, 0.85), "a": figures(101.5, 0.87), "b": figures(102.5, 0.95),
             "c": figures(100.0, 0.99, unshipped=3)}  # fmt: skip
    name, reason = choose(found, "current")
    assert name == "a" and reason == "a gains 2.0 points of predicted on-time rate at +1.5% billed cost"
    assert choose(found, "current", max_cost_increase=0.03)[0] == "b"


def test_nothing_is_chosen_under_a_point_of_gain_or_over_budget():
    name, reason = choose({"current": figures(100.0, 0.85), "a": figures(100.0, 0.859)}, "current")
    assert name is None and "gains 0.9 points" in reason and "under the 1 point threshold" in reason
    name, reason = choose({"current": figures(100.0, 0.85), "a": figures(103.0, 0.95)}, "current")
    assert name is None and reason == "no candidate's billed cost is at most 2% above the active profiles'"
