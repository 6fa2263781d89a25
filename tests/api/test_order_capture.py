from sqlalchemy import text

from oms.services import capture_on_loop
from oms.services.actor import Role
from tests.factories import api_key, order_body, set_stock


def count(engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def reserved(engine, node: str, sku: str) -> int:
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT reserved FROM inventory WHERE node_id = :n AND sku = :s"), {"n": node, "s": sku}
        ).scalar_one()


def test_capturing_an_order_reserves_stock_at_the_first_node_by_priority_that_fills_the_line(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=1)
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", on_hand=10)
    response = client.post("/api/v1/orders", json=order_body(lines=[("TSH-BLU-L", 3)]))
    assert response.status_code == 201
    order = response.json()
    assert order["status"] == "allocated" and isinstance(order["id"], int)
    assert order["lines"][0]["allocations"] == [{"node_id": "WH-KOELN", "quantity": 3}]
    assert reserved(engine, "WH-KOELN", "TSH-BLU-L") == 3 and reserved(engine, "WH-LYON", "TSH-BLU-L") == 0
    assert order["total_amount"] == 59.7


def test_a_line_no_single_node_can_fill_is_split_and_the_rest_backordered(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=2, safety=1)
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", on_hand=2)
    order = client.post("/api/v1/orders", json=order_body(lines=[("TSH-BLU-L", 5)])).json()
    line = order["lines"][0]
    assert order["status"] == "partially_allocated"
    by_node = {a["node_id"]: a["quantity"] for a in line["allocations"]}
    assert by_node == {"WH-LYON": 1, "WH-KOELN": 2}
    assert line["allocated_quantity"] == 3 and line["backordered_quantity"] == 2


def test_an_order_with_no_stock_anywhere_is_backordered_not_refused(client, engine):
    order = client.post("/api/v1/orders", json=order_body(lines=[("JKT-RED-M", 2)])).json()
    assert order["status"] == "backordered" and order["lines"][0]["backordered_quantity"] == 2


def test_a_retry_returns_the_same_order_with_200_and_never_a_duplicate(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=5)
    first = client.post("/api/v1/orders", json=order_body("WEB-42"))
    again = client.post("/api/v1/orders", json=order_body("WEB-42"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert count(engine, "orders") == 1 and reserved(engine, "WH-LYON", "TSH-BLU-L") == 1


def test_reusing_an_external_id_for_a_different_order_is_a_conflict(client, engine):
    client.post("/api/v1/orders", json=order_body("WEB-7"))
    response = client.post("/api/v1/orders", json=order_body("WEB-7", lines=[("TSH-BLU-M", 4)]))
    assert response.status_code == 409 and count(engine, "orders") == 1


def test_the_same_external_id_on_another_channel_is_another_order(client, engine):
    client.post("/api/v1/orders", json=order_body("X-1"))
    response = client.post("/api/v1/orders", json=order_body("X-1", channel="marketplace"))
    assert response.status_code == 201 and count(engine, "orders") == 2


def test_hold_at_capture_keeps_the_reservation_and_the_order_on_hold(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=5)
    order = client.post("/api/v1/orders", json=order_body(hold="payment_review")).json()
    assert (order["status"], order["hold_type"]) == ("on_hold", "payment_review")
    assert reserved(engine, "WH-LYON", "TSH-BLU-L") == 1


def test_pickup_orders_reserve_at_the_collecting_store_only(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=50)
    set_stock(engine, "ST-PARIS", "TSH-BLU-L", on_hand=1)
    body = order_body(lines=[("TSH-BLU-L", 2)], service_level="pickup", pickup_node_id="ST-PARIS")
    line = client.post("/api/v1/orders", json=body).json()["lines"][0]
    assert line["allocations"] == [{"node_id": "ST-PARIS", "quantity": 1}] and line["backordered_quantity"] == 1


def test_capture_writes_an_audit_trail_and_outbox_messages(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=5)
    order = client.post("/api/v1/orders", json=order_body()).json()
    events = client.get(f"/api/v1/orders/{order['id']}/events").json()
    assert [e["action"] for e in events] == ["order.created", "order.allocated"]
    assert events[0]["actor_role"] == "ops" and events[0]["before"] is None
    assert events[0]["after"]["external_id"] == "WEB-1"
    with engine.connect() as conn:
        types = conn.execute(text("SELECT event_type FROM outbox ORDER BY id")).scalars().all()
    assert types == ["order.created", "order.allocated"]


def test_a_channel_key_captures_for_its_own_channel_only(client, engine):
    client.headers.update(api_key(engine, Role.CHANNEL, channel_id="marketplace"))
    assert client.post("/api/v1/orders", json=order_body(channel="marketplace")).status_code == 201
    response = client.post("/api/v1/orders", json=order_body("W-2"))
    assert response.status_code == 403 and response.json()["status"] == 403


def test_a_viewer_cannot_capture_orders(client, engine):
    client.headers.update(api_key(engine, Role.VIEWER))
    response = client.post("/api/v1/orders", json=order_body())
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert count(engine, "orders") == 0


def test_a_captured_order_keeps_the_dates_promised_from_its_allocation(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=5)
    order = client.post("/api/v1/orders", json=order_body()).json()
    assert order["promised_ship_date"] is not None
    assert order["promised_delivery_date"] > order["promised_ship_date"]


def test_a_date_promised_at_checkout_is_kept(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=5)
    order = client.post("/api/v1/orders", json=order_body(promised_delivery_date="2031-01-15")).json()
    assert order["promised_delivery_date"] == "2031-01-15"


def test_a_backordered_order_has_no_promised_date_yet(client):
    order = client.post("/api/v1/orders", json=order_body(lines=[("JKT-RED-M", 1)])).json()
    assert order["promised_ship_date"] is None and order["promised_delivery_date"] is None


def test_the_capture_answer_is_the_order_as_stored(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=2)
    client.post("/api/v1/orders", json=order_body("FIRST", customer={"name": "C. Martin", "email": "cm@example.fr"}))
    body = order_body("SECOND", lines=[("TSH-BLU-L", 3), ("JKT-RED-M", 1)], hold="fraud_review", notes="gift",
                      customer={"name": "Camille Martin-Durand", "email": "cm@example.fr"})
    captured = client.post("/api/v1/orders", json=body).json()
    assert captured == client.get(f"/api/v1/orders/{captured['id']}").json()
    assert captured["customer"]["name"] == "C. Martin"  # the customer as first known, not as retyped


def test_the_api_captures_on_its_event_loop_once_its_caches_are_read(client, engine, monkeypatch):
    general = []
    original = capture_on_loop.capture_order

    def capture_order(uow, actor, cmd):
        general.append(cmd.external_id)
        return original(uow, actor, cmd)

    monkeypatch.setattr(capture_on_loop, "capture_order", capture_order)
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=10)
    answers = [client.post("/api/v1/orders", json=order_body(f"WEB-{n}")) for n in (1, 2, 3)]
    retry = client.post("/api/v1/orders", json=order_body("WEB-3"))

    assert [a.status_code for a in answers] == [201, 201, 201] and retry.status_code == 200
    assert retry.json() == answers[2].json()
    assert general == ["WEB-1", "WEB-3"]  # the first read the caches; the retry is answered the general way
    assert reserved(engine, "WH-LYON", "TSH-BLU-L") == 3
