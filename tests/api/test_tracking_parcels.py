"""Carrier events by parcel: each box of a multi-parcel shipment has its own tracking number, the carrier
reports each, and the shipment (and so the order) is delivered only when the last box lands."""

import importlib.util

from sqlalchemy import text

import oms.db.migrations
from tests.factories import set_stock
from tests.fulfilment_factories import capture, event, fulfilment_order, release, send
from tests.tracking_factories import TRACKING, counts, post, post_batch, tracking_event

BOXES = ("6B200000001", "6B200000002")


def two_box_order(client, engine) -> tuple[dict, dict]:
    """An order shipped from Lyon by Colissimo in two boxes, each with its own number: (order, shipment)."""
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=5)
    order = capture(client, [("TSH-BLU-L", 2)])
    [fo] = release(client, order)
    parcels = [{"tracking_number": number, "weight_kg": 0.5} for number in BOXES]
    body = event(fo["id"], "shipped", 60, carrier="Colissimo", service="standard", tracking_number=TRACKING,
                 parcels=parcels)  # fmt: skip
    assert send(client, body).status_code == 201
    return order, fulfilment_order(client, fo["id"])["shipments"][0]


def outbox(engine) -> list[str]:
    with engine.connect() as conn:
        return conn.execute(text("SELECT event_type FROM outbox ORDER BY id")).scalars().all()


def parcels(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT tracking_number, status, delivered_at FROM shipment_parcels ORDER BY tracking_number"))]  # fmt: skip


def test_the_shipment_is_delivered_when_its_last_box_lands_and_the_order_once(client, engine):
    order, shipment = two_box_order(client, engine)
    assert [p[:2] for p in parcels(engine)] == [(BOXES[0], "shipped"), (BOXES[1], "shipped")]
    first = post(client, tracking_event("delivered", 30, tracking=BOXES[0], carrier="COLISSIMO")).json()
    assert (first["applied"], first["parcel_status"]) == (True, "delivered")
    assert (first["shipment_status"], first["order_status"]) == ("shipped", "shipped")
    assert client.get(f"/api/v1/orders/{order['id']}").json()["status"] == "shipped"
    assert "order.delivered" not in outbox(engine) and "shipment.delivered" not in outbox(engine)

    last = post(client, tracking_event("delivered", 24, tracking=BOXES[1])).json()  # heard last, landed first
    assert (last["shipment_status"], last["order_status"], last["parcel_status"]) == ("delivered", "delivered",
                                                                                       "delivered")  # fmt: skip
    read = client.get(f"/api/v1/shipments/{shipment['id']}").json()
    assert read["status"] == "delivered" and read["delivered_at"].startswith("2026-03-11T15:00")  # the later box
    assert client.get(f"/api/v1/orders/{order['id']}").json()["status"] == "delivered"
    assert outbox(engine).count("order.delivered") == 1 and outbox(engine).count("shipment.delivered") == 1


def test_the_same_box_event_again_changes_nothing(client, engine):
    two_box_order(client, engine)
    body = tracking_event("delivered", 24, tracking=BOXES[0], event_id="box-1")
    first = post(client, body)
    before, stored = counts(engine), parcels(engine)
    again = post_batch(client, [body, body])
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["outcomes"] == [first.json(), first.json()]
    assert (counts(engine), parcels(engine)) == (before, stored)
    # a second delivery scan of the same box (another event id) is kept but lands nothing more
    later = post(client, tracking_event("delivered", 26, tracking=BOXES[0])).json()
    assert (later["applied"], later["shipment_status"]) == (False, "shipped")
    assert parcels(engine) == stored


def test_a_box_number_under_another_carrier_is_unknown_and_nothing_is_stored(client, engine):
    _, shipment = two_box_order(client, engine)
    before, stored = counts(engine), parcels(engine)
    refused = post_batch(client, [tracking_event("in_transit", 2, tracking=BOXES[0]),
                                  tracking_event("delivered", 24, tracking=BOXES[1], carrier="DHL")])  # fmt: skip
    assert refused.status_code == 422 and refused.headers["content-type"] == "application/problem+json"
    assert [(e["pointer"], e["code"]) for e in refused.json()["errors"]] == [
        ("/events/1/tracking_number", "unknown_tracking_number")
    ]
    assert (counts(engine), parcels(engine)) == (before, stored)
    assert client.get(f"/api/v1/shipments/{shipment['id']}").json()["status"] == "shipped"


def test_an_exception_on_one_box_is_the_shipments_and_the_main_number_still_speaks_for_all(client, engine):
    two_box_order(client, engine)
    stuck = post(client, tracking_event("exception", 10, tracking=BOXES[1], detail="address unknown")).json()
    assert (stuck["shipment_status"], stuck["parcel_status"]) == ("exception", "exception")
    with engine.connect() as conn:
        message = conn.execute(text("SELECT message FROM alerts WHERE id = :id"),
                               {"id": stuck["alerts_raised"][0]}).scalar()  # fmt: skip
    assert BOXES[1] in message
    whole = post(client, tracking_event("delivered", 24)).json()  # the main number: the whole shipment
    assert (whole["shipment_status"], whole["order_status"], whole["parcel_status"]) == ("delivered", "delivered",
                                                                                          None)  # fmt: skip


def test_the_migration_backfills_the_boxes_of_shipments_made_before_it(client, engine):
    _, shipment = two_box_order(client, engine)
    post(client, tracking_event("delivered", 24))  # delivered whole, by its main number
    path = next(iter(oms.db.migrations.__path__)) + "/versions/0013_parcel_tracking_numbers.py"
    spec = importlib.util.spec_from_file_location("migration_0013", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM shipment_parcels"))
        conn.execute(text(migration._BACKFILL))
    delivered_at = client.get(f"/api/v1/shipments/{shipment['id']}").json()["delivered_at"]
    assert [(n, s, d.isoformat().replace("+00:00", "Z")[:16]) for n, s, d in parcels(engine)] == [
        (number, "delivered", delivered_at[:16]) for number in BOXES
    ]
