"""Captures that write at once in one process share a statement (oms.services.capture_writes): the orders
come out as if each had been written alone, and a group that fails leaves each order to its own fate."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text

from oms.services import capture_writes, order_capture
from oms.services.order_models import OrderCreate
from oms.services.uow import UnitOfWork
from tests.factories import ADMIN, order_body

WAIT_SECONDS = 10


@pytest.fixture
def groups(monkeypatch):
    """The sizes of the statements written; the first write waits until `hold` more captures are queued
    behind it, so that they have to form a group."""
    sizes: list[int] = []
    hold = [0]
    original = capture_writes.write

    def write(conn, writes):
        if not sizes:
            deadline = time.monotonic() + WAIT_SECONDS
            while len(order_capture.GROUP._queue) < hold[0] and time.monotonic() < deadline:
                time.sleep(0.01)
        sizes.append(len(writes))
        return original(conn, writes)

    monkeypatch.setattr(capture_writes, "write", write)
    return sizes, hold


def capture_at_once(engine, bodies: list[dict]) -> list:
    def capture(body):
        return order_capture.capture_order(UnitOfWork(engine), ADMIN, OrderCreate.model_validate(body))

    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(capture, bodies, timeout=WAIT_SECONDS))


def one(engine, sql: str):
    with engine.connect() as conn:
        return conn.execute(text(sql)).one()


# Orders of new and known customers, sharing stock rows or not.
FOUR_ORDERS = [
    order_body("WEB-1", [("TSH-BLU-L", 2), ("JKT-RED-M", 1)]),
    order_body("WEB-2", [("TSH-BLU-L", 3)], customer={"name": "Lou Petit", "email": "lou@example.fr"}),
    order_body("WEB-3", [("TSH-BLU-M", 1)], customer={"name": "Noé Roux", "email": "noe@example.fr"}),
    order_body("WEB-4", [("JKT-RED-M", 2)], customer={"name": "Inès Blanc", "email": "ines@example.fr"},
               notes="gift wrap"),
]  # fmt: skip


def test_orders_written_together_come_out_as_if_written_alone(capture_network, groups):
    sizes, hold = groups
    hold[0] = 3
    captured = capture_at_once(capture_network, FOUR_ORDERS)

    assert max(sizes) >= 2 and sum(sizes) == 4  # some were written together, each order once
    assert all(created and order.status == "allocated" for order, created in captured)
    reserved = dict(one(capture_network, "SELECT json_object_agg(sku, reserved) FROM inventory WHERE node_id = 'WH-LYON'")[0])
    assert reserved == {"TSH-BLU-L": 5, "TSH-BLU-M": 1, "JKT-RED-M": 3}
    for order, _ in captured:
        assert_written_as_answered(capture_network, order)


def assert_written_as_answered(engine, order) -> None:
    """The order is stored as capture answered it, allocated in full, with its decision, events and payload."""
    stored = one(engine, f"""
        SELECT o.total_amount, o.notes, o.created_at, c.email,
               (SELECT json_agg(json_build_array(l.sku, l.quantity, a.quantity) ORDER BY l.line_no)
                FROM order_lines l JOIN allocations a ON a.order_line_id = l.id WHERE l.order_id = o.id),
               (SELECT count(*) FROM routing_decisions WHERE order_id = o.id),
               (SELECT count(*) FROM audit_events WHERE order_id = o.id),
               (SELECT count(*) FROM inbound_payloads p WHERE p.id = o.source_payload_id)
        FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = {order.id}""")  # fmt: skip
    assert stored[:4] == (order.total_amount, order.notes, order.created_at, order.customer.email)
    assert stored[4] == [[line.sku, line.quantity, line.quantity] for line in order.lines]
    assert stored[5:] == (1, 2, 1)  # its decision, created and allocated events, its payload


def test_when_a_group_fails_each_order_is_written_alone(capture_network, groups):
    sizes, hold = groups
    # The customers are known already: as new customers of one email, the two tries would never share a group.
    capture_at_once(capture_network, [order_body("WEB-0", [("TSH-BLU-M", 1)])])
    capture_at_once(capture_network, [order_body("WEB-00", [("TSH-BLU-M", 1)],
                                         customer={"name": "Lou Petit", "email": "lou@example.fr"})])
    sizes.clear()
    hold[0] = 2
    retry = order_body("WEB-1", [("TSH-BLU-L", 1)])
    other = order_body("WEB-2", [("JKT-RED-M", 1)], customer={"name": "Lou Petit", "email": "lou@example.fr"})
    captured = capture_at_once(capture_network, [retry, retry, other])  # a retry racing the first try

    assert 2 in sizes  # a group with a try in it failed on the order key, then each wrote alone
    by_key = {}
    for order, created in captured:
        by_key.setdefault(order.external_id, []).append((order.id, created))
    assert sorted(created for _, created in by_key["WEB-1"]) == [False, True]
    assert len({order_id for order_id, _ in by_key["WEB-1"]}) == 1  # the retry answers the first try's order
    assert by_key["WEB-2"][0][1] is True
    assert one(capture_network, "SELECT count(*) FROM orders WHERE external_id IN ('WEB-1', 'WEB-2')")[0] == 2
    assert one(capture_network, "SELECT sum(reserved) FROM inventory WHERE sku <> 'TSH-BLU-M'")[0] == 2


def test_orders_read_on_different_stock_counts_or_new_to_one_email_are_not_grouped():
    def write(email: str, on_hand: int) -> capture_writes.OrderWrite:
        position = {"node_id": "WH-LYON", "sku": "TSH-BLU-L", "qty": 1, "on_hand": on_hand, "safety_stock": 0,
                    "max_reserved": on_hand}  # fmt: skip
        return capture_writes.OrderWrite({"email": email, "new_customer": True}, [], [],
                                         {("WH-LYON", "TSH-BLU-L"): position}, [], [])  # fmt: skip

    group = [write("a@example.fr", 5)]
    assert capture_writes._fits(group, write("b@example.fr", 5))
    assert not capture_writes._fits(group, write("b@example.fr", 6))  # a count changed between their reads
    assert not capture_writes._fits(group, write("a@example.fr", 5))  # one of them would fail its key


def test_a_shared_position_is_reserved_once_within_every_orders_limit():
    def write(qty: int, max_reserved: int) -> capture_writes.OrderWrite:
        position = {"node_id": "WH-LYON", "sku": "TSH-BLU-L", "qty": qty, "on_hand": 10, "safety_stock": 1,
                    "max_reserved": max_reserved}  # fmt: skip
        return capture_writes.OrderWrite({}, [], [], {("WH-LYON", "TSH-BLU-L"): position}, [], [])

    merged = capture_writes.merged_positions([write(2, 9), write(3, 6)])  # the second's channel is protected
    assert merged == {("WH-LYON", "TSH-BLU-L"): {"node_id": "WH-LYON", "sku": "TSH-BLU-L", "qty": 5,
                                                  "on_hand": 10, "safety_stock": 1, "max_reserved": 6}}  # fmt: skip
