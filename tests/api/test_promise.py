from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert

from oms.api.app import create_app
from oms.db.tables import channel_protections, inbound_supply, transit_rules
from oms.services.actor import Role
from tests.factories import api_key, set_stock

AT = "2026-03-10T09:00:00Z"  # a Tuesday, 10:00 in Paris and Köln: before every node's 14:00 cut-off
TO_PARIS = {"postal_code": "75011", "country": "FR"}


@pytest.fixture
def viewer(client, engine):
    client.headers.update(api_key(engine, Role.VIEWER))
    return client


def ask(client, lines, destination=TO_PARIS, **extra):
    body = {"lines": [{"sku": s, "quantity": q} for s, q in lines], "destination": destination, "at": AT}
    return client.post("/api/v1/promise", json=body | extra)


def by_level(response) -> dict[str, list[dict]]:
    assert response.status_code == 200, response.text
    options: dict[str, list[dict]] = {}
    for option in response.json()["options"]:
        options.setdefault(option["service_level"], []).append(option)
    return options


def test_a_cart_gets_standard_express_and_pickup_options_from_the_right_nodes(viewer, engine):
    for node_id, on_hand in (("WH-LYON", 10), ("ST-PARIS", 2)):
        set_stock(engine, node_id, "TSH-BLU-L", on_hand)
        set_stock(engine, node_id, "JKT-RED-M", on_hand)
    response = ask(viewer, [("TSH-BLU-L", 1), ("JKT-RED-M", 1)])
    options = by_level(response)
    assert options["standard"] == [
        {
            "service_level": "standard", "available": True, "reason": None, "carrier": "postal",
            "delivery_date": "2026-03-13", "ready_date": None, "store": None,
            "ship_from": [{
                "node_id": "WH-LYON", "ship_date": "2026-03-11", "carrier": "postal", "delivery_date": "2026-03-13",
                "lines": [{"sku": "TSH-BLU-L", "quantity": 1}, {"sku": "JKT-RED-M", "quantity": 1}],
            }],
        }
    ]  # fmt: skip
    assert options["express"][0]["delivery_date"] == "2026-03-12"
    [pickup] = options["pickup"]
    assert pickup["store"] == {"id": "ST-PARIS", "name": "ST-PARIS", "city": "Paris", "distance_km": 1.1}
    assert pickup["ready_date"] == "2026-03-11" and pickup["delivery_date"] is None
    assert response.json()["destination"] == {"postal_code": "75011", "country": "FR", "area": "Paris"}


def test_a_cart_no_node_holds_whole_is_split_and_arrives_with_the_last_parcel(viewer, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 5)
    set_stock(engine, "WH-KOELN", "TSH-BLU-M", 5)
    response = ask(viewer, [("TSH-BLU-L", 1), ("TSH-BLU-M", 1)], service_level="standard")
    [standard] = by_level(response)["standard"]
    parcels = {p["node_id"]: (p["lines"], p["delivery_date"]) for p in standard["ship_from"]}
    assert parcels == {
        "WH-LYON": ([{"sku": "TSH-BLU-L", "quantity": 1}], "2026-03-13"),
        "WH-KOELN": ([{"sku": "TSH-BLU-M", "quantity": 1}], "2026-03-14"),  # cross-border: 3 days
    }
    assert standard["delivery_date"] == "2026-03-14"


def test_cross_border_standard_transit_grows_with_distance(viewer, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 5)
    to_berlin = {"postal_code": "10115", "country": "DE"}
    [standard] = by_level(ask(viewer, [("TSH-BLU-L", 1)], to_berlin, service_level="standard"))["standard"]
    assert standard["delivery_date"] == "2026-03-16"  # ~1,000 km: 4 days, none on Sunday


def test_stock_due_on_inbound_supply_delays_the_ship_date(viewer, engine):
    with engine.begin() as conn:
        conn.execute(insert(inbound_supply), {
            "node_id": "WH-LYON", "sku": "TSH-BLU-L", "type": "purchase_order", "reference": "PO-7",
            "quantity": 4, "expected_date": date(2026, 3, 13),
        })  # fmt: skip
    [standard] = by_level(ask(viewer, [("TSH-BLU-L", 2)], service_level="standard"))["standard"]
    assert standard["ship_from"][0]["ship_date"] == "2026-03-16"
    assert standard["delivery_date"] == "2026-03-18"


def test_configured_transit_rules_replace_the_defaults(viewer, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 5)
    with engine.begin() as conn:
        conn.execute(insert(transit_rules), {
            "carrier": "colissimo", "service_level": "standard", "origin_country": "FR", "dest_country": "FR",
            "max_distance_km": None, "transit_days": 1,
        })  # fmt: skip
    options = by_level(ask(viewer, [("TSH-BLU-L", 1)]))
    assert options["standard"][0]["carrier"] == "colissimo"
    assert options["standard"][0]["delivery_date"] == "2026-03-12"
    assert options["express"][0] | {"ship_from": []} == {
        "service_level": "express", "available": False, "reason": "no express service to FR", "ship_from": [],
        "carrier": None, "delivery_date": None, "ready_date": None, "store": None,
    }  # fmt: skip


def test_stock_protected_from_the_channel_is_not_promised_to_it(viewer, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 3)
    with engine.begin() as conn:
        conn.execute(insert(channel_protections), {"channel_id": "marketplace", "sku": None, "node_id": None,
                                                   "quantity": 3, "share": None})  # fmt: skip
    market = by_level(ask(viewer, [("TSH-BLU-L", 1)], channel="marketplace", service_level="standard"))
    assert market["standard"][0]["reason"] == "not enough stock for TSH-BLU-L"
    web = by_level(ask(viewer, [("TSH-BLU-L", 1)], channel="web", service_level="standard"))
    assert web["standard"][0]["available"]


def test_no_pickup_when_no_store_nearby_holds_the_cart(viewer, engine):
    set_stock(engine, "ST-PARIS", "TSH-BLU-L", 5)
    to_lyon = {"postal_code": "69003", "country": "FR"}
    [pickup] = by_level(ask(viewer, [("TSH-BLU-L", 1)], to_lyon, service_level="pickup"))["pickup"]
    assert not pickup["available"] and pickup["reason"] == "no store within 50 km holds every line"


def lines(n: int) -> list[dict]:
    return [{"sku": f"SKU-{i}", "quantity": 1} for i in range(n)]


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        ({"lines": []}, "/lines"),
        ({"lines": lines(101)}, "/lines"),
        ({"lines": [{"sku": "TSH-BLU-L", "quantity": 0}]}, "/lines/0/quantity"),
        ({"lines": [{"sku": "TSH-BLU-L", "quantity": 1}, {"sku": "NOPE", "quantity": 1}]}, "/lines/1/sku"),
        (
            {"lines": [{"sku": "JKT-RED-M", "quantity": 1}, {"sku": "JKT-RED-M", "quantity": 2}]},
            "/lines/1/sku",
        ),
        ({"destination": {"postal_code": "75011", "country": "FRA"}}, "/destination/country"),
        ({"destination": {"postal_code": "75011", "country": "XX"}}, "/destination/country"),
        ({"destination": {"country": "FR"}}, "/destination/postal_code"),
        ({"service_level": "teleport"}, "/service_level"),
        ({"channel": "telepathy"}, "/channel"),
        ({"at": "next tuesday"}, "/at"),
        ({"at": "9999-12-31T23:00:00Z"}, "/at"),
    ],
)
def test_bad_promise_requests_get_problem_bodies_pointing_at_the_field(viewer, change, pointer):
    body = {"lines": [{"sku": "TSH-BLU-L", "quantity": 1}], "destination": TO_PARIS} | change
    response = viewer.post("/api/v1/promise", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["pointer"] for e in response.json()["errors"]] == [pointer]


def test_an_unknown_country_is_named_in_the_problem(viewer):
    response = ask(viewer, [("TSH-BLU-L", 1)], {"postal_code": "1234", "country": "zz"})
    assert response.json()["errors"][0]["message"] == "no delivery area is known for country 'ZZ'"


def test_a_promise_needs_an_api_key(engine):
    with TestClient(create_app(engine)) as anonymous:
        response = ask(anonymous, [("TSH-BLU-L", 1)])
    assert response.status_code == 401 and response.headers["content-type"] == "application/problem+json"


def test_a_channel_key_may_not_promise_for_another_channel(viewer, engine):
    viewer.headers.update(api_key(engine, Role.CHANNEL, "web"))
    assert ask(viewer, [("TSH-BLU-L", 1)], channel="marketplace").status_code == 403
    assert ask(viewer, [("TSH-BLU-L", 1)], channel="web").status_code == 200
