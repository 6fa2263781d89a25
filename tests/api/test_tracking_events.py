"""Carrier tracking events through the API: they drive the shipment and, through its delivery, the order;
retries and late events change nothing; bad events are refused and leave no trace."""

import pytest
from sqlalchemy import text

from oms.services.actor import Role
from tests.factories import api_key, set_stock
from tests.fulfilment_factories import capture, fulfilment_order, release
from tests.tracking_factories import counts, post, post_batch, ship, shipped_order, tracking_event


def order_of(client, order: dict) -> dict:
    return client.get(f"/api/v1/orders/{order['id']}").json()


def outbox(engine) -> list[str]:
    with engine.connect() as conn:
        return conn.execute(text("SELECT event_type FROM outbox ORDER BY id")).scalars().all()


def test_tracking_events_move_the_shipment_and_delivery_makes_the_order_delivered(client, engine):
    order, shipment = shipped_order(client, engine)
    assert order_of(client, order)["status"] == "shipped"
    for hours, status in ((2, "in_transit"), (20, "out_for_delivery")):
        answer = post(client, tracking_event(status, hours, location="Lyon hub"))
        assert answer.status_code == 201
        assert (answer.json()["applied"], answer.json()["shipment_status"]) == (True, status)
    delivered = post(client, tracking_event("delivered", 24)).json()
    assert (delivered["shipment_status"], delivered["order_status"]) == ("delivered", "delivered")
    now = order_of(client, order)
    assert now["status"] == "delivered" and now["lines"][0]["status"] == "delivered"
    read = client.get(f"/api/v1/shipments/{shipment['id']}").json()
    assert read["status"] == "delivered" and read["delivered_at"].startswith("2026-03-11T09:00")
    assert read["in_transit_at"].startswith("2026-03-10T11:00") and read["out_for_delivery_at"]
    assert [e["status"] for e in read["tracking"]] == ["in_transit", "out_for_delivery", "delivered"]
    assert read["tracking"][0]["location"] == "Lyon hub"
    assert outbox(engine)[-4:] == ["shipment.in_transit", "shipment.out_for_delivery", "order.delivered",
                                   "shipment.delivered"]  # fmt: skip


def test_an_order_of_two_parcels_is_partially_delivered_until_both_land(client, engine):
    for node in ("WH-LYON", "WH-KOELN"):
        set_stock(engine, node, "TSH-BLU-L" if node == "WH-LYON" else "JKT-RED-M", on_hand=3)
    order = capture(client, [("TSH-BLU-L", 1), ("JKT-RED-M", 1)])
    fos = release(client, order)
    for fo, number in zip(fos, ("6A1", "6A2")):
        ship(client, fo, number)
    assert (
        post(client, tracking_event("delivered", 24, tracking="6A1")).json()["order_status"]
        == "partially_delivered"
    )
    shipments = client.get(f"/api/v1/orders/{order['id']}/shipments").json()
    assert sorted(s["status"] for s in shipments) == ["delivered", "shipped"]
    assert post(client, tracking_event("delivered", 30, tracking="6A2")).json()["order_status"] == "delivered"


def test_the_same_event_again_answers_the_first_answer_and_changes_nothing(client, engine):
    shipped_order(client, engine)
    body = tracking_event("in_transit", 2, event_id="colis-1")
    first = post(client, body)
    before = counts(engine)
    again = post(
        client, {**body, "carrier": "COLISSIMO", "occurred_at": body["occurred_at"].replace("+00:00", "Z")}
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert counts(engine) == before


def test_an_event_id_reused_with_other_content_is_a_conflict_and_changes_nothing(client, engine):
    _, shipment = shipped_order(client, engine)
    post(client, tracking_event("in_transit", 2, event_id="colis-1"))
    before = counts(engine)
    reused = post(client, tracking_event("delivered", 3, event_id="colis-1"))
    assert reused.status_code == 409 and reused.headers["content-type"] == "application/problem+json"
    assert counts(engine) == before
    assert client.get(f"/api/v1/shipments/{shipment['id']}").json()["status"] == "in_transit"


def test_a_late_in_transit_after_delivery_is_kept_but_moves_nothing_back(client, engine):
    order, shipment = shipped_order(client, engine)
    post(client, tracking_event("delivered", 24))
    late = post(client, tracking_event("in_transit", 2, location="Lyon hub"))
    assert late.status_code == 201
    assert (late.json()["applied"], late.json()["shipment_status"], late.json()["order_status"]) == (
        False, "delivered", "delivered")  # fmt: skip
    read = client.get(f"/api/v1/shipments/{shipment['id']}").json()
    assert read["status"] == "delivered" and read["in_transit_at"].startswith("2026-03-10T11:00")
    assert [(e["status"], e["applied"]) for e in read["tracking"]] == [
        ("in_transit", False),
        ("delivered", True),
    ]
    assert "shipment.in_transit" not in outbox(engine)  # nothing to tell: it moved nothing
    assert order_of(client, order)["status"] == "delivered"


def test_an_event_that_happened_before_the_current_status_does_not_move_it(client, engine):
    _, shipment = shipped_order(client, engine)
    post(client, tracking_event("out_for_delivery", 20))
    assert not post(client, tracking_event("in_transit", 5)).json()["applied"]
    assert post(client, tracking_event("in_transit", 22)).json()["applied"]  # back at the depot, later on
    assert client.get(f"/api/v1/shipments/{shipment['id']}").json()["status"] == "in_transit"


def test_a_batch_is_applied_in_the_order_things_happened_whatever_the_order_sent(client, engine):
    order, _ = shipped_order(client, engine)
    events = [
        tracking_event("delivered", 24),
        tracking_event("out_for_delivery", 20),
        tracking_event("in_transit", 2),
    ]
    answer = post_batch(client, events)
    assert answer.status_code == 200
    assert [(o["status"], o["applied"]) for o in answer.json()["outcomes"]] == [
        ("delivered", True), ("out_for_delivery", True), ("in_transit", True)]  # fmt: skip
    assert order_of(client, order)["status"] == "delivered"
    again = post_batch(client, events)
    assert again.json() == answer.json()


@pytest.mark.parametrize(
    ("change", "pointer", "code"),
    [
        ({"tracking_number": "NOPE"}, "/tracking_number", "unknown_tracking_number"),
        ({"carrier": "DHL"}, "/tracking_number", "unknown_tracking_number"),
        ({"status": "lost"}, "/status", "enum"),
        ({"occurred_at": "2026-03-10T09:00:00"}, "/occurred_at", "value_error"),
        ({"occurred_at": "2099-01-01T00:00:00Z"}, "/occurred_at", "in_future"),
        ({"occurred_at": "0001-01-01T00:00:00+14:00"}, "/occurred_at", "too_early"),  # BC in UTC
        ({"occurred_at": "1970-01-01T00:00:00Z"}, "/occurred_at", "too_early"),
        ({"event_id": ""}, "/event_id", "string_too_short"),
        ({"shipment": 1}, "/shipment", "extra_forbidden"),
    ],
)
def test_a_bad_event_is_refused_with_a_pointer_and_nothing_is_stored(client, engine, change, pointer, code):
    _, shipment = shipped_order(client, engine)
    before = counts(engine)
    refused = post(client, {**tracking_event("delivered", 24), **change})
    assert refused.status_code == 422 and refused.headers["content-type"] == "application/problem+json"
    assert [(e["pointer"], e["code"]) for e in refused.json()["errors"]] == [(pointer, code)]
    assert counts(engine) == before
    assert client.get(f"/api/v1/shipments/{shipment['id']}").json()["status"] == "shipped"


def test_an_event_from_before_the_parcel_left_is_refused_and_a_scan_hours_before_is_kept(client, engine):
    order, shipment = shipped_order(client, engine)
    before = counts(engine)
    early = post_batch(client, [tracking_event("in_transit", 1), tracking_event("delivered", -48)])
    assert early.status_code == 422  # it was applied: delivered two days before it shipped
    assert [(e["pointer"], e["code"]) for e in early.json()["errors"]] == [("/events/1/occurred_at", "before_shipment")]
    assert counts(engine) == before and order_of(client, order)["status"] == "shipped"
    assert post(client, tracking_event("in_transit", -3)).status_code == 201  # collected before the WMS said so
    assert client.get(f"/api/v1/shipments/{shipment['id']}").json()["status"] == "in_transit"


def test_a_batch_with_one_unknown_parcel_stores_none_of_its_events(client, engine):
    order, _ = shipped_order(client, engine)
    before = counts(engine)
    refused = post_batch(
        client, [tracking_event("delivered", 24), tracking_event("in_transit", 2, tracking="X9")]
    )
    assert refused.status_code == 422
    assert [e["pointer"] for e in refused.json()["errors"]] == ["/events/1/tracking_number"]
    assert counts(engine) == before and order_of(client, order)["status"] == "shipped"


def test_an_exception_raises_an_alert_that_the_next_scan_resolves(client, engine):
    _, shipment = shipped_order(client, engine)
    answer = post(client, tracking_event("exception", 5, detail="address not found")).json()
    [alert] = client.get("/api/v1/alerts", params={"kind": "shipment_exception"}).json()["items"]
    assert answer["alerts_raised"] == [alert["id"]] and alert["status"] == "open"
    assert alert["subject"]["shipment_id"] == shipment["id"] and alert["subject"]["carrier"] == "Colissimo"
    assert "address not found" in alert["message"]
    post(client, tracking_event("exception", 6, detail="still not found"))  # the same condition: no new alert
    assert len(client.get("/api/v1/alerts").json()["items"]) == 1
    post(client, tracking_event("out_for_delivery", 20))
    resolved = client.get(f"/api/v1/alerts/{alert['id']}").json()
    assert resolved["status"] == "resolved" and resolved["note"] == "the carrier reports it out for delivery"
    assert (
        client.get(f"/api/v1/shipments/{shipment['id']}")
        .json()["exception_at"]
        .startswith("2026-03-10T15:00")
    )  # the latest
    assert outbox(engine).count("alert.raised") == 1 and outbox(engine).count("alert.resolved") == 1


def test_a_return_to_sender_raises_an_alert_and_leaves_the_order_shipped(client, engine):
    order, shipment = shipped_order(client, engine)
    answer = post(client, tracking_event("returned_to_sender", 30, detail="refused by addressee")).json()
    assert (answer["shipment_status"], answer["order_status"]) == ("returned_to_sender", "shipped")
    [alert] = client.get("/api/v1/alerts", params={"kind": "returned_to_sender"}).json()["items"]
    assert alert["severity"] == "critical" and alert["subject"]["order_id"] == order["id"]
    assert not post(client, tracking_event("delivered", 40)).json()["applied"]  # the parcel is coming back
    assert (
        client.get(f"/api/v1/shipments/{shipment['id']}").json()["returned_at"].startswith("2026-03-11T15:00")
    )


def test_a_carrier_key_posts_events_and_reads_nothing_and_a_viewer_cannot_post(client, engine):
    order, _ = shipped_order(client, engine)
    carrier = api_key(engine, Role.CARRIER)
    assert post(client, tracking_event("in_transit", 2), headers=carrier).status_code == 201
    assert client.get(f"/api/v1/orders/{order['id']}", headers=carrier).status_code == 403
    assert client.get("/api/v1/alerts", headers=carrier).status_code == 403
    viewer = api_key(engine, Role.VIEWER)
    assert post(client, tracking_event("delivered", 24), headers=viewer).status_code == 403
    assert client.get(f"/api/v1/orders/{order['id']}/shipments", headers=viewer).status_code == 200


def test_a_channel_key_sees_only_its_channels_shipments(client, engine):
    order, shipment = shipped_order(client, engine)
    marketplace = api_key(engine, Role.CHANNEL, "marketplace")
    assert client.get(f"/api/v1/shipments/{shipment['id']}", headers=marketplace).status_code == 404
    assert client.get(f"/api/v1/orders/{order['id']}/shipments", headers=marketplace).status_code == 404
    web = api_key(engine, Role.CHANNEL, "web")
    assert client.get(f"/api/v1/shipments/{shipment['id']}", headers=web).json()["id"] == shipment["id"]
    assert client.get("/api/v1/shipments/999999").status_code == 404


def test_a_reused_tracking_number_tracks_the_latest_shipment(client, engine):
    shipped_order(client, engine, tracking="6A7")
    order, _ = shipped_order(client, engine, tracking="6A7", external_id="WEB-2")
    answer = post(client, tracking_event("delivered", 24, tracking="6A7")).json()
    assert answer["order_id"] == order["id"]


def test_fulfilment_order_detail_still_reads_after_tracking(client, engine):
    order, shipment = shipped_order(client, engine)
    post(client, tracking_event("delivered", 24))
    fo = fulfilment_order(client, shipment["fulfilment_order_id"])
    assert fo["shipments"][0]["status"] == "delivered" and fo["order_id"] == order["id"]
