"""The managers' overview on a constructed week of orders and shipments (times chosen so a median, a mean
and a p90 differ, and so the Paris time zone decides lateness), backorders captured through the API, and
stock positions set by hand; every figure worked out by hand."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from oms.services.actor import Actor, Role
from oms.services.errors import Forbidden
from oms.services.overview import overview
from oms.services.overview_models import OverviewQuery
from oms.services.uow import UnitOfWork
from tests.api.test_sla_report import insert
from tests.factories import VIEWER, api_key, order_body, set_stock

WEEK = {"from": "2026-03-02", "to": "2026-03-08"}


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def order(conn, ref: str, created: datetime, channel: str = "web", currency: str = "EUR", total: int = 10,
          status: str = "shipped", ship_by: date | None = None, deliver_by: date | None = None) -> int:  # fmt: skip
    customer = conn.execute(text("INSERT INTO customers (email, name) VALUES ('c@example.fr', 'C') "
                                 "ON CONFLICT (email) DO UPDATE SET name = 'C' RETURNING id")).scalar()  # fmt: skip
    return insert(conn, "orders", channel_id=channel, external_id=ref, customer_id=customer, status=status,
                  service_level="standard", ship_to='{"country": "FR"}', ship_to_country="FR", currency=currency,
                  total_amount=total, capture_hash="x", promised_ship_date=ship_by, promised_delivery_date=deliver_by,
                  created_at=created)  # fmt: skip


def shipment(conn, order_id: int, node: str, shipped: datetime, promised: date | None = None,
             delivered: datetime | None = None) -> int:  # fmt: skip
    return insert(conn, "shipments", order_id=order_id, node_id=node, carrier="DHL", service_level="standard",
                  status="delivered" if delivered else "in_transit", units=1, shipped_at=shipped,
                  promised_delivery_date=promised, delivered_at=delivered)  # fmt: skip


@pytest.fixture
def week(client, engine):
    with engine.begin() as conn:
        a = order(conn, "A", at(2, 10), total=100, status="delivered", ship_by=date(2026, 3, 3))
        b = order(conn, "B", at(2, 12), total=50, ship_by=date(2026, 3, 3))
        order(conn, "C", at(2, 13), channel="marketplace", currency="GBP", total=30)
        order(conn, "D", at(3, 9), currency="GBP", total=20)
        e = order(conn, "E", at(1, 23, 59), ship_by=date(2026, 3, 4))  # captured the day before the week
        f = order(conn, "F", at(9, 0))  # the day after the week: `to` is included, no further
        shipment(conn, a, "WH-LYON", at(3, 10), date(2026, 3, 5), delivered=at(5, 10))  # 24 h, 72 h, on time
        shipment(conn, b, "WH-LYON", at(3, 23), date(2026, 3, 6))  # 35 h; midnight in Paris: shipped late
        shipment(conn, e, "WH-KOELN", at(3, 11, 59), date(2026, 3, 6), delivered=at(7, 23, 59))  # 36 h, 144 h, late
        shipment(conn, f, "WH-LYON", at(9, 1))
        order(conn, "G", at(1, 8), status="allocated", deliver_by=date(2026, 3, 4))  # late now
        order(conn, "H", at(1, 8), status="delivered", deliver_by=date(2026, 3, 1))  # done: not late
        order(conn, "I", at(1, 8), channel="marketplace", status="released", deliver_by=date(2026, 3, 6))


def report(engine, **params):
    return overview(UnitOfWork(engine), VIEWER, OverviewQuery.model_validate({**WEEK, **params}))


def test_orders_are_counted_and_valued_per_day_channel_and_currency_never_adding_currencies(engine, week):
    rows = [(r.day.day, r.channel, r.currency, r.orders, float(r.value)) for r in report(engine).orders]
    assert rows == [(2, "marketplace", "GBP", 1, 30.0), (2, "web", "EUR", 2, 150.0), (3, "web", "GBP", 1, 20.0)]
    assert [(r.channel, r.orders) for r in report(engine, channel="marketplace").orders] == [("marketplace", 1)]


def test_lead_times_run_from_capture_to_shipment_and_delivery_per_day_and_node(engine, week):
    result = report(engine)
    [day] = result.lead_times_by_day
    assert (day.day, day.shipments, day.delivered) == (date(2026, 3, 3), 3, 2)
    assert (day.to_ship_hours_p50, day.to_ship_hours_p90) == (35.0, 35.8)  # of 24, 35, 36 (mean 31.7)
    assert (day.to_delivery_hours_p50, day.to_delivery_hours_p90) == (108.0, 136.8)  # of 72 and 144
    nodes = {n.node_id: n for n in result.lead_times_by_node}
    assert (nodes["WH-LYON"].shipments, nodes["WH-LYON"].to_ship_hours_p50, nodes["WH-LYON"].to_ship_hours_p90) == (
        2, 29.5, 33.9)  # fmt: skip
    assert (nodes["WH-LYON"].to_delivery_hours_p50, nodes["WH-KOELN"].to_delivery_hours_p50) == (72.0, 144.0)


def test_a_shipment_is_late_after_its_promised_day_in_the_node_time_zone(engine, week):
    [day] = report(engine).lead_times_by_day
    assert (day.shipped_late, day.delivered_late, day.late) == (1, 1, 2)
    nodes = {n.node_id: (n.shipped_late, n.delivered_late) for n in report(engine).lead_times_by_node}
    assert nodes == {"WH-LYON": (1, 0), "WH-KOELN": (0, 1)}


def test_open_orders_past_their_promise_are_counted_and_the_oldest_promise_listed_first(engine, week):
    late = report(engine).late
    assert late.open_past_promise == 2
    assert [(o.channel, o.promised_delivery_date) for o in late.worst] == [
        ("web", date(2026, 3, 4)), ("marketplace", date(2026, 3, 6))]  # fmt: skip
    assert late.worst[0].days_late == (datetime.now(UTC).date() - date(2026, 3, 4)).days
    assert report(engine, channel="marketplace").late.open_past_promise == 1


@pytest.fixture
def short_of_stock(client, engine):
    """Two orders captured with no stock anywhere (all backordered), then positions at or under zero."""
    for ref, channel, lines in (("W1", "web", [("JKT-RED-M", 2), ("TSH-BLU-M", 1)]),
                                ("M1", "marketplace", [("JKT-RED-M", 1)])):  # fmt: skip
        answer = client.post("/api/v1/orders", json=order_body(ref, lines=lines, channel=channel))
        assert answer.status_code == 201 and answer.json()["status"] == "backordered", answer.text
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=5, reserved=5)  # out here, 3 in Köln
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", on_hand=3)
    set_stock(engine, "WH-LYON", "TSH-BLU-M", on_hand=2, safety=2)  # out everywhere
    set_stock(engine, "ST-PARIS", "JKT-RED-M", on_hand=4, safety=1)  # a store in an outage sells nothing
    with engine.begin() as conn:
        conn.execute(text("UPDATE nodes SET active = false WHERE id = 'ST-PARIS'"))


def test_stock_outs_list_network_wide_ones_first_with_the_demand_waiting_on_them(engine, short_of_stock):
    outs = overview(UnitOfWork(engine), VIEWER, OverviewQuery()).stock_outs
    assert (outs.skus, outs.network_out, outs.positions) == (3, 2, 2)
    assert [(o.sku, o.network_out, o.out_nodes, o.waiting_units, o.waiting_lines) for o in outs.worst] == [
        ("JKT-RED-M", True, [], 3, 2), ("TSH-BLU-M", True, ["WH-LYON"], 1, 1),
        ("TSH-BLU-L", False, ["WH-LYON"], 0, 0)]  # fmt: skip
    mine = overview(UnitOfWork(engine), VIEWER, OverviewQuery(channel="marketplace")).stock_outs
    assert [(o.sku, o.waiting_units) for o in mine.worst][:1] == [("JKT-RED-M", 1)]


def test_lines_gone_backordered_are_counted_on_the_day_they_did(engine, short_of_stock):
    today = datetime.now(UTC).date()
    days = overview(UnitOfWork(engine), VIEWER, OverviewQuery()).stock_outs.backordered_by_day
    assert [(d.day, d.lines, d.units) for d in days] == [(today, 3, 4)]
    web = overview(UnitOfWork(engine), VIEWER, OverviewQuery(channel="web")).stock_outs.backordered_by_day
    assert [(d.lines, d.units) for d in web] == [(2, 3)]


def test_an_empty_period_answers_empty_sections(engine, week):
    result = report(engine, **{"from": "2025-01-01", "to": "2025-01-31"})
    assert (result.orders, result.lead_times_by_day, result.lead_times_by_node) == ([], [], [])
    assert result.stock_outs.backordered_by_day == []


def test_the_api_answers_the_same_numbers_to_whoever_reads_reports(client, engine, week):
    answer = client.get("/api/v1/reports/overview", params=WEEK | {"channel": "web"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["from"], body["to"], body["channel"]) == ("2026-03-02", "2026-03-08", "web")
    assert [(r["day"], r["currency"], r["orders"]) for r in body["orders"]] == [
        ("2026-03-02", "EUR", 2), ("2026-03-03", "GBP", 1)]  # fmt: skip
    assert body["lead_times_by_day"][0]["to_ship_hours_p50"] == 35.0
    viewer = client.get("/api/v1/reports/overview", headers=api_key(engine, Role.VIEWER))
    assert viewer.status_code == 200


@pytest.mark.parametrize("role", [Role.CHANNEL, Role.BACKOFFICE, Role.WMS, Role.CARRIER])
def test_roles_that_do_not_see_the_whole_business_are_refused(engine, role):
    with pytest.raises(Forbidden):
        overview(UnitOfWork(engine), Actor(name="someone", role=role), OverviewQuery())


def test_a_channel_key_is_refused_by_the_api(client, engine):
    answer = client.get("/api/v1/reports/overview", headers=api_key(engine, Role.CHANNEL, "web"))
    assert answer.status_code == 403 and answer.json()["detail"] == "role 'channel' may not reports:read"


@pytest.mark.parametrize(("params", "field"), [
    ({"from": "2026-03-09", "to": "2026-03-08"}, "from"),
    ({"from": "2026-01-01", "to": "2026-04-03"}, "from"),  # 93 days: 92 is the most
    ({"to": "2026-02-30"}, "to"),
    ({"channel": "nowhere"}, "channel"),
])  # fmt: skip
def test_a_bad_period_or_channel_is_a_422_naming_the_field(client, params, field):
    answer = client.get("/api/v1/reports/overview", params=params)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert [e["pointer"] for e in answer.json()["errors"]] == [f"/{field}"]


def test_ninety_two_days_is_the_longest_period(client):
    assert client.get("/api/v1/reports/overview", params={"from": "2026-01-01", "to": "2026-04-02"}).status_code == 200


def test_a_period_at_the_ends_of_the_calendar_is_an_answer_or_a_422_never_a_crash(client):
    last = client.get("/api/v1/reports/overview", params={"to": "9999-12-31"})  # its end is the year 10000
    assert last.status_code == 422, last.text
    assert [e["pointer"] for e in last.json()["errors"]] == ["/to"]
    first = client.get("/api/v1/reports/overview", params={"to": "0001-01-03"})  # 14 days back is no date
    assert first.status_code == 200, first.text
    assert (first.json()["from"], first.json()["orders"]) == ("0001-01-01", [])


def test_lines_gone_backordered_count_growth_on_edits_and_what_a_reroute_left_without_a_node(engine, week):
    def event(action: str, after: str, before: str | None = None, day: int = 4) -> None:
        with engine.begin() as conn:
            order_id = conn.execute(text("SELECT min(id) FROM orders")).scalar_one()
            insert(conn, "audit_events", entity_type="order", entity_id=str(order_id), order_id=order_id,
                   action=action, actor="t", actor_role="ops", before=before, after=after, created_at=at(day, 9))  # fmt: skip

    lines = '{{"lines": [{{"line_no": 1, "backordered_quantity": {}}}, {{"line_no": 2, "backordered_quantity": {}}}]}}'
    event("order.updated", before=lines.format(1, 0), after=lines.format(3, 0))  # line 1: 2 more units
    event("order.updated", before=lines.format(3, 2), after=lines.format(1, 2))  # fewer, or as many: none
    event("order.rerouted", '{"reroute": {"backordered": [{"line_no": 2, "sku": "X", "quantity": 4}]}}', day=5)
    event("order.rerouted", '{"reroute": {"backordered": []}}', day=5)
    event("order.held", lines.format(5, 5), day=5)  # capture, edit and reroute only tell
    days = report(engine).stock_outs.backordered_by_day
    assert [(d.day.day, d.lines, d.units) for d in days] == [(4, 1, 2), (5, 1, 4)]
