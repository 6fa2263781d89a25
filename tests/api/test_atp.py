from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert

from oms.api.app import create_app
from oms.db.tables import channel_protections, inbound_supply
from oms.services.actor import Role
from tests.factories import api_key, set_stock


@pytest.fixture
def client(client, engine):
    client.headers.update(api_key(engine, Role.VIEWER))
    return client


def test_atp_is_on_hand_less_reserved_and_safety_stock_per_node_and_in_total(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=10, reserved=3, safety=2)
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", on_hand=4)
    body = client.get("/api/v1/atp", params={"sku": "TSH-BLU-L"}).json()
    assert body["total"] == 9
    by_node = {n["node_id"]: n for n in body["nodes"]}
    assert by_node["WH-LYON"] == {
        "node_id": "WH-LYON", "node_type": "warehouse", "on_hand": 10, "reserved": 3, "safety_stock": 2,
        "inbound": 0, "held_back": 0, "atp": 5,
    }
    assert by_node["WH-KOELN"]["atp"] == 4


def test_atp_never_goes_below_zero_when_reservations_exceed_stock(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=2, reserved=5)
    assert client.get("/api/v1/atp", params={"sku": "TSH-BLU-L"}).json()["total"] == 0


def test_atp_by_date_counts_inbound_supply_due_by_then(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=1)
    soon, later = date.today() + timedelta(days=3), date.today() + timedelta(days=20)
    with engine.begin() as conn:
        conn.execute(insert(inbound_supply), [
            {"node_id": "WH-LYON", "sku": "TSH-BLU-L", "type": "purchase_order", "reference": "PO-1",
             "quantity": 5, "expected_date": soon},
            {"node_id": "WH-KOELN", "sku": "TSH-BLU-L", "type": "asn", "reference": "ASN-9",
             "quantity": 7, "expected_date": later},
        ])
    assert client.get("/api/v1/atp", params={"sku": "TSH-BLU-L"}).json()["total"] == 1
    assert client.get("/api/v1/atp", params={"sku": "TSH-BLU-L", "date": soon.isoformat()}).json()["total"] == 6
    assert client.get("/api/v1/atp", params={"sku": "TSH-BLU-L", "date": later.isoformat()}).json()["total"] == 13


def test_channel_protection_holds_back_a_share_or_a_quantity_from_that_channel_only(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=12, safety=2)
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", on_hand=10)
    with engine.begin() as conn:
        conn.execute(insert(channel_protections), [
            {"channel_id": "marketplace", "sku": None, "node_id": None, "quantity": None, "share": 0.5},
            {"channel_id": "marketplace", "sku": "TSH-BLU-L", "node_id": "WH-KOELN", "quantity": 1, "share": None},
        ])
    market = client.get("/api/v1/atp", params={"sku": "TSH-BLU-L", "channel": "marketplace"}).json()
    by_node = {n["node_id"]: n["atp"] for n in market["nodes"]}
    assert by_node == {"WH-LYON": 5, "WH-KOELN": 9}  # half of 10 sellable; the specific rule wins at Köln
    web = client.get("/api/v1/atp", params={"sku": "TSH-BLU-L", "channel": "web"}).json()
    assert web["total"] == 20


def test_atp_of_one_node(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=3)
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", on_hand=4)
    body = client.get("/api/v1/atp", params={"sku": "TSH-BLU-L", "node": "WH-KOELN"}).json()
    assert [n["node_id"] for n in body["nodes"]] == ["WH-KOELN"] and body["total"] == 4


def test_atp_of_the_nodes_in_one_country(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=3)
    set_stock(engine, "ST-PARIS", "TSH-BLU-L", on_hand=2)
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", on_hand=4)
    body = client.get("/api/v1/atp", params={"sku": "TSH-BLU-L", "country": "fr"}).json()
    assert body["country"] == "FR" and body["total"] == 5
    assert sorted(n["node_id"] for n in body["nodes"]) == ["ST-PARIS", "WH-LYON"]


@pytest.mark.parametrize(
    ("params", "status", "pointer"),
    [
        ({"sku": "NOPE"}, 404, None),
        ({"sku": "TSH-BLU-L", "node": "WH-MARS"}, 404, None),
        ({"sku": "TSH-BLU-L", "channel": "telepathy"}, 422, "/channel"),
        ({"sku": "TSH-BLU-L", "date": "31/12/2026"}, 422, "/date"),
        ({"sku": "TSH-BLU-L", "country": "France"}, 422, "/country"),
        ({}, 422, "/sku"),
    ],
)
def test_bad_atp_queries_get_problem_bodies(client, params, status, pointer):
    response = client.get("/api/v1/atp", params=params)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    if pointer:
        assert [e["pointer"] for e in response.json()["errors"]] == [pointer]


def test_atp_needs_an_api_key(engine):
    with TestClient(create_app(engine)) as anonymous:
        response = anonymous.get("/api/v1/atp", params={"sku": "TSH-BLU-L"})
    assert response.status_code == 401 and response.json()["title"] == "Unauthorized"
