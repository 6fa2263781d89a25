"""WMS events through the API: milestones, shipments and what they do to stock and statuses, retries and
events out of order, short picks and rejections rerouted, and bad events refused without a trace."""

import pytest
from sqlalchemy import text

from oms.services.actor import Role
from tests.api.test_fulfilment_release import api_key_for_node
from tests.factories import api_key, set_stock
from tests.fulfilment_factories import (
    capture,
    event,
    fulfilment_order,
    fulfilment_orders,
    positions,
    release,
    send,
    shipped,
)


@pytest.fixture
def lyon(client, engine):
    """An order of 2 T-shirts and 1 jacket released to Lyon (Lyon holds 10 of each, Köln 5)."""
    for sku in ("TSH-BLU-L", "JKT-RED-M"):
        set_stock(engine, "WH-LYON", sku, on_hand=10)
        set_stock(engine, "WH-KOELN", sku, on_hand=5)
    order = capture(client, [("TSH-BLU-L", 2), ("JKT-RED-M", 1)])
    [fo] = release(client, order)
    assert fo["node_id"] == "WH-LYON"
    return order, fo


def rows(engine, sql: str, **params) -> list:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).all()


def test_milestones_move_the_fulfilment_order_forward_and_an_acknowledgement_stops_the_sending(client, lyon):
    order, fo = lyon
    ack = send(client, event(fo["id"], "acknowledged", 1, wms_reference="WMS-778"))
    assert ack.status_code == 201 and ack.json()["status"] == "acknowledged" and ack.json()["applied"]
    for minutes, step in enumerate(("accepted", "picked", "packed"), start=2):
        assert send(client, event(fo["id"], step, minutes)).json()["status"] == step
    read = fulfilment_order(client, fo["id"])
    assert read["status"] == "packed" and read["sending"]["wms_reference"] == "WMS-778"
    assert [e["type"] for e in read["events"]] == ["acknowledged", "accepted", "picked", "packed"]
    assert client.get(f"/api/v1/orders/{order['id']}").json()["status"] == "released"


def test_shipping_takes_the_units_off_on_hand_and_reserved_and_the_order_is_shipped(client, engine, lyon):
    order, fo = lyon
    assert positions(client, "TSH-BLU-L")["WH-LYON"] == (10, 2, 8)
    answer = send(client, shipped(fo["id"])).json()
    assert (answer["status"], answer["order_status"], answer["applied"]) == ("shipped", "shipped", True)
    assert positions(client, "TSH-BLU-L")["WH-LYON"] == (8, 0, 8)  # ATP unchanged: those units were promised
    assert positions(client, "JKT-RED-M")["WH-LYON"] == (9, 0, 9)
    now = client.get(f"/api/v1/orders/{order['id']}").json()
    assert [(x["status"], x["shipped_quantity"], x["allocations"]) for x in now["lines"]] == [
        ("shipped", 2, []), ("shipped", 1, [])]
    [shipment] = fulfilment_order(client, fo["id"])["shipments"]
    assert (shipment["carrier"], shipment["carrier_service"], shipment["tracking_number"], shipment["units"]) == (
        "Colissimo", "standard", "6A123456789", 3)
    assert shipment["parcels"] == [{"tracking_number": "6A123456789", "weight_kg": 0.5}]
    assert [(x["line_no"], x["quantity"]) for x in shipment["lines"]] == [(1, 2), (2, 1)]
    published = [r[0] for r in rows(engine, "SELECT event_type FROM outbox ORDER BY id")]
    assert published[-3:] == ["shipment.shipped", "order.shipped", "fulfilment.shipped"]


def test_a_partial_shipment_leaves_the_rest_open_and_the_order_partially_shipped(client, lyon):
    _order, fo = lyon
    first = send(client, shipped(fo["id"], lines=[{"sku": "TSH-BLU-L", "quantity": 1}])).json()
    assert (first["status"], first["order_status"]) == ("partially_shipped", "partially_shipped")
    assert positions(client, "TSH-BLU-L")["WH-LYON"] == (9, 1, 8)
    rest = send(client, shipped(fo["id"], 90)).json()  # no lines: everything still open
    assert (rest["status"], rest["order_status"]) == ("shipped", "shipped")
    shipments = fulfilment_order(client, fo["id"])["shipments"]
    assert [[(x["line_no"], x["quantity"]) for x in s["lines"]] for s in shipments] == [[(1, 1)], [(1, 1), (2, 1)]]
    assert positions(client, "TSH-BLU-L")["WH-LYON"] == (8, 0, 8)


def test_shipping_keeps_the_days_capacity_the_node_used_and_a_rejection_gives_it_back(client, engine, lyon):
    _order, fo = lyon
    used = "SELECT coalesce(sum(shipments), 0) FROM node_capacity_usage WHERE node_id = :node"
    assert rows(engine, used, node="WH-LYON")[0][0] == 1
    send(client, shipped(fo["id"]))
    assert rows(engine, used, node="WH-LYON")[0][0] == 1
    other = capture(client, [("TSH-BLU-L", 1)], external_id="WEB-2")
    [fo2] = release(client, other)
    assert rows(engine, used, node="WH-LYON")[0][0] == 2
    send(client, event(fo2["id"], "rejected", reason="no room on the dock"))
    assert rows(engine, used, node="WH-LYON")[0][0] == 1  # it ships nothing for that order after all


def test_a_retry_of_the_same_event_answers_the_first_answer_and_changes_nothing(client, engine, lyon):
    _, fo = lyon
    body = shipped(fo["id"], lines=[{"line_no": 1, "quantity": 1}])
    first = send(client, body)
    again = send(client, body)
    assert (first.status_code, again.status_code) == (201, 200) and again.json() == first.json()
    assert len(fulfilment_order(client, fo["id"])["shipments"]) == 1
    assert positions(client, "TSH-BLU-L")["WH-LYON"] == (9, 1, 8)
    changed = send(client, {**body, "tracking_number": "OTHER"})
    assert changed.status_code == 409 and "another body" in changed.json()["detail"]
    assert rows(engine, "SELECT count(*) FROM wms_events")[0][0] == 1


def test_the_same_event_id_from_another_node_is_another_event(client, engine, lyon):
    _, fo = lyon
    set_stock(engine, "WH-KOELN", "TSH-BLU-M", on_hand=5)
    [koeln] = release(client, capture(client, [("TSH-BLU-M", 1)], external_id="WEB-2"))
    assert send(client, event(fo["id"], "picked", event_id="E-1")).status_code == 201
    assert send(client, event(koeln["id"], "picked", event_id="E-1")).status_code == 201
    assert fulfilment_order(client, koeln["id"])["status"] == "picked"
    assert rows(engine, "SELECT node_id FROM wms_events WHERE event_id = 'E-1' ORDER BY id") == [
        ("WH-LYON",), ("WH-KOELN",)]


def test_a_shipment_before_its_pick_implies_it_and_a_late_pick_moves_nothing_back(client, lyon):
    _, fo = lyon
    assert send(client, shipped(fo["id"], 60)).json()["status"] == "shipped"
    read = fulfilment_order(client, fo["id"])
    assert read["picked_at"] == read["packed_at"] == read["shipped_at"]
    late = send(client, event(fo["id"], "picked", 30))
    assert late.status_code == 201 and (late.json()["applied"], late.json()["status"]) == (False, "shipped")
    read = fulfilment_order(client, fo["id"])
    assert read["status"] == "shipped" and read["picked_at"] < read["shipped_at"]  # the real pick time is kept
    assert send(client, event(fo["id"], "acknowledged", 5)).json()["status"] == "shipped"


def test_a_short_pick_reroutes_the_short_units_records_a_discrepancy_and_takes_them_off_on_hand(
    client, engine, lyon
):
    order, fo = lyon
    answer = send(client, event(fo["id"], "short_picked", 10, lines=[{"line_no": 1, "quantity": 1}])).json()
    assert (answer["status"], answer["backordered"], answer["order_status"]) == ("acknowledged", [], "released")
    [new] = answer["released"]
    rerouted = fulfilment_order(client, new)
    assert (rerouted["node_id"], rerouted["rerouted_from_id"]) == ("WH-KOELN", fo["id"])
    assert [(x["sku"], x["quantity"]) for x in rerouted["lines"]] == [("TSH-BLU-L", 1)]
    assert positions(client, "TSH-BLU-L") == {"WH-LYON": (9, 1, 8), "WH-KOELN": (5, 1, 4)}
    [found] = rows(engine, "SELECT node_id, sku, expected, found, short_quantity, source FROM stock_discrepancies")
    assert tuple(found) == ("WH-LYON", "TSH-BLU-L", 10, 9, 1, "short_pick")
    left = fulfilment_order(client, fo["id"])
    assert [(x["line_no"], x["short_quantity"], x["open_quantity"]) for x in left["lines"]] == [(1, 1, 1), (2, 0, 1)]
    line = client.get(f"/api/v1/orders/{order['id']}").json()["lines"][0]
    assert sorted((a["node_id"], a["quantity"]) for a in line["allocations"]) == [("WH-KOELN", 1), ("WH-LYON", 1)]
    assert line["status"] == "released" and line["backordered_quantity"] == 0


def test_a_short_pick_with_no_stock_anywhere_backorders_until_stock_comes(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-M", on_hand=1)
    order = capture(client, [("TSH-BLU-M", 1)])
    [fo] = release(client, order)
    answer = send(client, event(fo["id"], "short_picked", lines=[{"sku": "TSH-BLU-M", "quantity": 1}])).json()
    assert (answer["status"], answer["released"], answer["order_status"]) == ("cancelled", [], "backordered")
    assert answer["backordered"] == [{"line_no": 1, "sku": "TSH-BLU-M", "quantity": 1}]
    assert positions(client, "TSH-BLU-M")["WH-LYON"] == (0, 0, 0)
    set_stock(engine, "WH-KOELN", "TSH-BLU-M", on_hand=3)
    again = client.post(f"/api/v1/orders/{order['id']}/allocate").json()
    assert again["status"] == "allocated"  # a backordered order waits for release like any other
    [_, new] = release(client, order)
    assert (new["node_id"], new["lines"][0]["quantity"]) == ("WH-KOELN", 1)


def test_a_rejection_reroutes_everything_open_without_touching_on_hand(client, engine, lyon):
    order, fo = lyon
    answer = send(client, event(fo["id"], "rejected", reason="dock closed for inventory")).json()
    assert answer["status"] == "rejected" and len(answer["released"]) == 1
    assert positions(client, "TSH-BLU-L")["WH-LYON"] == (10, 0, 10)
    assert positions(client, "TSH-BLU-L")["WH-KOELN"] == (5, 2, 3)
    assert fulfilment_order(client, fo["id"])["reason"] == "dock closed for inventory"
    assert rows(engine, "SELECT count(*) FROM stock_discrepancies")[0][0] == 0
    assert send(client, event(fo["id"], "rejected", reason="again")).status_code == 409  # nothing open
    assert [f["node_id"] for f in fulfilment_orders(client, order)] == ["WH-LYON", "WH-KOELN"]


def test_a_short_pick_reroutes_orders_not_yet_released_that_over_reserve_what_is_left(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=3)
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", on_hand=5)
    first = capture(client, [("TSH-BLU-L", 2)], external_id="WEB-1")
    waiting = capture(client, [("TSH-BLU-L", 1)], external_id="WEB-2")  # not released, also at Lyon
    [fo] = release(client, first)
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=2, reserved=3)  # a count left it over-reserved
    send(client, event(fo["id"], "short_picked", lines=[{"line_no": 1, "quantity": 1}]))
    # Lyon is left with 1 unit, the released order's: the waiting order moved to Köln, with the short unit
    assert positions(client, "TSH-BLU-L") == {"WH-LYON": (1, 1, 0), "WH-KOELN": (5, 2, 3)}
    moved = client.get(f"/api/v1/orders/{waiting['id']}").json()["lines"][0]["allocations"]
    assert moved == [{"node_id": "WH-KOELN", "quantity": 1}]


def test_a_wms_key_reports_for_its_own_node_only_and_ops_for_any(client, engine, lyon):
    _, fo = lyon
    assert send(client, event(fo["id"], "picked"), api_key_for_node(engine, "WH-KOELN")).status_code == 403
    assert send(client, event(fo["id"], "picked"), api_key_for_node(engine, "WH-LYON")).status_code == 201
    viewer = send(client, event(fo["id"], "packed"), api_key(engine, Role.VIEWER))
    assert viewer.status_code == 403
    assert rows(engine, "SELECT count(*) FROM wms_events")[0][0] == 1


@pytest.mark.parametrize(
    ("change", "status", "pointer"),
    [
        ({"fulfilment_order_id": 999999}, 404, None),
        ({"type": "teleported"}, 422, "union_tag_invalid"),
        ({"occurred_at": "2026-03-10T08:00:00"}, 422, "/shipped/occurred_at"),
        ({"occurred_at": None}, 422, "/shipped/occurred_at"),
        ({"occurred_at": "2099-01-01T00:00:00Z"}, 422, "/shipped/occurred_at"),
        ({"occurred_at": "0001-01-01T00:00:00+14:00"}, 422, "/shipped/occurred_at"),
        ({"carrier": ""}, 422, "/shipped/carrier"),
        ({"lines": [{"line_no": 1, "quantity": 3}]}, 422, "/lines/0/quantity"),
        ({"lines": [{"line_no": 7, "quantity": 1}]}, 422, "/lines/0"),
        ({"lines": [{"line_no": 1, "sku": "TSH-BLU-L", "quantity": 1}]}, 422, "/shipped/lines/0"),
        ({"lines": [{"line_no": 1, "quantity": 1}, {"sku": "TSH-BLU-L", "quantity": 1}]}, 422, "/lines/1"),
        ({"parcels": [{"weight_kg": -1}]}, 422, "/shipped/parcels/0/weight_kg"),
        ({"lines": []}, 422, "/shipped/lines"),  # shipped everything still open
        ({"surprise": True}, 422, "/shipped/surprise"),
    ],
)
def test_bad_events_answer_4xx_and_change_nothing(client, engine, lyon, change, status, pointer):
    _, fo = lyon
    before = fulfilment_order(client, fo["id"]), positions(client, "TSH-BLU-L")
    response = send(client, {**shipped(fo["id"]), **change})
    assert response.status_code == status and response.headers["content-type"] == "application/problem+json"
    if pointer:  # a JSON pointer to the field at fault, or the code of a body of no known type
        errors = response.json()["errors"]
        assert pointer in [e["pointer"] for e in errors] + [e["code"] for e in errors]
    assert (fulfilment_order(client, fo["id"]), positions(client, "TSH-BLU-L")) == before
    assert rows(engine, "SELECT count(*) FROM wms_events")[0][0] == 0
    assert rows(engine, "SELECT count(*) FROM shipments")[0][0] == 0


def test_a_short_pick_dated_before_year_one_in_utc_is_refused_and_the_fulfilment_order_still_reads(client, lyon):
    _, fo = lyon  # it was stored, and every later read of the fulfilment order failed on the BC date
    short = {**event(fo["id"], "short_picked", lines=[{"line_no": 1, "quantity": 1}]),
             "occurred_at": "0001-01-01T00:00:00+14:00"}  # fmt: skip
    refused = send(client, short)
    assert refused.status_code == 422 and refused.json()["errors"][0]["code"] == "too_early"
    assert client.get(f"/api/v1/fulfilment-orders/{fo['id']}").status_code == 200


def test_a_body_that_is_not_json_answers_422(client, lyon):
    response = client.post("/api/v1/wms/events", content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 422


def test_a_line_left_backordered_after_a_short_pick_can_be_cancelled_and_the_order_is_then_shipped(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=5)
    set_stock(engine, "WH-LYON", "TSH-BLU-M", on_hand=1)
    order = capture(client, [("TSH-BLU-L", 1), ("TSH-BLU-M", 1)])
    [fo] = release(client, order)
    send(client, event(fo["id"], "short_picked", 10, lines=[{"sku": "TSH-BLU-M", "quantity": 1}]))
    answer = send(client, shipped(fo["id"], 20)).json()
    assert (answer["status"], answer["order_status"]) == ("shipped", "partially_shipped")
    assert client.post(f"/api/v1/orders/{order['id']}/cancel", json={}).status_code == 409  # it has shipped
    cancelled = client.post(f"/api/v1/orders/{order['id']}/lines/2/cancel", json={}).json()
    assert [x["status"] for x in cancelled["lines"]] == ["shipped", "cancelled"] and cancelled["status"] == "shipped"


def test_the_backordered_rest_of_a_line_partly_shipped_or_still_in_fulfilment_can_be_cancelled(client, engine):
    """Ship what you have, cancel the rest: the order was stuck partially shipped (404: no open line)."""
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=3)
    set_stock(engine, "WH-LYON", "JKT-RED-M", on_hand=3)
    order = capture(client, [("TSH-BLU-L", 3), ("JKT-RED-M", 3)])
    [fo] = release(client, order)
    send(client, shipped(fo["id"], 10, lines=[{"line_no": 1, "quantity": 1}]))
    short = [{"line_no": 1, "quantity": 2}, {"line_no": 2, "quantity": 1}]  # nowhere else to get them
    assert len(send(client, event(fo["id"], "short_picked", 20, lines=short)).json()["backordered"]) == 2
    before = positions(client, "TSH-BLU-L"), positions(client, "JKT-RED-M")
    rest = client.post(f"/api/v1/orders/{order['id']}/lines/1/cancel", json={"reason": "customer agreed"})
    assert rest.status_code == 200, rest.text
    assert [(x["quantity"], x["shipped_quantity"], x["status"]) for x in rest.json()["lines"]] == [
        (1, 1, "shipped"), (3, 0, "released")]
    jacket = client.post(f"/api/v1/orders/{order['id']}/lines/2/cancel", json={}).json()["lines"][1]
    assert (jacket["quantity"], jacket["status"]) == (2, "released")  # the 2 still at Lyon stay
    assert (positions(client, "TSH-BLU-L"), positions(client, "JKT-RED-M")) == before
    assert client.post(f"/api/v1/orders/{order['id']}/lines/1/cancel", json={}).status_code == 404  # nothing left
    assert send(client, shipped(fo["id"], 30)).json()["order_status"] == "shipped"
