"""Capture reads stock unlocked, then writes with guards: what happens when the world changes in between.

Each test lets capture read its facts, then commits a conflicting change from another connection
before capture writes (by wrapping the routing step, which runs between the two statements).
"""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from oms.services import order_capture
from oms.services.errors import Conflict
from oms.services.order_models import OrderCreate
from oms.services.uow import UnitOfWork
from tests.factories import ADMIN, add_network, order_body, set_stock


@pytest.fixture
def network(engine):
    add_network(engine)
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 5)
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", 5)
    return engine


@pytest.fixture
def between_read_and_write(monkeypatch):
    """`between_read_and_write(change, times=1)`: run `change()` after capture read its facts, on the
    first `times` attempts."""

    def install(change, times: int = 1) -> list[bool]:
        calls: list[bool] = []
        original = order_capture.route_new_order

        def route_then_change(*args, **kwargs):
            routed = original(*args, **kwargs)
            calls.append(True)
            if len(calls) <= times:  # counted first: a change that captures too must not recurse
                change()
            return routed

        monkeypatch.setattr(order_capture, "route_new_order", route_then_change)
        return calls

    return install


def capture(engine, body: dict):
    return order_capture.capture_order(UnitOfWork(engine), ADMIN, OrderCreate.model_validate(body))


def reserved(engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT node_id, reserved FROM inventory WHERE sku = 'TSH-BLU-L'"))
        return dict(rows.all())


def orders(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM orders")).scalar()


def test_stock_taken_meanwhile_makes_capture_allocate_again_from_what_is_left(network, between_read_and_write):
    attempts = between_read_and_write(lambda: set_stock(network, "WH-LYON", "TSH-BLU-L", 5, reserved=4))
    order, created = capture(network, order_body(lines=[("TSH-BLU-L", 3)]))
    assert created and len(attempts) == 2  # the first write was refused, the second ran on locked rows
    assert [a.node_id for a in order.lines[0].allocations] == ["WH-KOELN"]
    assert reserved(network) == {"WH-LYON": 4, "WH-KOELN": 3}


def test_a_refused_write_leaves_nothing_behind(network, between_read_and_write):
    def another_order_takes_stock():
        set_stock(network, "WH-LYON", "TSH-BLU-L", 5, reserved=5)
        set_stock(network, "WH-KOELN", "TSH-BLU-L", 5, reserved=5)

    between_read_and_write(another_order_takes_stock)
    order, _ = capture(network, order_body(lines=[("TSH-BLU-L", 1)]))
    assert order.status == "backordered"
    with network.connect() as conn:
        counts = conn.execute(text(
            "SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM allocations),"
            " (SELECT count(*) FROM audit_events WHERE action = 'order.created'), (SELECT count(*) FROM outbox)"
        )).one()  # fmt: skip
    assert tuple(counts) == (1, 0, 1, 1)  # one order, its events once, nothing of the refused attempt


def test_a_customer_created_meanwhile_is_the_one_the_order_gets(network, between_read_and_write):
    def same_customer_orders_elsewhere():
        with network.begin() as conn:
            conn.execute(text("INSERT INTO customers (email, name) VALUES ('camille.martin@example.fr', 'C. Martin')"))

    between_read_and_write(same_customer_orders_elsewhere)
    order, created = capture(network, order_body())
    assert created and order.customer.name == "C. Martin"
    with network.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM customers")).scalar() == 1


def test_a_retry_that_won_the_race_meanwhile_is_answered(network, between_read_and_write):
    body = order_body(external_id="WEB-RACE")
    between_read_and_write(lambda: capture(network, body))  # the racing retry, committed first
    order, created = capture(network, body)
    assert not created and order.external_id == "WEB-RACE" and orders(network) == 1
    assert sum(reserved(network).values()) == 1


def test_a_different_order_under_the_same_key_meanwhile_is_a_conflict(network, between_read_and_write):
    between_read_and_write(lambda: capture(network, order_body(external_id="WEB-RACE", lines=[("TSH-BLU-L", 2)])))
    with pytest.raises(Conflict):
        capture(network, order_body(external_id="WEB-RACE"))
    assert orders(network) == 1 and sum(reserved(network).values()) == 2


def test_stock_that_keeps_changing_is_refused_cleanly(network, monkeypatch, between_read_and_write):
    monkeypatch.setattr(order_capture, "LOCKED_ATTEMPTS", 0)  # only the unlocked attempt, refused

    def change():
        for node in ("WH-LYON", "WH-KOELN"):  # wherever routing chose
            set_stock(network, node, "TSH-BLU-L", 6)

    between_read_and_write(change)
    with pytest.raises(Conflict):
        capture(network, order_body())
    assert orders(network) == 0


def test_the_locked_retry_keeps_other_writers_waiting_until_it_commits(network, between_read_and_write):
    outcomes: list[str] = []

    def change():
        if not outcomes:  # unlocked attempt: another order takes Lyon's stock, so the write is refused
            set_stock(network, "WH-LYON", "TSH-BLU-L", 5, reserved=5)
            outcomes.append("taken")
            return
        with network.connect() as conn:  # locked attempt: a stock count must wait for capture's commit
            conn.execute(text("SET lock_timeout = '200ms'"))
            try:
                conn.execute(text("UPDATE inventory SET on_hand = 0 WHERE node_id = 'WH-KOELN'"))
                outcomes.append("changed")
            except OperationalError:
                outcomes.append("waited")

    between_read_and_write(change, times=2)
    order, created = capture(network, order_body(lines=[("TSH-BLU-L", 3)]))
    assert outcomes == ["taken", "waited"]
    assert created and [a.node_id for a in order.lines[0].allocations] == ["WH-KOELN"]
