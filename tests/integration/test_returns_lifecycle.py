"""Returns against a real database: the whole life of an order and its return with the stock at every
step, and races on the last returnable, expected or received unit, and of a receipt with a cancel."""

import threading
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial

import pytest
from sqlalchemy import text

from oms.domain.returns import Condition, Disposition, ReasonCode
from oms.services import order_actions
from oms.services.atp import AtpQuery, get_atp
from oms.services.errors import ServiceError, ValidationFailed
from oms.services.order_capture import capture_order
from oms.services.order_models import OrderCreate, ReasonCommand
from oms.services.return_inspections import inspect
from oms.services.return_models import InspectionCreate, ReceiptCreate, ReturnCreate
from oms.services.return_receipts import receive
from oms.services.returns import cancel, create_return
from oms.services.uow import UnitOfWork
from oms.services.wms_event_models import Shipped
from oms.services.wms_events import post_event
from tests.factories import OPS, add_network, order_body, set_stock
from tests.returns_factories import deliver, shipped_order


@pytest.fixture
def network(engine):
    add_network(engine)
    return engine


def stock(engine, node_id: str, sku: str = "TSH-BLU-L") -> tuple[int, int, int]:
    """(on hand, reserved, ATP) at the node."""
    rows = get_atp(UnitOfWork(engine), OPS, AtpQuery(sku=sku, node=node_id)).nodes
    return (rows[0].on_hand, rows[0].reserved, rows[0].atp) if rows else (0, 0, 0)


def one_unit_back(order_id: int, reason: ReasonCode = ReasonCode.TOO_SMALL) -> ReturnCreate:
    return ReturnCreate(order_id=order_id, lines=[{"line_no": 1, "quantity": 1, "reason_code": reason}])


def test_an_order_shipped_delivered_returned_in_a_store_restocked_and_refunded(network):
    engine = network
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 5)
    order, _ = capture_order(UnitOfWork(engine), OPS, OrderCreate.model_validate(order_body(lines=[("TSH-BLU-L", 2)])))
    assert stock(engine, "WH-LYON") == (5, 2, 3)
    order_actions.release(UnitOfWork(engine), OPS, order.id)
    assert stock(engine, "WH-LYON") == (5, 2, 3)
    with engine.connect() as conn:
        fo = conn.execute(text("SELECT id FROM fulfilment_orders WHERE order_id = :id"), {"id": order.id}).scalar_one()
    post_event(UnitOfWork(engine), OPS, Shipped(type="shipped", event_id="s-1", fulfilment_order_id=fo,
                                                occurred_at=datetime.now(UTC), carrier="colissimo"))  # fmt: skip
    assert stock(engine, "WH-LYON") == (3, 0, 3)
    deliver(engine, order.id, datetime.now(UTC))
    ret = create_return(UnitOfWork(engine), OPS, ReturnCreate(
        order_id=order.id, lines=[{"line_no": 1, "quantity": 2, "reason_code": "changed_mind"}]))  # fmt: skip
    assert (stock(engine, "WH-LYON"), stock(engine, "ST-PARIS")) == ((3, 0, 3), (0, 0, 0))
    receive(UnitOfWork(engine), OPS, ret.id, ReceiptCreate(node_id="ST-PARIS", lines=[{"line_no": 1, "quantity": 2}]))
    assert stock(engine, "ST-PARIS") == (0, 0, 0)  # received, not yet inspected
    done = inspect(UnitOfWork(engine), OPS, ret.id, InspectionCreate(node_id="ST-PARIS", lines=[
        {"line_no": 1, "quantity": 1, "condition": Condition.NEW, "disposition": Disposition.RESTOCK},
        {"line_no": 1, "quantity": 1, "condition": Condition.OPENED, "disposition": Disposition.QUARANTINE}]))
    assert (stock(engine, "WH-LYON"), stock(engine, "ST-PARIS")) == ((3, 0, 3), (1, 0, 1))
    assert (done.status, [r.amount for r in done.refunds]) == ("inspected", [Decimal("39.80")])
    with engine.connect() as conn:
        assert conn.execute(text("SELECT quantity FROM quarantine_stock WHERE node_id = 'ST-PARIS'")).scalar() == 1


def race(*calls) -> list:
    """Run the calls at the same moment, each in its own thread; what each returned or raised."""
    start, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index, call):
        start.wait()
        try:
            results[index] = call()
        except ServiceError as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_returns_racing_for_the_last_returnable_unit_one_wins(network):
    engine = network
    for attempt in range(4):
        order_id = shipped_order(engine, f"WEB-R{attempt}", lines=[("TSH-BLU-L", 1)])
        results = race(*(partial(create_return, UnitOfWork(engine), OPS, one_unit_back(order_id)) for _ in range(2)))
        assert sorted(type(r).__name__ for r in results) == ["ReturnPublic", "ValidationFailed"]
        refused = next(r for r in results if isinstance(r, ValidationFailed))
        assert [e.code for e in refused.errors] == ["over_returnable"]
        with engine.connect() as conn:
            held = conn.execute(text("SELECT sum(l.quantity) FROM return_lines l JOIN returns r ON r.id = l.return_id"
                                     " WHERE r.order_id = :id"), {"id": order_id}).scalar()  # fmt: skip
        assert held == 1


def test_two_receipts_racing_for_the_last_expected_unit_one_wins(network):
    engine = network
    order_id = shipped_order(engine, lines=[("TSH-BLU-L", 1)])
    ret = create_return(UnitOfWork(engine), OPS, one_unit_back(order_id))
    receipt = ReceiptCreate(node_id="ST-PARIS", lines=[{"line_no": 1, "quantity": 1}])
    results = race(*(partial(receive, UnitOfWork(engine), OPS, ret.id, receipt) for _ in range(2)))
    assert sorted(type(r).__name__ for r in results) in (["Conflict", "ReturnPublic"],
                                                         ["ReturnPublic", "ValidationFailed"])  # fmt: skip
    with engine.connect() as conn:
        assert conn.execute(text("SELECT sum(quantity) FROM return_receipts")).scalar() == 1


def test_two_inspections_racing_for_the_last_received_unit_restock_and_refund_it_once(network):
    engine = network
    order_id = shipped_order(engine, lines=[("TSH-BLU-L", 1)])
    ret = create_return(UnitOfWork(engine), OPS, one_unit_back(order_id))
    receive(UnitOfWork(engine), OPS, ret.id, ReceiptCreate(node_id="ST-PARIS", lines=[{"line_no": 1, "quantity": 1}]))
    inspection = InspectionCreate(node_id="ST-PARIS", lines=[{"line_no": 1, "quantity": 1, "condition": Condition.NEW,
                                                              "disposition": Disposition.RESTOCK}])  # fmt: skip
    results = race(*(partial(inspect, UnitOfWork(engine), OPS, ret.id, inspection) for _ in range(2)))
    assert sorted(type(r).__name__ for r in results) in (["Conflict", "ReturnPublic"],
                                                         ["ReturnPublic", "ValidationFailed"])  # fmt: skip
    assert stock(engine, "ST-PARIS") == (1, 0, 1)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*), sum(amount) FROM refunds")).one() == (1, Decimal("19.90"))


def test_a_receipt_racing_a_cancel_leaves_either_a_received_or_a_cancelled_return(network):
    engine = network
    for attempt in range(4):
        order_id = shipped_order(engine, f"WEB-C{attempt}", lines=[("TSH-BLU-L", 1)])
        ret = create_return(UnitOfWork(engine), OPS, one_unit_back(order_id))
        receipt = ReceiptCreate(node_id="ST-PARIS", lines=[{"line_no": 1, "quantity": 1}])
        received, cancelled = race(partial(receive, UnitOfWork(engine), OPS, ret.id, receipt),
                                   partial(cancel, UnitOfWork(engine), OPS, ret.id, ReasonCommand(reason="kept it")))  # fmt: skip
        assert sorted(type(r).__name__ for r in (received, cancelled)) == ["Conflict", "ReturnPublic"]
        with engine.connect() as conn:
            status, receipts = conn.execute(text("SELECT status, (SELECT count(*) FROM return_receipts"
                                                 " WHERE return_id = r.id) FROM returns r WHERE id = :id"),
                                            {"id": ret.id}).one()  # fmt: skip
        assert (status, receipts) in (("received", 1), ("cancelled", 0))
