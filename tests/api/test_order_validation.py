"""Every kind of bad order answers 422 with field paths and stores nothing."""

import pytest
from sqlalchemy import text

from tests.factories import order_body


def _without(body: dict, section: str, field: str) -> dict:
    body[section] = {k: v for k, v in body[section].items() if k != field}
    return body


BAD_ORDERS = {
    "unknown SKU": (order_body(lines=[("TSH-BLU-L", 1), ("NO-SUCH-SKU", 1)]), ["/lines/1/sku"]),
    "zero quantity": (order_body(lines=[("TSH-BLU-L", 0)]), ["/lines/0/quantity"]),
    "negative quantity": (order_body(lines=[("TSH-BLU-L", -2)]), ["/lines/0/quantity"]),
    "missing postal code": (_without(order_body(), "ship_to", "postal_code"), ["/ship_to/postal_code"]),
    "missing address line": (_without(order_body(), "ship_to", "line1"), ["/ship_to/line1"]),
    "bad country": (order_body(ship_to={**order_body()["ship_to"], "country": "XX"}), ["/ship_to/country"]),
    "duplicate SKUs": (order_body(lines=[("TSH-BLU-L", 1), ("TSH-BLU-L", 2)]), ["/lines"]),
    "over-long external id": (order_body("X" * 101), ["/external_id"]),
    "over-long customer name": (order_body(customer={"name": "N" * 201, "email": "a@b.fr"}), ["/customer/name"]),
    "bad email": (order_body(customer={"name": "A", "email": "not-an-email"}), ["/customer/email"]),
    "unknown channel": (order_body(channel="carrier-pigeon"), ["/channel"]),
    "no lines": (order_body(lines=[]) | {"lines": []}, ["/lines"]),
    "unknown service level": (order_body(service_level="teleport"), ["/service_level"]),
    "pickup without a store": (order_body(service_level="pickup"), ["/pickup_node_id"]),
    "pickup at a warehouse": (order_body(service_level="pickup", pickup_node_id="WH-LYON"), ["/pickup_node_id"]),
    "negative price": (order_body() | {"lines": [{"sku": "TSH-BLU-L", "quantity": 1, "unit_price": -1}]},
                       ["/lines/0/unit_price"]),
    "unknown field": (order_body(discount_code="FREE"), ["/discount_code"]),
}


@pytest.mark.parametrize("case", BAD_ORDERS, ids=list(BAD_ORDERS))
def test_bad_orders_answer_422_with_field_paths_and_store_nothing(client, engine, case):
    body, pointers = BAD_ORDERS[case]
    response = client.post("/api/v1/orders", json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422 and problem["type"].endswith("validation-failed")
    assert [e["pointer"] for e in problem["errors"]] == pointers
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM customers)"))
        assert stored.scalar_one() == 0


def test_a_body_that_is_not_json_is_a_422_problem(client):
    response = client.post("/api/v1/orders", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["errors"]


def test_a_nul_character_the_database_cannot_store_is_a_422_problem_and_stores_nothing(client, engine):
    body = order_body(customer={"name": "Cam\x00ille", "email": "cam@example.fr"})
    response = client.post("/api/v1/orders", json=body)
    assert response.status_code == 422 and "NUL" in response.json()["detail"]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM inbound_payloads")).scalar_one() == 0
