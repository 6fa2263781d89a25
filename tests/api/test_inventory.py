from sqlalchemy import select

from oms.db.tables import audit_events, inventory, outbox
from oms.services.actor import Role
from tests.factories import api_key, set_stock


def test_put_sets_a_new_position_and_answers_its_atp(client):
    response = client.put("/api/v1/inventory/WH-LYON/TSH-BLU-L", json={"on_hand": 12, "safety_stock": 2})
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("node_id", "sku", "on_hand", "reserved", "safety_stock", "atp")} == {
        "node_id": "WH-LYON", "sku": "TSH-BLU-L", "on_hand": 12, "reserved": 0, "safety_stock": 2, "atp": 10,
    }  # fmt: skip


def test_put_keeps_what_orders_reserved(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=10, reserved=4)
    body = client.put("/api/v1/inventory/WH-LYON/TSH-BLU-L", json={"on_hand": 7, "safety_stock": 1}).json()
    assert (body["reserved"], body["atp"]) == (4, 2)


def test_a_change_is_audited_with_before_and_after_and_published(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=10, reserved=4)
    client.put("/api/v1/inventory/WH-LYON/TSH-BLU-L", json={"on_hand": 7, "safety_stock": 1})
    with engine.connect() as conn:
        event = conn.execute(select(audit_events).where(audit_events.c.entity_type == "inventory")).one()
        message = conn.execute(select(outbox)).one()
    assert event.entity_id == "WH-LYON/TSH-BLU-L" and event.actor_role == "ops"
    assert (event.before["on_hand"], event.after["on_hand"], event.after["reserved"]) == (10, 7, 4)
    assert message.event_type == "inventory.updated" and message.payload["data"]["on_hand"] == 7


def test_an_unknown_node_or_sku_is_404_and_stores_nothing(client, engine):
    stock = {"on_hand": 1, "safety_stock": 0}
    assert client.put("/api/v1/inventory/WH-MARS/TSH-BLU-L", json=stock).status_code == 404
    assert client.put("/api/v1/inventory/WH-LYON/NOPE", json=stock).status_code == 404
    with engine.connect() as conn:
        assert conn.execute(select(inventory)).all() == []


def test_negative_or_missing_counts_answer_422_with_pointers(client):
    response = client.put("/api/v1/inventory/WH-LYON/TSH-BLU-L", json={"on_hand": -1})
    assert response.status_code == 422
    assert sorted(e["pointer"] for e in response.json()["errors"]) == ["/on_hand", "/safety_stock"]


def test_list_filters_by_sku_or_node_and_pages(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=1)
    set_stock(engine, "WH-LYON", "TSH-BLU-M", on_hand=2)
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", on_hand=3)
    of_sku = client.get("/api/v1/inventory", params={"sku": "TSH-BLU-L"}).json()["items"]
    assert [(p["node_id"], p["on_hand"]) for p in of_sku] == [("WH-KOELN", 3), ("WH-LYON", 1)]
    at_node = client.get("/api/v1/inventory", params={"node": "WH-LYON"}).json()["items"]
    assert [p["sku"] for p in at_node] == ["TSH-BLU-L", "TSH-BLU-M"]
    first = client.get("/api/v1/inventory", params={"limit": 2}).json()
    rest = client.get("/api/v1/inventory", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert len(first["items"]) == 2 and len(rest["items"]) == 1 and rest["next_cursor"] is None


def test_a_viewer_reads_stock_but_cannot_set_it(client, engine):
    client.headers.update(api_key(engine, Role.VIEWER))
    assert client.get("/api/v1/inventory").status_code == 200
    response = client.put("/api/v1/inventory/WH-LYON/TSH-BLU-L", json={"on_hand": 1, "safety_stock": 0})
    assert response.status_code == 403


def test_stock_needs_an_api_key(client):
    del client.headers["X-API-Key"]
    assert (
        client.put("/api/v1/inventory/WH-LYON/TSH-BLU-L", json={"on_hand": 1, "safety_stock": 0}).status_code
        == 401
    )
