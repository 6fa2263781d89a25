"""Holds, cancellations, edits, reallocation and release through the API, with stock kept true."""

import pytest

from oms.services.actor import Role
from tests.api.test_order_capture import reserved
from tests.factories import api_key, order_body, set_stock


@pytest.fixture
def order(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=10)
    set_stock(engine, "WH-LYON", "TSH-BLU-M", on_hand=10)
    body = order_body(lines=[("TSH-BLU-L", 2), ("TSH-BLU-M", 3)])
    return client.post("/api/v1/orders", json=body).json()


def post(client, order, action, json=None):
    return client.post(f"/api/v1/orders/{order['id']}/{action}", json=json or {})


def test_hold_then_release_hold_returns_the_order_to_its_allocation_status(client, order):
    held = post(client, order, "hold", {"type": "fraud_review", "reason": "address mismatch"}).json()
    assert (held["status"], held["hold_type"], held["hold_reason"]) == ("on_hold", "fraud_review", "address mismatch")
    released = post(client, order, "release-hold", {"reason": "checked by phone"}).json()
    assert (released["status"], released["hold_type"]) == ("allocated", None)
    actions = [e["action"] for e in client.get(f"/api/v1/orders/{order['id']}/events").json()]
    assert actions[-2:] == ["order.held", "order.hold_released"]


def test_the_audit_event_keeps_the_order_before_and_after(client, order):
    post(client, order, "hold", {"reason": "customer called"})
    event = client.get(f"/api/v1/orders/{order['id']}/events").json()[-1]
    assert event["before"]["status"] == "allocated" and event["after"]["status"] == "on_hold"
    assert event["actor"] == "test-ops-all"


def test_releasing_a_hold_on_an_order_not_on_hold_is_refused_with_409(client, order):
    response = post(client, order, "release-hold")
    assert response.status_code == 409 and response.json()["title"] == "Conflict"
    assert "allocated" in response.json()["detail"]


def test_cancelling_an_order_gives_its_reserved_stock_back(client, engine, order):
    assert reserved(engine, "WH-LYON", "TSH-BLU-L") == 2
    cancelled = post(client, order, "cancel", {"reason": "customer request"}).json()
    assert cancelled["status"] == "cancelled"
    assert {line["status"] for line in cancelled["lines"]} == {"cancelled"}
    assert reserved(engine, "WH-LYON", "TSH-BLU-L") == 0 and reserved(engine, "WH-LYON", "TSH-BLU-M") == 0


def test_a_cancelled_order_cannot_be_cancelled_held_or_edited_again(client, order):
    post(client, order, "cancel")
    assert post(client, order, "cancel").status_code == 409
    assert post(client, order, "hold", {"reason": "x"}).status_code == 409
    edit = client.patch(f"/api/v1/orders/{order['id']}", json={"set_quantities": [{"line_no": 1, "quantity": 1}]})
    assert edit.status_code == 409


def test_cancelling_one_line_releases_that_line_only(client, engine, order):
    after = post(client, order, "lines/2/cancel", {"reason": "out of fashion"}).json()
    assert [line["status"] for line in after["lines"]] == ["allocated", "cancelled"]
    assert after["status"] == "allocated"
    assert reserved(engine, "WH-LYON", "TSH-BLU-M") == 0 and reserved(engine, "WH-LYON", "TSH-BLU-L") == 2
    assert post(client, order, "lines/2/cancel").status_code == 404


def test_cancelling_the_last_open_line_cancels_the_order(client, order):
    post(client, order, "lines/1/cancel")
    assert post(client, order, "lines/2/cancel").json()["status"] == "cancelled"


def test_editing_quantities_re_reserves_and_can_move_to_another_node(client, engine, order):
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", on_hand=20)
    edited = client.patch(
        f"/api/v1/orders/{order['id']}", json={"set_quantities": [{"line_no": 1, "quantity": 15}]}
    ).json()
    assert edited["lines"][0]["allocations"] == [{"node_id": "WH-KOELN", "quantity": 15}]
    assert reserved(engine, "WH-LYON", "TSH-BLU-L") == 0 and reserved(engine, "WH-KOELN", "TSH-BLU-L") == 15
    assert edited["total_amount"] == pytest.approx(15 * 19.9 + 3 * 19.9)
    assert edited["version"] == order["version"] + 1


def test_editing_adds_and_removes_lines_and_changes_the_address(client, engine, order):
    set_stock(engine, "WH-KOELN", "JKT-RED-M", on_hand=1)
    new_address = {**order["ship_to"], "line1": "3 place Bellecour", "postal_code": "69002", "city": "Lyon"}
    edited = client.patch(f"/api/v1/orders/{order['id']}", json={
        "ship_to": new_address,
        "remove_lines": [2],
        "add_lines": [{"sku": "JKT-RED-M", "quantity": 1, "unit_price": 89}],
    }).json()
    assert [(line["line_no"], line["sku"], line["status"]) for line in edited["lines"]] == [
        (1, "TSH-BLU-L", "allocated"), (2, "TSH-BLU-M", "cancelled"), (3, "JKT-RED-M", "allocated")]
    assert edited["ship_to"]["city"] == "Lyon"
    assert reserved(engine, "WH-LYON", "TSH-BLU-M") == 0 and reserved(engine, "WH-KOELN", "JKT-RED-M") == 1


@pytest.mark.parametrize(
    ("edit", "pointer"),
    [
        ({"set_quantities": [{"line_no": 9, "quantity": 1}]}, "/set_quantities/0/line_no"),
        ({"remove_lines": [7]}, "/remove_lines/0"),
        ({"add_lines": [{"sku": "NOPE", "quantity": 1, "unit_price": 1}]}, "/add_lines/0/sku"),
        ({"add_lines": [{"sku": "TSH-BLU-L", "quantity": 1, "unit_price": 1}]}, "/add_lines/0/sku"),
        ({"set_quantities": [{"line_no": 1, "quantity": 0}]}, "/set_quantities/0/quantity"),
        ({}, "/"),
    ],
)
def test_bad_edits_answer_422_and_change_nothing(client, engine, order, edit, pointer):
    response = client.patch(f"/api/v1/orders/{order['id']}", json=edit)
    assert response.status_code == 422 and [e["pointer"] for e in response.json()["errors"]] == [pointer]
    unchanged = client.get(f"/api/v1/orders/{order['id']}").json()
    assert unchanged["version"] == order["version"] and reserved(engine, "WH-LYON", "TSH-BLU-L") == 2


def test_an_edit_against_a_stale_version_is_a_conflict(client, order):
    response = client.patch(
        f"/api/v1/orders/{order['id']}",
        json={"expected_version": order["version"] + 5, "set_quantities": [{"line_no": 1, "quantity": 1}]},
    )
    assert response.status_code == 409


def test_allocate_again_reserves_backorders_once_stock_arrives(client, engine):
    created = client.post("/api/v1/orders", json=order_body(lines=[("JKT-RED-M", 4)])).json()
    assert created["status"] == "backordered"
    set_stock(engine, "WH-KOELN", "JKT-RED-M", on_hand=4)
    after = post(client, created, "allocate").json()
    assert after["status"] == "allocated" and reserved(engine, "WH-KOELN", "JKT-RED-M") == 4


def test_a_released_order_can_no_longer_be_edited_or_cancelled(client, order):
    assert post(client, order, "release").json()["status"] == "released"
    assert post(client, order, "cancel").status_code == 409
    edit = client.patch(f"/api/v1/orders/{order['id']}", json={"remove_lines": [1]})
    assert edit.status_code == 409


def test_an_order_on_hold_cannot_be_released_to_fulfilment(client, order):
    post(client, order, "hold", {"reason": "check"})
    assert post(client, order, "release").status_code == 409


def test_a_viewer_can_read_but_not_hold_or_cancel(client, engine, order):
    client.headers.update(api_key(engine, Role.VIEWER))
    assert client.get(f"/api/v1/orders/{order['id']}").status_code == 200
    assert post(client, order, "hold", {"reason": "x"}).status_code == 403
    assert post(client, order, "cancel").status_code == 403


def test_a_channel_key_cannot_see_another_channels_orders(client, engine, order):
    client.headers.update(api_key(engine, Role.CHANNEL, channel_id="marketplace"))
    assert client.get(f"/api/v1/orders/{order['id']}").status_code == 404
    assert client.get("/api/v1/orders").json()["items"] == []


def test_unknown_orders_answer_404(client):
    assert client.get("/api/v1/orders/999999").status_code == 404
    assert client.post("/api/v1/orders/999999/hold", json={"reason": "x"}).status_code == 404
