from datetime import timedelta

import pytest

from oms.domain.routing.filters import eligible_routes
from oms.domain.routing.profiles import Filters
from oms.domain.routing.rates import RateTable
from tests.unit.routing.builders import FLAT, KOELN, ORLEANS, PARIS, PROMISED, card, node, order


def verdict(candidate, filters=None, facts=None, rates=FLAT, skus=("A",)):
    routes, rejected = eligible_routes(
        facts or order(), set(skus), PARIS, [candidate], filters or Filters(), rates
    )
    if routes:
        return None
    (rejection,) = rejected
    return rejection.filtered_by, rejection.reason


def test_a_node_meeting_every_filter_is_eligible_with_its_distance():
    routes, rejected = eligible_routes(order(), {"A"}, PARIS, [node("n", at=ORLEANS)], Filters(), FLAT)
    assert rejected == [] and round(routes[0].distance_km) == 111


def test_a_node_that_only_offers_pickup_does_not_ship():
    assert verdict(node("n", type="store", types=("pickup",)))[0] == "does_not_ship"


def test_node_types_keep_only_the_listed_types():
    filters = Filters(node_types=["warehouse", "3pl"])
    assert verdict(node("n", type="3pl"), filters) is None
    assert verdict(node("n", type="dropship"), filters) == (
        "node_types",
        "node type dropship is not among ['warehouse', '3pl']",
    )


def test_stores_are_left_out_when_ship_from_store_is_disabled():
    assert verdict(node("n", type="store"), Filters(ship_from_store=True)) is None
    assert verdict(node("n", type="store"), Filters(ship_from_store=False))[0] == "ship_from_store"
    assert verdict(node("n", type="warehouse"), Filters(ship_from_store=False)) is None


def test_excluded_nodes_are_left_out():
    assert verdict(node("n"), Filters(excluded_nodes=["n"]))[0] == "excluded_nodes"
    assert verdict(node("m"), Filters(excluded_nodes=["n"])) is None


def test_nodes_beyond_the_maximum_distance_are_left_out():
    assert verdict(node("n", at=ORLEANS), Filters(max_distance_km=150)) is None
    assert verdict(node("n", at=KOELN), Filters(max_distance_km=150)) == (
        "max_distance_km",
        "403 km away, beyond 150 km",
    )


def test_a_node_without_daily_capacity_left_is_left_out_unless_capacity_is_not_required():
    full = node("n", remaining=0)
    assert verdict(full, Filters())[0] == "require_capacity"
    assert verdict(full, Filters(require_capacity=False)) is None


def test_a_node_no_carrier_serves_or_no_rate_covers_has_no_route():
    assert verdict(node("n", transit=None))[0] == "no_route"
    only_germany = RateTable([card(dest="DE")])
    assert verdict(node("n"), rates=only_germany) == (
        "no_route",
        "no carrier or rate for standard from FR to FR",
    )


@pytest.mark.parametrize(
    ("delivery", "eligible"),
    [
        (PROMISED - timedelta(days=1), True),
        (PROMISED, True),
        (PROMISED + timedelta(days=1), False),
        (None, False),
    ],
)
def test_must_meet_promise_leaves_out_nodes_delivering_late_or_on_an_unknown_date(delivery, eligible):
    facts = order(promised_delivery_date=PROMISED)
    result = verdict(node("n", delivery=delivery), Filters(must_meet_promise=True), facts)
    assert (result is None) == eligible
    assert result is None or result[0] == "must_meet_promise"


def test_without_a_promised_date_must_meet_promise_leaves_no_node_out():
    assert verdict(node("n", delivery=None), Filters(must_meet_promise=True), order()) is None


def test_a_node_holding_none_of_the_order_skus_is_left_out():
    assert verdict(node("n", stock={"B": 5}), skus=("A",))[0] == "no_stock"
    assert verdict(node("n", stock={"A": 0, "B": 5}), skus=("A", "B")) is None


def test_a_node_is_reported_under_the_first_filter_it_fails():
    everything_wrong = node("n", type="store", at=KOELN, remaining=0, stock={})
    filters = Filters(ship_from_store=False, excluded_nodes=["n"], max_distance_km=10)
    assert verdict(everything_wrong, filters)[0] == "ship_from_store"
