"""The demo carriers' rate table (oms.services.demo.rates) and the quotes of the history's parcels
(billing.py), without a database."""

from datetime import UTC, date, datetime

from oms.services.demo.billing import quoted_cost
from oms.services.demo.carriers import CARRIERS, carrier_picker
from oms.services.demo.model import Shipment
from oms.services.demo.network import BY_ID, NODES
from oms.services.demo.places import CITIES
from oms.services.demo.rates import demo_rates
from oms.services.rate_table_data import to_rate_table, validate_rates

TABLE = to_rate_table(validate_rates(demo_rates()))
LYON_CITY = next(c for c in CITIES if c.name == "Lyon")


def parcel(carrier: str, km: float = 20.0) -> Shipment:
    day = date(2026, 12, 1)
    return Shipment(BY_ID["WH-LYON"], CARRIERS[carrier], "standard", LYON_CITY, "69003", [], km, day, day,
                    datetime(2026, 12, 1, 9, tzinfo=UTC))  # fmt: skip


def test_each_lane_offers_the_carriers_that_serve_it_and_gls_is_the_cheapest_standard_one():
    domestic = TABLE.lane("standard", "FR", "FR", 50.0)
    assert {c.carrier for c in domestic.cards} == {"Colissimo", "DPD", "GLS"}
    assert domestic.quote(2.0).carrier == "GLS"
    assert {c.carrier for c in TABLE.lane("express", "NL", "NL", 50.0).cards} == {"UPS", "DHL"}
    assert {c.carrier for c in TABLE.lane("standard", "BE", "DE", 300.0).cards} == {"DHL", "DPD", "GLS"}


def test_every_carrier_the_demo_ships_with_has_a_card_on_every_lane_from_its_nodes_to_its_customers():
    lanes = {(n.country, c.country, s) for n in NODES for c in CITIES for s in ("standard", "express")}
    for origin, dest, service in lanes:
        cards = {c.carrier for c in TABLE.lane(service, origin, dest, 1_500.0).cards}
        assert cards == set(carrier_picker(origin, dest, service).items), (origin, dest, service)


def test_prices_grow_with_weight_distance_service_and_the_border():
    near, far = TABLE.lane("standard", "FR", "FR", 50.0), TABLE.lane("standard", "FR", "FR", 900.0)
    express, abroad = TABLE.lane("express", "FR", "FR", 50.0), TABLE.lane("standard", "FR", "DE", 50.0)
    assert near.quote(1.0).cost < near.quote(10.0).cost < near.quote(30.0).cost < near.quote(40.0).cost
    assert near.quote(2.0).cost < far.quote(2.0).cost and near.quote(2.0).cost < express.quote(2.0).cost
    assert near.quote(2.0).cost < abroad.quote(2.0).cost


def test_a_history_parcel_is_quoted_its_own_carriers_price_not_the_cheapest():
    quotes = {c: quoted_cost(parcel(c), 2.0) for c in ("Colissimo", "DPD", "GLS")}
    cards = {c.carrier: c for c in TABLE.lane("standard", "FR", "FR", 20.0).cards}
    assert all(float(q) == round(cards[c].price(2.0), 2) for c, q in quotes.items())
    assert quotes["GLS"] < quotes["DPD"] < quotes["Colissimo"]
