"""The whole life of orders on PostgreSQL, checking on-hand, reserved and ATP at every step: capture,
release to a WMS reached over HTTP (a real local receiver that fails for a while) and to one reached by
file drop, acknowledgement, pick, pack, shipment, a duplicate, a short pick rerouted to the other node,
a rejection, and delivery through the function carrier tracking calls."""

import json
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from oms.api.app import create_app
from oms.services.actor import Role
from oms.services.fulfilment_sending import send_due_releases
from oms.services.shipment_progress import mark_shipment_delivered
from oms.services.uow import UnitOfWork
from tests.api.test_fulfilment_release import api_key_for_node
from tests.factories import ADMIN, add_network, api_key, set_stock
from tests.fulfilment_factories import capture, event, fulfilment_order, positions, release, send, shipped
from tests.integration.webhook_receiver import Receiver

SECRET = "lyon-wms-shared-secret"


@pytest.fixture
def client(engine):
    add_network(engine)
    with TestClient(create_app(engine)) as c:
        c.headers.update(api_key(engine, Role.OPS))
        yield c


@pytest.fixture
def receiver():
    """Lyon's WMS: refuses the first two requests (503), then accepts."""
    with Receiver(lambda n, path: (503 if n <= 2 else 200, 0.0)) as r:
        yield r


@pytest.fixture
def wired(client, engine, receiver, tmp_path):
    """Lyon's WMS over HTTP, Köln's by file drop; stock at both."""
    admin = api_key(engine, Role.ADMIN)
    for node, body in (("WH-LYON", {"transport": "http", "endpoint_url": receiver.url + "/wms", "secret": SECRET}),
                       ("WH-KOELN", {"transport": "file", "drop_dir": str(tmp_path)})):  # fmt: skip
        assert client.put(f"/api/v1/nodes/{node}/integration", json=body, headers=admin).status_code == 200
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=10)
    set_stock(engine, "WH-LYON", "JKT-RED-M", on_hand=4)
    set_stock(engine, "WH-KOELN", "TSH-BLU-M", on_hand=3)
    return {"lyon": api_key_for_node(engine, "WH-LYON"), "koeln": api_key_for_node(engine, "WH-KOELN"),
            "drop": tmp_path}  # fmt: skip


def time_passes(engine) -> None:
    """Whatever waits for its next attempt is due now."""
    with engine.begin() as conn:
        conn.execute(text("UPDATE fulfilment_orders SET next_attempt_at = now() WHERE next_attempt_at IS NOT NULL"))


def test_an_order_released_over_http_picked_packed_shipped_and_delivered(client, engine, receiver, wired):
    order = capture(client, [("TSH-BLU-L", 2), ("JKT-RED-M", 1)])
    assert positions(client, "TSH-BLU-L")["WH-LYON"] == (10, 2, 8)
    [fo] = release(client, order)
    assert positions(client, "TSH-BLU-L")["WH-LYON"] == (10, 2, 8)  # released units stay reserved

    assert send_due_releases(engine) == 1  # 503
    failed = fulfilment_order(client, fo["id"])["sending"]
    assert (failed["attempts"], failed["sent_at"], failed["last_error"][:8]) == (1, None, "HTTP 503")
    assert datetime.fromisoformat(failed["next_attempt_at"]) > datetime.now(UTC)  # backing off
    assert send_due_releases(engine) == 0  # not due yet: nothing is sent
    time_passes(engine)
    assert send_due_releases(engine) == 1  # 503 again
    time_passes(engine)
    assert send_due_releases(engine) == 1  # 200: sent and acknowledged
    sent = fulfilment_order(client, fo["id"])
    assert sent["status"] == "acknowledged" and sent["sending"]["attempts"] == 3
    assert sent["sending"]["last_error"] is None and sent["sending"]["next_attempt_at"] is None
    assert len(receiver.requests) == 3 and {r.event_id for r in receiver.requests} == {f"fulfilment-order-{fo['id']}"}
    assert all(r.verifies(SECRET) and r.path == "/wms" for r in receiver.requests)
    document = receiver.requests[-1].envelope
    assert (document["fulfilment_order_id"], document["node_id"], document["ship_by"]) == (
        fo["id"], "WH-LYON", fo["ship_by"])
    assert [(x["sku"], x["quantity"]) for x in document["lines"]] == [("TSH-BLU-L", 2), ("JKT-RED-M", 1)]
    assert send_due_releases(engine) == 0

    for minutes, step in enumerate(("accepted", "picked", "packed"), start=1):
        assert send(client, event(fo["id"], step, minutes), wired["lyon"]).json()["status"] == step
        assert positions(client, "TSH-BLU-L")["WH-LYON"] == (10, 2, 8)
    body = shipped(fo["id"], 45)
    assert send(client, body, wired["lyon"]).json()["order_status"] == "shipped"
    assert positions(client, "TSH-BLU-L")["WH-LYON"] == (8, 0, 8)
    assert positions(client, "JKT-RED-M")["WH-LYON"] == (3, 0, 3)
    assert send(client, body, wired["lyon"]).status_code == 200  # the WMS retried: nothing moves
    assert positions(client, "TSH-BLU-L")["WH-LYON"] == (8, 0, 8)

    [shipment] = fulfilment_order(client, fo["id"])["shipments"]
    delivered = deliver(engine, shipment["id"])
    assert (delivered.order_status_before, delivered.order_status) == ("shipped", "delivered")
    assert deliver(engine, shipment["id"]) is None  # told twice: once is enough
    done = client.get(f"/api/v1/orders/{order['id']}").json()
    assert done["status"] == "delivered"
    assert [(x["status"], x["shipped_quantity"], x["delivered_quantity"]) for x in done["lines"]] == [
        ("delivered", 2, 2), ("delivered", 1, 1)]
    trail = [e["action"] for e in client.get(f"/api/v1/orders/{order['id']}/events").json()]
    for action in ("fulfilment.released", "order.released", "fulfilment.sent", "fulfilment.acknowledged",
                   "fulfilment.picked", "shipment.shipped", "order.shipped", "order.delivered"):  # fmt: skip
        assert action in trail


def test_a_file_drop_then_a_short_pick_rerouted_over_http_and_a_rejection(client, engine, receiver, wired):
    order = capture(client, [("TSH-BLU-M", 2)])
    [fo] = release(client, order)
    assert fo["node_id"] == "WH-KOELN"
    assert send_due_releases(engine) == 1
    dropped = wired["drop"] / f"fulfilment-order-{fo['id']}.json"
    assert json.loads(dropped.read_text())["lines"][0]["quantity"] == 2
    assert [p.name for p in wired["drop"].iterdir()] == [dropped.name]  # no temporary file left behind
    sent = fulfilment_order(client, fo["id"])
    assert sent["status"] == "released" and sent["sending"]["sent_at"] is not None  # a file is not an answer
    assert send(client, event(fo["id"], "acknowledged", 5), wired["koeln"]).json()["status"] == "acknowledged"

    set_stock(engine, "WH-LYON", "TSH-BLU-M", on_hand=5)  # stock arrives in Lyon
    short = send(client, event(fo["id"], "short_picked", 10, lines=[{"line_no": 1, "quantity": 1}]), wired["koeln"])
    [rerouted] = short.json()["released"]
    assert positions(client, "TSH-BLU-M") == {"WH-KOELN": (2, 1, 1), "WH-LYON": (5, 1, 4)}
    with engine.connect() as conn:
        found = conn.execute(text("SELECT node_id, expected, found FROM stock_discrepancies")).one()
    assert tuple(found) == ("WH-KOELN", 3, 2)
    for _ in range(3):  # Lyon's WMS refuses twice, then accepts
        time_passes(engine)
        assert send_due_releases(engine) == 1
    assert fulfilment_order(client, rerouted)["status"] == "acknowledged"

    send(client, shipped(fo["id"], 30), wired["koeln"])
    assert positions(client, "TSH-BLU-M")["WH-KOELN"] == (1, 0, 1)
    assert client.get(f"/api/v1/orders/{order['id']}").json()["status"] == "partially_shipped"
    rejected = send(client, event(rerouted, "rejected", 40, reason="damaged stock"), wired["lyon"]).json()
    assert rejected["status"] == "rejected"
    [back] = rejected["released"]  # Köln has one left: the unit goes back there
    assert fulfilment_order(client, back)["node_id"] == "WH-KOELN"
    assert positions(client, "TSH-BLU-M") == {"WH-KOELN": (1, 1, 0), "WH-LYON": (5, 0, 5)}
    send(client, shipped(back, 60), wired["koeln"])
    assert positions(client, "TSH-BLU-M") == {"WH-KOELN": (0, 0, 0), "WH-LYON": (5, 0, 5)}
    final = client.get(f"/api/v1/orders/{order['id']}").json()
    assert (final["status"], final["lines"][0]["shipped_quantity"]) == ("shipped", 2)


def test_a_drop_directory_that_cannot_be_written_is_retried_with_the_error_shown(client, engine, wired, tmp_path):
    admin = api_key(engine, Role.ADMIN)
    body = {"transport": "file", "drop_dir": str(tmp_path / "missing")}
    client.put("/api/v1/nodes/WH-KOELN/integration", json=body, headers=admin)
    [fo] = release(client, capture(client, [("TSH-BLU-M", 1)]))
    assert send_due_releases(engine) == 1
    sending = fulfilment_order(client, fo["id"])["sending"]
    assert sending["sent_at"] is None and "FileNotFoundError" in sending["last_error"]
    client.put("/api/v1/nodes/WH-KOELN/integration", json={"transport": "manual"}, headers=admin)
    assert fulfilment_order(client, fo["id"])["sending"]["next_attempt_at"] is None  # manual: nothing to send


def deliver(engine, shipment_id: int):
    """What carrier tracking does when a parcel is delivered."""
    with UnitOfWork(engine) as uow:
        delivered = mark_shipment_delivered(uow, ADMIN, shipment_id, datetime(2026, 3, 12, 11, 0, tzinfo=UTC))
        uow.commit()
    return delivered


@pytest.mark.parametrize("step", ["rejected", "picked"])
def test_a_release_the_node_has_acted_on_is_never_sent_again(client, engine, receiver, wired, step):
    """Ops rejected a release Lyon's WMS was down for (it went to Köln), or Lyon's WMS reported on one
    whose sending had failed on our side: either way, sending it again would have Lyon pick it anew."""
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", on_hand=5)
    [fo] = release(client, capture(client, [("TSH-BLU-L", 1)]))
    assert send_due_releases(engine) == 1  # 503
    fields = {"reason": "Lyon's WMS is down"} if step == "rejected" else {}
    assert send(client, event(fo["id"], step, 5, **fields)).status_code == 201
    assert fulfilment_order(client, fo["id"])["sending"]["next_attempt_at"] is None
    for _ in range(3):  # the receiver accepts from its third request on (Köln's file drop aside)
        time_passes(engine)
        send_due_releases(engine)
    assert len(receiver.requests) == 1
