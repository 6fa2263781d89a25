"""Release to fulfilment: one fulfilment order per node, its lines and dates, reading them, and each
node's WMS integration."""

from datetime import date

from sqlalchemy import text

from oms.services.actor import Role
from tests.factories import api_key, set_stock
from tests.fulfilment_factories import capture, fulfilment_order, fulfilment_orders, release


def test_release_makes_one_fulfilment_order_per_node_with_its_lines_and_dates(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=5)
    set_stock(engine, "WH-KOELN", "JKT-RED-M", on_hand=5)
    order = capture(client, [("TSH-BLU-L", 2), ("JKT-RED-M", 1)])
    fos = release(client, order)
    assert {fo["node_id"]: [(x["line_no"], x["sku"], x["quantity"]) for x in fo["lines"]] for fo in fos} == {
        "WH-LYON": [(1, "TSH-BLU-L", 2)], "WH-KOELN": [(2, "JKT-RED-M", 1)]}
    promised = client.get(f"/api/v1/orders/{order['id']}").json()
    assert promised["status"] == "released" and {x["status"] for x in promised["lines"]} == {"released"}
    for fo in fos:
        assert fo["status"] == "released" and fo["deliver_by"] == promised["promised_delivery_date"]
        assert date.fromisoformat(fo["ship_by"]) <= date.fromisoformat(promised["promised_ship_date"])
        assert fo["sending"] == {"attempts": 0, "next_attempt_at": None, "last_error": None, "sent_at": None,
                                 "wms_reference": None}  # manual nodes: nothing to send  # fmt: skip
    events = [e["action"] for e in client.get(f"/api/v1/orders/{order['id']}/events").json()]
    assert events.count("fulfilment.released") == 2 and events[-1] == "order.released"
    with engine.connect() as conn:
        outbox = conn.execute(text("SELECT event_type FROM outbox ORDER BY id")).scalars().all()
    assert outbox.count("fulfilment.released") == 2


def test_release_keeps_the_reservation_and_links_it_to_the_fulfilment_order(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=5)
    order = capture(client, [("TSH-BLU-L", 3)])
    [fo] = release(client, order)
    with engine.connect() as conn:
        held = conn.execute(text("SELECT fulfilment_order_id, quantity FROM allocations")).all()
        reserved = conn.execute(text("SELECT reserved FROM inventory WHERE node_id = 'WH-LYON'")).scalar()
    assert [tuple(r) for r in held] == [(fo["id"], 3)] and reserved == 3


def test_a_partly_backordered_order_releases_what_it_holds_and_keeps_the_rest_waiting(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=2)
    order = capture(client, [("TSH-BLU-L", 3)])
    assert order["status"] == "partially_allocated"
    [fo] = release(client, order)
    assert fo["lines"][0]["quantity"] == 2
    line = client.get(f"/api/v1/orders/{order['id']}").json()["lines"][0]
    assert (line["status"], line["allocated_quantity"], line["backordered_quantity"]) == ("released", 2, 1)
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", on_hand=4)
    again = client.post(f"/api/v1/orders/{order['id']}/allocate").json()  # stock came: released at once
    assert again["status"] == "released" and again["lines"][0]["backordered_quantity"] == 0
    assert sorted(fo["node_id"] for fo in fulfilment_orders(client, order)) == ["WH-KOELN", "WH-LYON"]


def test_fulfilment_orders_filter_by_node_status_and_order_and_page(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=10)
    orders = [capture(client, [("TSH-BLU-L", 1)], external_id=f"WEB-{n}") for n in range(3)]
    for order in orders:
        release(client, order)
    page = client.get("/api/v1/fulfilment-orders", params={"node": "WH-LYON", "status": "released", "limit": 2})
    first = page.json()
    assert [fo["order_id"] for fo in first["items"]] == [orders[0]["id"], orders[1]["id"]]
    rest = client.get("/api/v1/fulfilment-orders", params={"node": "WH-LYON", "cursor": first["next_cursor"]})
    assert [fo["order_id"] for fo in rest.json()["items"]] == [orders[2]["id"]]
    assert client.get("/api/v1/fulfilment-orders", params={"node": "WH-KOELN"}).json()["items"] == []
    assert client.get("/api/v1/fulfilment-orders", params={"status": "shipped"}).json()["items"] == []
    assert client.get("/api/v1/fulfilment-orders", params={"status": "lost"}).status_code == 422


def test_a_fulfilment_order_reads_with_shipments_and_events_and_404s_when_unknown(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=5)
    [fo] = release(client, capture(client, [("TSH-BLU-L", 1)]))
    detail = fulfilment_order(client, fo["id"])
    assert detail["shipments"] == [] and detail["events"] == [] and detail["lines"][0]["open_quantity"] == 1
    missing = client.get("/api/v1/fulfilment-orders/999999")
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"


def test_a_wms_key_sees_its_own_nodes_fulfilment_orders_only(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=5)
    [fo] = release(client, capture(client, [("TSH-BLU-L", 1)]))
    lyon = api_key_for_node(engine, "WH-LYON")
    koeln = api_key_for_node(engine, "WH-KOELN")
    assert client.get(f"/api/v1/fulfilment-orders/{fo['id']}", headers=lyon).status_code == 200
    assert client.get(f"/api/v1/fulfilment-orders/{fo['id']}", headers=koeln).status_code == 404
    assert client.get("/api/v1/fulfilment-orders", headers=koeln).json()["items"] == []
    assert client.get("/api/v1/orders", headers=lyon).status_code == 403  # a WMS reads no orders


def test_a_nodes_integration_is_manual_until_set_and_never_shows_its_secret(client, engine):
    assert client.get("/api/v1/nodes/WH-LYON/integration").json()["transport"] == "manual"
    admin = api_key(engine, Role.ADMIN)
    body = {"transport": "http", "endpoint_url": "http://127.0.0.1:9/wms", "secret": "s" * 32}
    assert client.put("/api/v1/nodes/WH-LYON/integration", json=body).status_code == 403  # ops: no network:write
    saved = client.put("/api/v1/nodes/WH-LYON/integration", json=body, headers=admin).json()
    assert saved["transport"] == "http" and saved["secret_set"] is True and "secret" not in saved
    with engine.connect() as conn:
        logged = conn.execute(text("SELECT after::text FROM audit_events WHERE action = 'node.integration_set'")).scalar()
    assert "s" * 32 not in logged


def test_bad_integrations_answer_422_and_change_nothing(client, engine):
    admin = api_key(engine, Role.ADMIN)
    sends_nowhere = {"transport": "http", "secret": "s" * 32, "endpoint_url": "http://127.0.0.1:99999/wms"}
    for body, pointer in (({"transport": "http", "endpoint_url": "http://x/"}, "/secret"),
                          (sends_nowhere, "/endpoint_url"),  # the sender could not even parse it
                          ({**sends_nowhere, "endpoint_url": "http://wms..example.çom/in"}, "/endpoint_url"),
                          ({"transport": "file"}, "/drop_dir"),
                          ({"transport": "file", "drop_dir": "relative/dir"}, "/drop_dir"),
                          ({"transport": "ftp"}, "/transport")):  # fmt: skip
        response = client.put("/api/v1/nodes/WH-LYON/integration", json=body, headers=admin)
        assert response.status_code == 422 and response.json()["errors"][0]["pointer"] == pointer
    assert client.put("/api/v1/nodes/NOPE/integration", json={"transport": "manual"}, headers=admin).status_code == 404
    assert client.get("/api/v1/nodes/WH-LYON/integration").json()["updated_by"] is None


def api_key_for_node(engine, node_id: str) -> dict[str, str]:
    from oms.services.api_keys import create_api_key
    from oms.services.uow import UnitOfWork
    from tests.factories import ADMIN

    key = f"test-wms-{node_id}"
    create_api_key(UnitOfWork(engine), ADMIN, key, Role.WMS, key=key, node_id=node_id)
    return {"X-API-Key": key}
