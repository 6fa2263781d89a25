"""Reroutes racing captures for the same stock, in threads with their own connections: stock is never
over-reserved, and reservations, allocations and capacity counters stay in step."""

import threading

import pytest
from sqlalchemy import text

from oms.db.engine import make_engine
from oms.services import order_actions
from oms.services.node_outage import OutageCommand, declare_outage
from oms.services.order_capture import capture_order
from oms.services.order_models import OrderCreate
from oms.services.reroute_models import RerouteCommand
from oms.services.uow import UnitOfWork
from tests.factories import ADMIN, add_network, order_body, set_stock

REROUTES, CAPTURES = 8, 12


@pytest.fixture
def wide_engine(engine, database_url):
    """An engine with a connection per thread, so the race is real."""
    wide = make_engine(database_url, pool_size=REROUTES + CAPTURES)
    yield wide
    wide.dispose()


def run_together(calls) -> list:
    """Run the calls at once in threads; their results (or the exceptions they raised) in call order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def one(i, call):
        barrier.wait()
        try:
            results[i] = call()
        except Exception as error:  # noqa: BLE001 - reported by the test, not lost in the thread
            results[i] = error

    threads = [threading.Thread(target=one, args=(i, call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def capture(engine, external_id: str):
    body = OrderCreate.model_validate(order_body(external_id, lines=[("JKT-RED-M", 1)]))
    return capture_order(UnitOfWork(engine), ADMIN, body)[0]


def assert_books_balance(engine) -> None:
    with engine.connect() as conn:
        over = conn.execute(
            text("SELECT node_id, reserved FROM inventory WHERE reserved > on_hand - safety_stock")
        )
        assert over.all() == []
        unbalanced = conn.execute(text(
            """
            SELECT i.node_id, i.sku, i.reserved, coalesce(sum(a.quantity), 0) AS allocated
            FROM inventory i LEFT JOIN allocations a USING (node_id, sku)
            GROUP BY i.node_id, i.sku HAVING i.reserved <> coalesce(sum(a.quantity), 0)
            """
        ))  # fmt: skip
        assert unbalanced.all() == []
        counted = dict(
            conn.execute(
                text("SELECT node_id, sum(shipments) FROM node_capacity_usage GROUP BY node_id")
            ).all()
        )
        shipping = dict(
            conn.execute(
                text("SELECT node_id, count(DISTINCT order_id) FROM allocations GROUP BY node_id")
            ).all()
        )
        assert {n: c for n, c in counted.items() if c} == shipping


def test_reroutes_racing_captures_for_the_same_stock_never_over_reserve(wide_engine):
    add_network(wide_engine)
    set_stock(wide_engine, "ST-PARIS", "JKT-RED-M", REROUTES)
    first = [capture(wide_engine, f"FIRST-{i}") for i in range(REROUTES)]
    assert {a.node_id for o in first for line in o.lines for a in line.allocations} == {"ST-PARIS"}
    set_stock(wide_engine, "WH-LYON", "JKT-RED-M", 6, safety=1)  # 5 sellable
    set_stock(wide_engine, "WH-KOELN", "JKT-RED-M", 3)
    outage = RerouteCommand(reason="node_outage", node_id="ST-PARIS", note="till down")

    reroutes = [
        lambda o=o: order_actions.reroute(UnitOfWork(wide_engine), ADMIN, o.id, outage) for o in first
    ]
    captures = [lambda i=i: capture(wide_engine, f"RACE-{i}") for i in range(CAPTURES)]
    results = run_together(reroutes + captures)

    assert [type(r).__name__ for r in results] == ["RerouteResult"] * REROUTES + ["OrderPublic"] * CAPTURES
    for result in results[:REROUTES]:
        assert "ST-PARIS" not in {a.node_id for a in result.allocated}
        assert len(result.allocated) + len(result.backordered) == 1
    assert_books_balance(wide_engine)
    with wide_engine.connect() as conn:
        elsewhere = conn.execute(
            text("SELECT sum(reserved) FROM inventory WHERE node_id <> 'ST-PARIS'")
        ).scalar()
    assert elsewhere == 8  # 20 orders wanted more than the 8 units of Lyon and Köln: all of them went


def test_reroutes_of_one_order_racing_each_other_keep_one_allocation(wide_engine):
    add_network(wide_engine)
    set_stock(wide_engine, "WH-LYON", "JKT-RED-M", 5)
    set_stock(wide_engine, "WH-KOELN", "JKT-RED-M", 5)
    order = capture(wide_engine, "ONE")
    manual = RerouteCommand(reason="manual", note="again")
    results = run_together(
        [lambda: order_actions.reroute(UnitOfWork(wide_engine), ADMIN, order.id, manual)] * 6
    )
    assert {type(r).__name__ for r in results} == {"RerouteResult"}
    assert_books_balance(wide_engine)
    with wide_engine.connect() as conn:
        assert conn.execute(text("SELECT sum(reserved) FROM inventory")).scalar() == 1
        version = conn.execute(text("SELECT version FROM orders WHERE id = :id"), {"id": order.id}).scalar()
    assert version == order.version + 6


def test_an_outage_racing_captures_never_over_reserves(wide_engine):
    add_network(wide_engine)
    set_stock(wide_engine, "ST-PARIS", "JKT-RED-M", REROUTES)
    first = [capture(wide_engine, f"FIRST-{i}") for i in range(REROUTES)]
    set_stock(wide_engine, "WH-LYON", "JKT-RED-M", 4)
    outage = lambda: declare_outage(
        UnitOfWork(wide_engine), ADMIN, "ST-PARIS", OutageCommand(note="fire drill")
    )
    captures = [lambda i=i: capture(wide_engine, f"RACE-{i}") for i in range(CAPTURES)]
    report, *captured = run_together([outage] + captures)

    assert report.failed == [] and len(report.rerouted) + len(report.backordered) == REROUTES
    assert {type(c).__name__ for c in captured} == {"OrderPublic"}
    assert_books_balance(wide_engine)
    with wide_engine.connect() as conn:
        left_at_paris = conn.execute(text(
            "SELECT count(*) FROM allocations WHERE node_id = 'ST-PARIS' AND order_id = ANY(:ids)"
        ), {"ids": [o.id for o in first]}).scalar()  # fmt: skip
        lyon = conn.execute(text("SELECT reserved FROM inventory WHERE node_id = 'WH-LYON'")).scalar()
    assert left_at_paris == 0 and lyon == 4
