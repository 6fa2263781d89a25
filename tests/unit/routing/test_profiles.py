import json

import pytest

from oms.domain.routing.profiles import ProfileError, load_profiles, profiles_from_data

YAML = """
version: 3
strategies:
  - name: warehouses-first
    conditions: {channels: [web], destination_countries: [FR, BE], order_value_max: 500}
    filters: {node_types: [warehouse], max_distance_km: 900, must_meet_promise: true}
    objective: {shipping_cost: 1, split: 4.5, transit_days: 0.5}
    max_split: 2
    partial_fulfilment: ship_complete
    fallback: anywhere
  - name: anywhere
    allow_line_split: true
    max_split: 3
"""


def test_a_yaml_profile_set_loads_with_defaults_for_what_it_leaves_out():
    profiles = load_profiles(YAML, "yaml")
    first, second = profiles.strategies
    assert profiles.version == 3
    assert first.conditions.destination_countries == ["FR", "BE"]
    assert first.filters.node_types == ["warehouse"] and first.filters.require_capacity
    assert first.objective.split == 4.5 and first.objective.shipping_cost == 1
    assert first.fallback == "anywhere"
    assert second.partial_fulfilment == "ship_available_backorder_rest"
    assert second.objective.shipping_cost == 1.0 and second.objective.node_priority == 0.0


def test_the_same_profiles_load_from_json():
    data = {"version": 1, "strategies": [{"name": "only", "max_split": 2, "objective": {"split": 3}}]}
    profiles = load_profiles(json.dumps(data), "json")
    assert profiles.strategies[0].max_split == 2
    assert profiles.model_dump(mode="json")["strategies"][0]["objective"]["split"] == 3


def errors_of(data) -> list[str]:
    with pytest.raises(ProfileError) as caught:
        profiles_from_data(data)
    return caught.value.errors


def one(**strategy) -> dict:
    return {"version": 1, "strategies": [{"name": "s"} | strategy]}


def test_an_unknown_field_is_refused_with_its_path():
    assert errors_of(one(filters={"max_distanse_km": 10})) == [
        "strategies.0.filters.max_distanse_km: Extra inputs are not permitted"
    ]


def test_a_negative_weight_is_refused_with_its_path():
    (error,) = errors_of(one(objective={"split": -1}))
    assert error.startswith("strategies.0.objective.split: Input should be greater than or equal to 0")


def test_every_problem_is_reported_not_only_the_first():
    errors = errors_of(one(objective={"split": -1}, max_split=0, partial_fulfilment="maybe"))
    assert [e.split(":")[0] for e in errors] == [
        "strategies.0.objective.split",
        "strategies.0.max_split",
        "strategies.0.partial_fulfilment",
    ]


def test_a_fallback_to_an_unknown_strategy_is_refused():
    assert errors_of(one(fallback="nowhere")) == ["strategies.0.fallback: no strategy is named 'nowhere'"]


def test_fallbacks_that_form_a_cycle_are_refused():
    data = {
        "version": 1,
        "strategies": [
            {"name": "a", "fallback": "b"},
            {"name": "b", "fallback": "c"},
            {"name": "c", "fallback": "a"},
        ],
    }
    assert errors_of(data) == ["strategies.0.fallback: fallbacks form a cycle: a -> b -> c -> a"]


def test_a_strategy_falling_back_to_itself_is_a_cycle():
    assert errors_of(one(fallback="s")) == ["strategies.0.fallback: fallbacks form a cycle: s -> s"]


def test_duplicate_strategy_names_are_refused():
    data = {"version": 1, "strategies": [{"name": "a"}, {"name": "a"}]}
    assert errors_of(data) == ["strategies.1.name: duplicate strategy name 'a'"]


def test_an_order_value_minimum_above_the_maximum_is_refused():
    (error,) = errors_of(one(conditions={"order_value_min": 100, "order_value_max": 50}))
    assert error == "strategies.0.conditions: order_value_min is above order_value_max"


def test_an_empty_condition_list_is_refused_as_it_would_select_nothing():
    (error,) = errors_of(one(conditions={"channels": []}))
    assert error.startswith("strategies.0.conditions.channels: List should have at least 1 item")


def test_a_country_must_be_an_upper_case_code():
    (error,) = errors_of(one(conditions={"destination_countries": ["fr"]}))
    assert error.startswith("strategies.0.conditions.destination_countries.0: String should match pattern")


def test_line_splits_need_room_for_a_second_shipment():
    assert errors_of(one(allow_line_split=True)) == [
        "strategies.0: allow_line_split needs max_split of 2 or more"
    ]


def test_a_profile_set_needs_a_version_and_a_strategy():
    errors = errors_of({"strategies": []})
    assert errors == [
        "version: Field required",
        "strategies: List should have at least 1 item after validation, not 0",
    ]


def test_text_that_is_not_yaml_is_refused_as_such():
    with pytest.raises(ProfileError) as caught:
        load_profiles("version: [1", "yaml")
    assert caught.value.errors[0].startswith("not valid yaml:")
