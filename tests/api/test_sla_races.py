"""Races: the same carrier event sent twice at once is applied once, events of one parcel racing each other
end where the rules say whatever the order, and two SLA checks at once raise one alert per condition."""

import threading
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import text

from oms.services.sla_check import check_sla
from oms.services.tracking_events import record_tracking_events
from oms.services.tracking_models import TrackingEventIn
from oms.services.uow import UnitOfWork
from tests.factories import ADMIN
from tests.integration.test_concurrent_reroutes import run_together
from tests.tracking_factories import shipped_order, tracking_event


def post_service(engine, body: dict):
    return lambda: record_tracking_events(UnitOfWork(engine), ADMIN, [TrackingEventIn.model_validate(body)])


@pytest.mark.parametrize("attempt", range(3))
def test_the_same_event_sent_twice_at_once_is_applied_once(client, engine, attempt):
    order, _ = shipped_order(client, engine)
    body = tracking_event("delivered", 24, event_id="dup")
    first, second = run_together([post_service(engine, body), post_service(engine, body)])
    [(a, a_new)], [(b, b_new)] = first, second
    assert a == b and sorted([a_new, b_new]) == [False, True]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM tracking_events")).scalar() == 1
        delivered = conn.execute(
            text("SELECT count(*) FROM audit_events WHERE action = 'order.delivered'")
        ).scalar()
        assert delivered == 1
    assert client.get(f"/api/v1/orders/{order['id']}").json()["status"] == "delivered"


@pytest.mark.parametrize("attempt", range(3))
def test_racing_events_of_one_parcel_end_delivered_whatever_their_order(client, engine, attempt):
    _, shipment = shipped_order(client, engine)
    calls = [post_service(engine, tracking_event(s, h)) for s, h in
             (("in_transit", 2), ("delivered", 24), ("out_for_delivery", 20), ("exception", 10))]  # fmt: skip
    assert not [r for r in run_together(calls) if isinstance(r, Exception)]
    read = client.get(f"/api/v1/shipments/{shipment['id']}").json()
    assert read["status"] == "delivered" and len(read["tracking"]) == 4


def test_two_checks_at_once_raise_one_alert_per_condition(client, engine):
    shipped_order(client, engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE shipments SET promised_delivery_date = '2026-03-11'"))
    late = datetime(2026, 3, 13, 9, tzinfo=UTC)
    assert sorted(run_together([lambda: check_sla(engine, late), lambda: check_sla(engine, late)])) == [0, 1]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alerts")).scalar() == 1
        assert (
            conn.execute(text("SELECT count(*) FROM outbox WHERE event_type = 'alert.raised'")).scalar() == 1
        )


def test_a_check_raising_alerts_while_a_carrier_batch_locks_their_orders_does_not_deadlock(client, engine):
    """An alert's row share-locks its order (foreign key) and a batch of carrier events locks its orders in
    id order: the check must raise its alerts in that order too, or each waits for the other."""
    a, _ = shipped_order(client, engine, tracking="6A-A", external_id="WEB-A")
    shipped_order(client, engine, tracking="6A-B", external_id="WEB-B")
    with engine.begin() as conn:
        conn.execute(text("UPDATE shipments SET promised_delivery_date = CASE order_id WHEN :a THEN "
                          "date '2026-03-11' ELSE date '2026-03-20' END"), {"a": a["id"]})  # fmt: skip
    post_service(engine, tracking_event("exception", 5, tracking="6A-B"))()
    # A's parcel is breached, B's at risk: "deliver_by_at_risk:shipment:<B>" sorts before A's breach
    batch = [TrackingEventIn.model_validate(tracking_event("in_transit", 30, tracking=t)) for t in ("6A-A", "6A-B")]
    carrier = threading.Thread(target=lambda: outcome.append(_try(
        lambda: record_tracking_events(UnitOfWork(engine), ADMIN, batch))))  # fmt: skip
    outcome: list = []

    def after_first_alert(conn, cursor, statement, *args) -> None:
        if statement.lstrip().startswith("INSERT INTO alerts") and not carrier.is_alive() and not outcome:
            carrier.start()
            time.sleep(1.5)  # the batch locks A's order, then waits for B's, which this alert share-locks

    sa_event.listen(engine, "after_cursor_execute", after_first_alert)
    try:
        checked = _try(lambda: check_sla(engine, datetime(2026, 3, 13, 9, tzinfo=UTC)))
    finally:
        sa_event.remove(engine, "after_cursor_execute", after_first_alert)
    carrier.join(timeout=30)
    assert checked == 2 and not isinstance(outcome[0], Exception), (checked, outcome)


def _try(call):
    try:
        return call()
    except Exception as error:  # noqa: BLE001 - the test reports it
        return error
