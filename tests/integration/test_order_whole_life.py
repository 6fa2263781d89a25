"""One order's whole life through the HTTP API, each party with its own key, checking on-hand, reserved
and ATP after every step: captured by the web channel, released to Lyon's WMS, acknowledged, picked,
packed and shipped by that WMS (with a retry of the same event), in transit and delivered by the carrier
(one event arriving late), returned in a Paris store, inspected and restocked there, refunded. A webhook
subscriber sees the milestones, each event under one id however often it is sent."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from oms.api.app import create_app
from oms.services.actor import Role
from oms.services.api_keys import create_api_key
from oms.services.uow import UnitOfWork
from oms.services.webhook_delivery import deliver_due
from oms.services.webhook_outbox import fan_out
from tests.api.test_fulfilment_release import api_key_for_node
from tests.factories import ADMIN, add_network, api_key, order_body, set_stock
from tests.fulfilment_factories import event, positions, shipped
from tests.integration.webhook_receiver import Receiver

SKU = "TSH-BLU-L"
SECRET = "whole-life-webhook-secret"


@pytest.fixture
def parties(engine):
    """A client and the keys of the web channel, ops, Lyon's WMS and the carrier."""
    add_network(engine)
    set_stock(engine, "WH-LYON", SKU, on_hand=10)
    create_api_key(UnitOfWork(engine), ADMIN, "carrier", Role.CARRIER, key="test-carrier-key")
    with TestClient(create_app(engine)) as client:
        client.headers.update(api_key(engine, Role.VIEWER))  # reads stock between the steps
        yield client, {
            "web": api_key(engine, Role.CHANNEL, channel_id="web"),
            "ops": api_key(engine, Role.OPS),
            "admin": api_key(engine, Role.ADMIN),
            "wms": api_key_for_node(engine, "WH-LYON"),
            "carrier": {"X-API-Key": "test-carrier-key"},
        }


def ago(**delta) -> str:
    """A carrier's timestamp: the return window runs from delivery, so tracking happens now, not at the
    fixed time of the WMS events."""
    return (datetime.now(UTC) - timedelta(**delta)).isoformat()


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.text
    return response.json()


def test_an_order_from_capture_to_refund_keeps_stock_true_at_every_step(engine, parties):
    client, keys = parties

    def stock(node: str) -> tuple[int, int, int] | None:
        """(on hand, reserved, ATP) at the node, as GET /atp answers."""
        return positions(client, SKU).get(node)

    with Receiver() as receiver:
        ok(client.post("/api/v1/webhooks/subscriptions", headers=keys["admin"],
                       json={"url": receiver.url + "/hook", "event_types": ["*"], "secret": SECRET}), 201)  # fmt: skip

        order = ok(client.post("/api/v1/orders", json=order_body("WEB-LIFE", lines=[(SKU, 2)]), headers=keys["web"]), 201)
        assert order["status"] == "allocated"
        assert stock("WH-LYON") == (10, 2, 8)

        ok(client.post(f"/api/v1/orders/{order['id']}/release", headers=keys["ops"]))
        [fo] = ok(client.get("/api/v1/fulfilment-orders", params={"order": order["id"]}, headers=keys["wms"]))["items"]
        assert (fo["node_id"], fo["status"]) == ("WH-LYON", "released")
        assert stock("WH-LYON") == (10, 2, 8)

        for minutes, milestone in enumerate(("acknowledged", "picked", "packed"), start=1):
            ok(client.post("/api/v1/wms/events", json=event(fo["id"], milestone, minutes), headers=keys["wms"]), 201)
            assert stock("WH-LYON") == (10, 2, 8)
        ship = shipped(fo["id"], event_id="ship-1")
        ok(client.post("/api/v1/wms/events", json=ship, headers=keys["wms"]), 201)
        ok(client.post("/api/v1/wms/events", json=ship, headers=keys["wms"]), 200)  # the WMS retries: no effect
        assert stock("WH-LYON") == (8, 0, 8)
        assert ok(client.get(f"/api/v1/orders/{order['id']}", headers=keys["ops"]))["status"] == "shipped"

        track = {"carrier": "Colissimo", "tracking_number": ship["tracking_number"]}
        ok(client.post("/api/v1/tracking/events", headers=keys["carrier"], json=track | {
            "event_id": "trk-2", "status": "delivered", "occurred_at": ago(hours=1)}), 201)  # fmt: skip
        late = track | {"event_id": "trk-1", "status": "in_transit", "occurred_at": ago(days=1)}
        ok(client.post("/api/v1/tracking/events", headers=keys["carrier"], json=late), 201)  # stored, moves nothing back
        assert ok(client.get(f"/api/v1/orders/{order['id']}", headers=keys["ops"]))["status"] == "delivered"
        assert stock("WH-LYON") == (8, 0, 8)

        rma = ok(client.post("/api/v1/returns", headers=keys["web"], json={
            "order_id": order["id"], "lines": [{"line_no": 1, "quantity": 2, "reason_code": "too_small"}]}), 201)  # fmt: skip
        ok(client.post(f"/api/v1/returns/{rma['id']}/receipts", headers=keys["ops"], json={
            "node_id": "ST-PARIS", "lines": [{"line_no": 1, "quantity": 2}]}))  # fmt: skip
        assert (stock("WH-LYON"), stock("ST-PARIS")) == ((8, 0, 8), None)  # received, not yet sellable
        ok(client.post(f"/api/v1/returns/{rma['id']}/inspections", headers=keys["ops"], json={
            "node_id": "ST-PARIS",
            "lines": [{"line_no": 1, "quantity": 2, "condition": "new", "disposition": "restock"}]}))  # fmt: skip
        assert (stock("WH-LYON"), stock("ST-PARIS")) == ((8, 0, 8), (2, 0, 2))

        [refund] = ok(client.get("/api/v1/refunds", params={"return_id": rma["id"]}, headers=keys["ops"]))["items"]
        assert (refund["amount"], refund["currency"]) == (39.8, "EUR")  # 2 x 19.90, no fee for a size

        while fan_out(engine) or deliver_due(engine):
            pass
    types = Counter(received.event_type for received in receiver.requests)
    for milestone in ("order.created", "order.allocated", "fulfilment.released", "shipment.shipped",
                      "order.delivered", "return.received", "refund.issued"):  # fmt: skip
        assert types[milestone] == 1, milestone
    ids = [received.event_id for received in receiver.requests]
    assert len(ids) == len(set(ids)) and all(received.verifies(SECRET) for received in receiver.requests)
