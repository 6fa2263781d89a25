"""Orders released to fulfilment, WMS events, and the stock figures the tests check at every step."""

import itertools
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from tests.factories import order_body

_EVENT_IDS = itertools.count(1)
T0 = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)


def positions(client: TestClient, sku: str) -> dict[str, tuple[int, int, int]]:
    """(on hand, reserved, ATP) per node holding `sku`, as GET /atp reports them."""
    body = client.get("/api/v1/atp", params={"sku": sku}).json()
    return {n["node_id"]: (n["on_hand"], n["reserved"], n["atp"]) for n in body["nodes"]}


def capture(client: TestClient, lines, external_id: str = "WEB-1", **overrides) -> dict:
    response = client.post("/api/v1/orders", json=order_body(external_id, lines=lines, **overrides))
    assert response.status_code == 201, response.text
    return response.json()


def release(client: TestClient, order: dict) -> list[dict]:
    """Release the order; its fulfilment orders, oldest first."""
    response = client.post(f"/api/v1/orders/{order['id']}/release")
    assert response.status_code == 200, response.text
    return fulfilment_orders(client, order)


def fulfilment_orders(client: TestClient, order: dict) -> list[dict]:
    return client.get("/api/v1/fulfilment-orders", params={"order": order["id"]}).json()["items"]


def fulfilment_order(client: TestClient, fulfilment_order_id: int) -> dict:
    return client.get(f"/api/v1/fulfilment-orders/{fulfilment_order_id}").json()


def event(fulfilment_order_id: int, type: str, minutes: int = 0, event_id: str | None = None, **fields) -> dict:
    """A WMS event body, `minutes` after T0, with a fresh id unless given."""
    return {"event_id": event_id or f"evt-{next(_EVENT_IDS)}", "fulfilment_order_id": fulfilment_order_id,
            "type": type, "occurred_at": (T0 + timedelta(minutes=minutes)).isoformat(), **fields}  # fmt: skip


def shipped(fulfilment_order_id: int, minutes: int = 60, **fields) -> dict:
    parcel = {"tracking_number": "6A123456789", "weight_kg": 0.5}
    return event(fulfilment_order_id, "shipped", minutes, carrier="Colissimo", service="standard",
                 tracking_number="6A123456789", parcels=[parcel], **fields)  # fmt: skip


def send(client: TestClient, body: dict, headers: dict | None = None):
    return client.post("/api/v1/wms/events", json=body, headers=headers)
