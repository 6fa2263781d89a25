"""The SLA report on a constructed week of fulfilment orders and parcels, against figures worked out by
hand (time zones included: shipped at 23:30 UTC is the next day in Lyon)."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from oms.services.actor import Role
from oms.services.sla_report import SlaReportQuery, sla_report
from oms.services.uow import UnitOfWork
from tests.factories import VIEWER, api_key

WEEK = {"from": "2026-03-02", "to": "2026-03-08"}
NOW = datetime(2026, 3, 20, 12, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def insert(conn, table: str, **values) -> int:
    columns = ", ".join(values)
    marks = ", ".join(f"CAST(:{k} AS jsonb)" if k == "ship_to" else f":{k}" for k in values)
    return conn.execute(
        text(f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id"), values
    ).scalar()


def order(conn, external_id: str, promised_ship: date | None = None) -> int:
    customer = conn.execute(text("INSERT INTO customers (email, name) VALUES (:e, 'C') "
                                 "ON CONFLICT (email) DO UPDATE SET name = 'C' RETURNING id"),
                            {"e": "c@example.fr"}).scalar()  # fmt: skip
    return insert(conn, "orders", channel_id="web", external_id=external_id, customer_id=customer, status="shipped",
                  service_level="standard", ship_to='{"country": "FR"}', ship_to_country="FR", currency="EUR",
                  total_amount=10, capture_hash="x", promised_ship_date=promised_ship)  # fmt: skip


def fulfilment(
    conn, order_id: int, node: str, ship_by: date, released: datetime, status: str = "shipped"
) -> int:
    closed = status in ("shipped", "rejected", "cancelled")
    return insert(conn, "fulfilment_orders", order_id=order_id, node_id=node, status=status, ship_by=ship_by,
                  created_at=released, closed_at=released if closed else None)  # fmt: skip


def parcel(conn, order_id: int, node: str, carrier: str, shipped: datetime, promised: date, fo: int | None = None,
           delivered: datetime | None = None, status: str | None = None, released: datetime | None = None,
           exception_at: datetime | None = None) -> int:  # fmt: skip
    return insert(conn, "shipments", order_id=order_id, node_id=node, carrier=carrier, service_level="standard",
                  status=status or ("delivered" if delivered else "in_transit"), units=1, shipped_at=shipped,
                  promised_delivery_date=promised, delivered_at=delivered, fulfilment_order_id=fo,
                  released_at=released, exception_at=exception_at)  # fmt: skip


@pytest.fixture
def week(client, engine):
    with engine.begin() as conn:
        o = order(conn, "SLA-1")
        fo1 = fulfilment(conn, o, "WH-LYON", date(2026, 3, 3), at(2, 16))  # shipped after 20 h, on time
        parcel(conn, o, "WH-LYON", "Colissimo", at(3, 12), date(2026, 3, 5), fo1, delivered=at(5, 20))
        fo2 = fulfilment(
            conn, o, "WH-LYON", date(2026, 3, 3), at(2, 17, 30)
        )  # 00:30 on the 4th in Lyon: late
        parcel(conn, o, "WH-LYON", "Colissimo", at(3, 23, 30), date(2026, 3, 6), fo2, delivered=at(6, 23, 30))
        fulfilment(conn, o, "WH-LYON", date(2026, 3, 4), at(3, 9), status="packed")  # open past ship-by
        fulfilment(conn, o, "WH-LYON", date(2026, 3, 5), at(4, 9), status="rejected")  # not counted
        fulfilment(conn, o, "WH-LYON", date(2026, 3, 10), at(4, 9), status="released")  # due after the week
        fo6 = fulfilment(conn, o, "WH-LYON", date(2026, 3, 6), at(5, 6))  # two parcels, the last after 40 h
        parcel(conn, o, "WH-LYON", "DHL", at(5, 10), date(2026, 3, 7), fo6, exception_at=at(6, 9))  # overdue
        parcel(conn, o, "WH-LYON", "DHL", at(6, 22), date(2026, 3, 8), fo6, status="returned_to_sender")
        fo7 = fulfilment(conn, o, "WH-KOELN", date(2026, 3, 7), at(6, 8))
        parcel(conn, o, "WH-KOELN", "DHL", at(6, 18), date(2026, 3, 9), fo7)  # lands after the week
        history = order(conn, "SLA-2", promised_ship=date(2026, 3, 4))  # shipped before fulfilment orders
        parcel(conn, history, "WH-LYON", "Colissimo", at(4, 10), date(2026, 3, 6), delivered=at(5, 10),
               released=at(2, 8))  # fmt: skip


def report(engine, **params):
    return sla_report(UnitOfWork(engine), VIEWER, SlaReportQuery.model_validate({**WEEK, **params}), now=NOW)


def test_per_node_figures_match_the_hand_count(engine, week):
    koeln, lyon = report(engine).nodes  # by node id
    assert lyon.model_dump() == {
        "node_id": "WH-LYON", "due": 5, "shipped_on_time": 3, "shipped_late": 1, "open_past_ship_by": 1,
        "attainment_pct": 60.0, "release_to_ship_hours_median": 35.0, "release_to_ship_hours_p90": 47.0,
    }  # fmt: skip
    assert koeln.model_dump() == {
        "node_id": "WH-KOELN", "due": 1, "shipped_on_time": 1, "shipped_late": 0, "open_past_ship_by": 0,
        "attainment_pct": 100.0, "release_to_ship_hours_median": 10.0, "release_to_ship_hours_p90": 10.0,
    }  # fmt: skip


def test_per_carrier_figures_match_the_hand_count(engine, week):
    colissimo, dhl = report(engine).carriers
    assert colissimo.model_dump() == {
        "carrier": "Colissimo", "shipments": 3, "delivered_on_time": 2, "delivered_late": 1, "overdue": 0,
        "returned_to_sender": 0, "exceptions": 0, "attainment_pct": 66.7, "transit_days_median": 2.33,
        "transit_days_p90": 2.87,
    }  # fmt: skip
    assert dhl.model_dump() == {
        "carrier": "DHL", "shipments": 2, "delivered_on_time": 0, "delivered_late": 0, "overdue": 1,
        "returned_to_sender": 1, "exceptions": 1, "attainment_pct": 0.0, "transit_days_median": None,
        "transit_days_p90": None,
    }  # fmt: skip


def test_a_node_filter_narrows_both_parts_and_a_carrier_filter_the_carriers(engine, week):
    only_koeln = report(engine, node="WH-KOELN")
    assert [n.node_id for n in only_koeln.nodes] == ["WH-KOELN"] and only_koeln.carriers == []
    only_dhl = report(engine, carrier="dhl")
    assert [c.carrier for c in only_dhl.carriers] == ["DHL"] and len(only_dhl.nodes) == 2


def test_the_report_through_the_api(client, week):
    answer = client.get("/api/v1/sla/report", params={**WEEK, "carrier": "Colissimo"})
    assert answer.status_code == 200
    body = answer.json()
    assert (body["from"], body["to"], body["carrier"]) == ("2026-03-02", "2026-03-08", "Colissimo")
    assert [c["carrier"] for c in body["carriers"]] == ["Colissimo"]
    assert [n["node_id"] for n in body["nodes"]] == ["WH-KOELN", "WH-LYON"]


@pytest.mark.parametrize(
    "params",
    [{"from": "2026-03-08", "to": "2026-03-02"}, {"from": "2024-01-01", "to": "2026-03-02"}, {"to": "2026-03-02"},
     {"from": "2026-03-02", "to": "soon"}, {**WEEK, "node": "x" * 41}],
)  # fmt: skip
def test_a_bad_period_is_a_422_problem(client, params):
    refused = client.get("/api/v1/sla/report", params=params)
    assert refused.status_code == 422 and refused.headers["content-type"] == "application/problem+json"


def test_viewers_read_the_report_and_a_carrier_key_does_not(client, engine, week):
    assert (
        client.get("/api/v1/sla/report", params=WEEK, headers=api_key(engine, Role.VIEWER)).status_code == 200
    )
    assert (
        client.get("/api/v1/sla/report", params=WEEK, headers=api_key(engine, Role.CARRIER)).status_code
        == 403
    )
