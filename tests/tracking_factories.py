"""Orders shipped through the WMS path (capture, release, shipped event), and carrier tracking events."""

import itertools
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.factories import set_stock
from tests.fulfilment_factories import T0, capture, event, fulfilment_order, release, send

_IDS = itertools.count(1)
TRACKING = "6A100000001"


def shipped_order(client: TestClient, engine: Engine, tracking: str = TRACKING, external_id: str = "WEB-1",
                  lines=(("TSH-BLU-L", 1),)) -> tuple[dict, dict]:  # fmt: skip
    """An order shipped in one parcel from Lyon by Colissimo: (order, shipment)."""
    for sku, quantity in lines:
        set_stock(engine, "WH-LYON", sku, on_hand=quantity + 5)
    order = capture(client, list(lines), external_id=external_id)
    [fo] = release(client, order)
    ship(client, fo, tracking)
    return order, fulfilment_order(client, fo["id"])["shipments"][0]


def ship(client: TestClient, fo: dict, tracking: str, carrier: str = "Colissimo") -> None:
    body = event(fo["id"], "shipped", 60, carrier=carrier, service="standard", tracking_number=tracking)
    assert send(client, body).status_code == 201


def tracking_event(status: str, hours: float, tracking: str = TRACKING, event_id: str | None = None,
                   carrier: str = "Colissimo", **fields) -> dict:  # fmt: skip
    """A carrier event `hours` after the shipment left (T0 + 1 h)."""
    at = T0 + timedelta(hours=1 + hours)
    return {"event_id": event_id or f"trk-{next(_IDS)}", "carrier": carrier, "tracking_number": tracking,
            "status": status, "occurred_at": at.isoformat(), **fields}  # fmt: skip


def post(client: TestClient, body: dict, headers: dict | None = None):
    return client.post("/api/v1/tracking/events", json=body, headers=headers)


def post_batch(client: TestClient, events: list[dict], headers: dict | None = None):
    return client.post("/api/v1/tracking/events/batch", json={"events": events}, headers=headers)


def counts(engine: Engine) -> dict[str, int]:
    """Rows that tracking writes: events stored, audit events, outbox messages, alerts."""
    tables = ("tracking_events", "audit_events", "outbox", "alerts")
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in tables}
