from datetime import UTC, date, datetime, time

import pytest

from oms.domain.atp import Position
from oms.domain.geo import Point
from oms.domain.promise import PICKUP_OPTIONS, Network, planned_dates, promise
from oms.domain.promise_model import Cart, Destination, NodeFacts, Supply
from oms.domain.transit import TransitRule, TransitTable

TUESDAY_10AM_PARIS = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
PARIS = Destination("FR", Point(48.857, 2.352))
BERLIN = Destination("DE", Point(52.520, 13.405))


def node(node_id, country="FR", at=(45.76, 4.84), priority=10, types=("ship",), processing_days=1):
    tz = {"FR": "Europe/Paris", "DE": "Europe/Berlin"}[country]
    return NodeFacts(
        id=node_id, name=node_id, city=node_id.title(), country=country, point=Point(*at), timezone=tz,
        processing_days=processing_days, cutoff=time(14), priority=priority, fulfilment_types=frozenset(types), type="warehouse", daily_capacity=1000,
    )  # fmt: skip


LYON = node("lyon", at=(45.76, 4.84), priority=10)
KOELN = node("koeln", "DE", at=(50.94, 6.96), priority=20)
BORDEAUX = node("bordeaux", at=(44.84, -0.58), priority=30)


def stock(**by_node: dict[str, int]) -> dict[str, dict[str, Supply]]:
    return {
        n: {sku: Supply(Position(n, sku, on_hand, 0, 0)) for sku, on_hand in skus.items()}
        for n, skus in by_node.items()
    }


def options(lines, nodes, stock, destination=PARIS, rules=(), at=TUESDAY_10AM_PARIS, levels=("standard",)):
    return promise(Cart(lines, destination, at), Network(nodes, stock, TransitTable(rules)), levels)


def shipped(option):
    return [(s.node_id, dict(s.lines), s.ship_date, s.delivery_date) for s in option.shipments]


def test_one_node_ships_the_whole_cart_when_it_can():
    [standard] = options({"A": 1, "B": 2}, [LYON, KOELN], stock(lyon={"A": 5, "B": 5}, koeln={"A": 5}))
    assert standard.available
    assert shipped(standard) == [("lyon", {"A": 1, "B": 2}, date(2026, 3, 11), date(2026, 3, 13))]


def test_the_earliest_delivery_beats_node_priority():
    both = stock(lyon={"A": 5}, koeln={"A": 5})
    [to_berlin] = options({"A": 1}, [LYON, KOELN], both, destination=BERLIN)
    assert [s.node_id for s in to_berlin.shipments] == ["koeln"]  # domestic: 2 days, not 4 from Lyon


def test_equal_deliveries_go_to_the_node_with_the_better_priority():
    [standard] = options({"A": 1}, [BORDEAUX, LYON], stock(lyon={"A": 5}, bordeaux={"A": 5}))
    assert [s.node_id for s in standard.shipments] == ["lyon"]


def test_without_a_node_holding_everything_the_cart_splits_over_the_fewest_nodes():
    network = stock(lyon={"A": 1}, bordeaux={"B": 1, "C": 1}, koeln={"A": 1, "C": 1})
    [standard] = options({"A": 1, "B": 1, "C": 1}, [LYON, KOELN, BORDEAUX], network)
    assert {s.node_id: dict(s.lines) for s in standard.shipments} == {
        "bordeaux": {"B": 1, "C": 1},
        "lyon": {"A": 1},
    }
    assert standard.delivery_date == max(s.delivery_date for s in standard.shipments)


def test_a_line_no_node_holds_whole_is_split_by_quantity():
    [standard] = options({"A": 10}, [LYON, KOELN], stock(lyon={"A": 6}, koeln={"A": 6}))
    assert {s.node_id: dict(s.lines) for s in standard.shipments} == {"lyon": {"A": 6}, "koeln": {"A": 4}}
    assert standard.delivery_date == date(2026, 3, 14)  # Köln to Paris: 3 days, Saturday delivery


def test_not_enough_stock_anywhere_makes_the_option_unavailable():
    [standard] = options({"A": 1, "B": 9}, [LYON, KOELN], stock(lyon={"A": 1, "B": 4}, koeln={"B": 4}))
    assert not standard.available and standard.reason == "not enough stock for B"


def test_stock_due_on_inbound_supply_delays_the_ship_date():
    due_friday = Supply(Position("lyon", "A", 0, 0, 0), inbound=((date(2026, 3, 13), 5),))
    [standard] = options({"A": 2}, [LYON], {"lyon": {"A": due_friday}})
    assert shipped(standard) == [("lyon", {"A": 2}, date(2026, 3, 16), date(2026, 3, 18))]


def test_inbound_counts_only_once_enough_has_arrived():
    supply = Supply(Position("lyon", "A", 1, 0, 0), inbound=((date(2026, 3, 11), 1), (date(2026, 3, 20), 5)))
    assert supply.available_on(1, date(2026, 3, 10)) == date(2026, 3, 10)
    assert supply.available_on(2, date(2026, 3, 10)) == date(2026, 3, 11)
    assert supply.available_on(3, date(2026, 3, 10)) == date(2026, 3, 20)
    assert supply.available_on(8, date(2026, 3, 10)) is None


def test_stock_held_back_from_the_channel_is_not_promised():
    protected = Supply(Position("lyon", "A", 5, 0, 0), held=4)
    [standard] = options({"A": 2}, [LYON], {"lyon": {"A": protected}})
    assert not standard.available


def test_no_delivery_on_sunday():
    thursday = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
    [standard] = options({"A": 1}, [LYON], stock(lyon={"A": 1}), at=thursday)
    assert shipped(standard)[0][2:] == (date(2026, 3, 13), date(2026, 3, 16))  # Friday, then Sat + Mon


def test_express_uses_express_transit_and_the_defaults_cross_borders():
    [express] = options({"A": 1}, [LYON], stock(lyon={"A": 1}), levels=("express",))
    assert express.delivery_date == date(2026, 3, 12) and express.carrier == "postal"
    [abroad] = options({"A": 1}, [LYON], stock(lyon={"A": 1}), destination=BERLIN, levels=("express",))
    assert abroad.delivery_date == date(2026, 3, 13)


def test_express_is_unavailable_abroad_when_configured_rules_have_no_such_route():
    rules = [
        TransitRule("colis", "standard", None, None, None, 3),
        TransitRule("chrono", "express", "FR", "FR", None, 1),
    ]
    standard, express = options(
        {"A": 1},
        [LYON],
        stock(lyon={"A": 1}),
        destination=BERLIN,
        rules=rules,
        levels=("standard", "express"),
    )
    assert standard.available and standard.carrier == "colis"
    assert not express.available and express.reason == "no express service to DE"


STORE_PARIS = node("st-paris", at=(48.86, 2.34), priority=50, types=("ship_from_store", "pickup"))
STORE_VERSAILLES = node("st-versailles", at=(48.80, 2.13), priority=50, types=("pickup",))
STORE_ROUEN = node("st-rouen", at=(49.44, 1.10), priority=50, types=("pickup",))  # ~110 km from Paris


def test_pickup_offers_the_nearest_stores_within_the_radius_holding_every_line():
    network = stock(
        **{"st-paris": {"A": 1, "B": 1}, "st-versailles": {"A": 3, "B": 1}, "st-rouen": {"A": 9, "B": 9}}
    )
    stores = options(
        {"A": 1, "B": 1}, [STORE_ROUEN, STORE_VERSAILLES, STORE_PARIS], network, levels=("pickup",)
    )
    assert [o.store.id for o in stores] == ["st-paris", "st-versailles"]
    assert stores[0].store.distance_km < stores[1].store.distance_km < 50
    assert all(o.ready_date == date(2026, 3, 11) and o.delivery_date is None for o in stores)


def test_pickup_needs_the_stock_on_the_shelf_now():
    due = Supply(Position("st-paris", "A", 0, 0, 0), inbound=((date(2026, 3, 11), 5),))
    partial = stock(**{"st-versailles": {"A": 1}})
    [none] = options(
        {"A": 1, "B": 1},
        [STORE_PARIS, STORE_VERSAILLES],
        {"st-paris": {"A": due}, **partial},
        levels=("pickup",),
    )
    assert not none.available and none.reason == "no store within 50 km holds every line"


def test_pickup_lists_a_few_stores_at_most():
    stores = [
        node(f"st-{i}", at=(48.85 + i / 100, 2.35), types=("pickup",)) for i in range(PICKUP_OPTIONS + 2)
    ]
    network = stock(**{s.id: {"A": 1} for s in stores})
    assert len(options({"A": 1}, stores, network, levels=("pickup",))) == PICKUP_OPTIONS


def test_a_store_that_only_offers_pickup_does_not_ship():
    [standard] = options({"A": 1}, [STORE_VERSAILLES], stock(**{"st-versailles": {"A": 1}}))
    assert not standard.available


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("standard", (date(2026, 3, 11), date(2026, 3, 14))),
        ("pickup", (date(2026, 3, 11), date(2026, 3, 11))),
    ],
)
def test_planned_dates_of_an_allocation(level, expected):
    assert planned_dates(KOELN, TUESDAY_10AM_PARIS, PARIS, TransitTable([]), level) == expected


def test_planned_dates_fall_back_to_standard_where_no_express_route_is_configured():
    rules = [TransitRule("colis", "standard", None, None, None, 3)]
    assert planned_dates(KOELN, TUESDAY_10AM_PARIS, PARIS, TransitTable(rules), "express") == (
        date(2026, 3, 11),
        date(2026, 3, 14),
    )


def test_a_node_without_processing_days_ships_the_day_the_order_starts():
    same_day = node("lyon", processing_days=0)
    [standard] = options({"A": 1}, [same_day], stock(lyon={"A": 1}))
    assert shipped(standard)[0][2:] == (date(2026, 3, 10), date(2026, 3, 12))
