"""The SLA check on orders going through the real release, WMS and tracking paths, at times the test
chooses: at risk, then breached, one alert per condition however often it runs, resolved once shipped or
delivered."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import text

from oms.services import reported_times
from oms.services.actor import Role
from oms.services.sla_check import check_sla
from tests.factories import api_key, set_stock
from tests.fulfilment_factories import capture, event, fulfilment_order, release, send
from tests.tracking_factories import post, shipped_order, tracking_event

PARIS = ZoneInfo("Europe/Paris")


def paris(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), PARIS)


def alerts(client, **params) -> list[dict]:
    return client.get("/api/v1/alerts", params=params).json()["items"]


def kinds(client, prefix: str, status: str = "open") -> list[str]:
    return [a["kind"] for a in alerts(client, status=status) if a["kind"].startswith(prefix)]


def ship_at(client, fo: dict, at: datetime, tracking: str = "6A500") -> None:
    body = {**event(fo["id"], "shipped", carrier="Colissimo", service="standard", tracking_number=tracking),
            "occurred_at": at.isoformat()}  # fmt: skip
    assert send(client, body).status_code == 201


@pytest.fixture(autouse=True)
def _days_ahead(monkeypatch):
    """These tests live a few days ahead of the wall clock: the WMS and the carrier report from there."""
    monkeypatch.setattr(reported_times, "FUTURE_TOLERANCE", timedelta(days=30))


@pytest.fixture
def released(client, engine) -> dict:
    """An order released to Lyon (cut-off 14:00, Europe/Paris), with the ship-by date the promise gave."""
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=5)
    [fo] = release(client, capture(client, [("TSH-BLU-L", 1)]))
    return fo


def test_an_order_not_shipped_is_at_risk_near_the_cutoff_then_breached_then_resolved_once_shipped(
    client, engine, released
):
    ship_by = date.fromisoformat(released["ship_by"])
    assert check_sla(engine, paris(ship_by, 11, 30)) == 0  # cut-off 2 h 30 away
    assert check_sla(engine, paris(ship_by, 12, 30)) == 1
    [risk] = alerts(client)
    assert (risk["kind"], risk["severity"], risk["details"]["reason"]) == (
        "ship_by_at_risk",
        "warning",
        "cutoff_near",
    )
    assert risk["subject"] == {"order_id": released["order_id"], "fulfilment_order_id": released["id"],
                               "shipment_id": None, "node_id": "WH-LYON", "carrier": None, "sku": None,
                               "channel_id": None}  # fmt: skip
    assert check_sla(engine, paris(ship_by, 12, 45)) == 0 and check_sla(engine, paris(ship_by, 15)) == 0
    assert len(alerts(client)) == 1

    next_day = paris(ship_by + timedelta(days=1), 9)
    assert check_sla(engine, next_day) == 2  # the breach raised, the risk it supersedes resolved
    assert kinds(client, "ship_by") == ["ship_by_breached"]
    assert client.get(f"/api/v1/alerts/{risk['id']}").json()["note"] == "superseded by ship_by_breached"
    assert check_sla(engine, next_day + timedelta(hours=1)) == 0

    ship_at(client, released, next_day + timedelta(hours=2))
    check_sla(engine, next_day + timedelta(hours=3))
    assert kinds(client, "ship_by") == []
    [breach] = alerts(client, kind="ship_by_breached")
    assert breach["status"] == "resolved" and breach["note"] == "cleared: fulfilment order shipped"
    assert breach["resolved_by"] == "system:sla-check"
    with engine.connect() as conn:
        published = conn.execute(text("SELECT event_type FROM outbox WHERE event_type LIKE 'alert.%' "
                                      "AND payload->'data'->>'kind' LIKE 'ship_by%'")).scalars()  # fmt: skip
        assert sorted(published) == ["alert.raised", "alert.raised", "alert.resolved", "alert.resolved"]


def test_an_alert_resolved_by_hand_while_its_condition_holds_comes_back_once(client, engine, released):
    ship_by = date.fromisoformat(released["ship_by"])
    late = paris(ship_by + timedelta(days=1), 9)
    check_sla(engine, late)
    [breach] = alerts(client)
    assert (
        client.post(f"/api/v1/alerts/{breach['id']}/resolve", json={"note": "called Lyon"}).status_code == 200
    )
    assert check_sla(engine, late + timedelta(minutes=1)) == 1
    assert check_sla(engine, late + timedelta(minutes=2)) == 0
    assert [a["status"] for a in alerts(client)] == ["resolved", "open"]


def test_a_release_the_wms_has_not_acknowledged_within_the_hours_allowed_is_at_risk(client, engine):
    admin = api_key(engine, Role.ADMIN)
    body = {"transport": "file", "drop_dir": "/tmp/oms-sla-test-drop"}
    assert client.put("/api/v1/nodes/WH-LYON/integration", json=body, headers=admin).status_code == 200
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=5)
    [fo] = release(client, capture(client, [("TSH-BLU-L", 1)]))
    monday = date(2026, 3, 9)
    with engine.begin() as conn:  # released on a Monday at 09:00 in Lyon, due on Thursday
        conn.execute(text("UPDATE fulfilment_orders SET created_at = :at, ship_by = :by"),
                     {"at": paris(monday, 9), "by": monday + timedelta(days=3)})  # fmt: skip
    assert check_sla(engine, paris(monday, 12, 59)) == 0
    assert check_sla(engine, paris(monday, 13)) == 1
    assert alerts(client)[0]["details"]["reason"] == "not_acknowledged"
    ack = {**event(fo["id"], "acknowledged"), "occurred_at": paris(monday, 13, 30).isoformat()}
    assert send(client, ack).status_code == 201
    assert check_sla(engine, paris(monday, 14)) == 1
    assert alerts(client)[0]["note"] == "cleared: fulfilment order acknowledged"


def test_a_release_the_wms_short_picked_part_of_counts_as_acknowledged(client, engine):
    admin = api_key(engine, Role.ADMIN)
    body = {"transport": "file", "drop_dir": "/tmp/oms-sla-test-drop"}
    assert client.put("/api/v1/nodes/WH-LYON/integration", json=body, headers=admin).status_code == 200
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=5)
    set_stock(engine, "WH-LYON", "JKT-RED-M", on_hand=5)
    [fo] = release(client, capture(client, [("TSH-BLU-L", 1), ("JKT-RED-M", 1)]))
    monday = date(2026, 3, 9)
    with engine.begin() as conn:
        conn.execute(text("UPDATE fulfilment_orders SET created_at = :at, ship_by = :by"),
                     {"at": paris(monday, 9), "by": monday + timedelta(days=3)})  # fmt: skip
    short = {**event(fo["id"], "short_picked", lines=[{"line_no": 1, "quantity": 1}]),
             "occurred_at": paris(monday, 10).isoformat()}  # fmt: skip
    assert send(client, short).status_code == 201
    assert fulfilment_order(client, fo["id"])["acknowledged_at"] is not None  # it went looking for them
    assert check_sla(engine, paris(monday, 13)) == 0


# Deliveries: dates in the past (tracking refuses events from the future), set on the shipment's promise.

SHIPPED_ON = date(2026, 3, 10)  # Tuesday; the shipment factories ship at 09:00 UTC


def promise_delivery(engine, shipment: dict, day: date) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE shipments SET promised_delivery_date = :d WHERE id = :id"),
                     {"d": day, "id": shipment["id"]})  # fmt: skip


def test_a_parcel_not_delivered_by_its_date_is_breached_until_it_lands(client, engine):
    _, shipment = shipped_order(client, engine)
    promise_delivery(engine, shipment, SHIPPED_ON + timedelta(days=2))
    assert check_sla(engine, paris(SHIPPED_ON + timedelta(days=2), 20)) == 0  # on its way, due today
    breach_day = paris(SHIPPED_ON + timedelta(days=3), 9)
    assert check_sla(engine, breach_day) == 1 and check_sla(engine, breach_day + timedelta(hours=1)) == 0
    [breach] = alerts(client)
    assert breach["kind"] == "deliver_by_breached" and breach["subject"]["carrier"] == "Colissimo"
    assert client.get("/api/v1/alerts", params={"carrier": "Colissimo"}).json()["items"] == [breach]
    post(client, tracking_event("delivered", 48))
    assert check_sla(engine, breach_day + timedelta(hours=2)) == 1
    assert alerts(client)[0]["note"] == "cleared: shipment delivered"


def test_a_carrier_exception_puts_a_delivery_at_risk(client, engine):
    _, shipment = shipped_order(client, engine)
    promise_delivery(engine, shipment, SHIPPED_ON + timedelta(days=3))
    post(client, tracking_event("exception", 5, detail="damaged"))
    assert check_sla(engine, paris(SHIPPED_ON, 18)) == 1
    assert [(a["kind"], a["details"].get("reason")) for a in alerts(client, status="open")] == [
        ("shipment_exception", None), ("deliver_by_at_risk", "carrier_exception")]  # fmt: skip


def test_a_parcel_shipped_too_late_for_the_carriers_transit_is_at_risk_at_once(client, engine):
    _, shipment = shipped_order(client, engine)
    promise_delivery(engine, shipment, SHIPPED_ON + timedelta(days=1))  # two days of transit needed
    assert check_sla(engine, paris(SHIPPED_ON, 12)) == 1
    [risk] = alerts(client)
    assert risk["kind"] == "deliver_by_at_risk" and risk["details"]["estimated_arrival"] == "2026-03-12"


def test_nothing_due_costs_a_few_reads_and_no_write(client, engine, released):
    fulfilment_order(client, released["id"])
    seen: list[str] = []
    listener = lambda conn, cursor, sql, *args: seen.append(sql)
    sa_event.listen(engine, "before_cursor_execute", listener)
    try:
        assert check_sla(engine, datetime(2026, 1, 5, 9, tzinfo=UTC)) == 0
    finally:
        sa_event.remove(engine, "before_cursor_execute", listener)
    assert len(seen) <= 5
    assert not [sql for sql in seen if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
