"""Retries of one return request racing on the real database: one RMA, whichever arrives first."""

import threading
from functools import partial

import pytest
from sqlalchemy import text

from oms.services.errors import Conflict
from oms.services.return_models import ReturnCreate
from oms.services.returns import authorise_return
from oms.services.uow import UnitOfWork
from tests.factories import OPS, add_network
from tests.integration.test_returns_lifecycle import race
from tests.returns_factories import shipped_order


@pytest.fixture(autouse=True)
def network(engine):
    add_network(engine)


def request(order_id: int, external_id: str = "SHOP-R-1") -> ReturnCreate:
    return ReturnCreate(order_id=order_id, external_id=external_id,
                        lines=[{"line_no": 1, "quantity": 1, "reason_code": "too_small"}])  # fmt: skip


def counts(engine, order_id: int) -> tuple[int, int]:
    """The order's returns, and audit events about returns."""
    with engine.connect() as conn:
        return (conn.execute(text("SELECT count(*) FROM returns WHERE order_id = :id"), {"id": order_id}).scalar(),
                conn.execute(text("SELECT count(*) FROM audit_events WHERE entity_type = 'return' AND order_id = :id"),
                             {"id": order_id}).scalar())  # fmt: skip


def test_two_identical_retries_at_once_make_one_rma(engine):
    for attempt in range(4):
        order_id = shipped_order(engine, f"WEB-R{attempt}", lines=[("TSH-BLU-L", 2)])
        cmd = request(order_id, f"SHOP-R-{attempt}")
        results = race(*(partial(authorise_return, UnitOfWork(engine), OPS, cmd) for _ in range(2)))
        assert sorted(created for _, created in results) == [False, True], results
        assert len({view.id for view, _ in results}) == 1
        assert counts(engine, order_id) == (1, 1)


def test_a_reference_taken_meanwhile_for_another_order_is_a_409(engine):
    """The request for the second order passes every check, then finds the reference being taken by an
    uncommitted RMA of the first: it waits for it, and answers 409 once it is committed."""
    first, second = shipped_order(engine, "WEB-1"), shipped_order(engine, "WEB-2")
    results: list = []
    with engine.connect() as holder:
        holder.execute(text(
            """
            INSERT INTO returns (rma_number, order_id, channel_id, customer_id, status, resolution, currency, policy,
                                 created_by, external_id, request_hash)
            SELECT 'RMA-HELD', id, channel_id, customer_id, 'authorised', 'refund', currency, '{}', 'test',
                   'SHOP-R-1', 'another request'
            FROM orders WHERE id = :id
            """), {"id": first})  # fmt: skip
        thread = threading.Thread(target=lambda: results.append(_outcome(engine, second)))
        thread.start()
        _wait_for_lock_wait(engine)
        holder.commit()
        thread.join(timeout=30)
    [outcome] = results
    assert isinstance(outcome, Conflict) and "RMA-HELD" in outcome.detail
    assert counts(engine, second) == (0, 0)


def _outcome(engine, order_id: int):
    try:
        return authorise_return(UnitOfWork(engine), OPS, request(order_id))
    except Conflict as error:
        return error


def _wait_for_lock_wait(engine) -> None:
    """Until a session waits for a lock: the request's insert blocked on the uncommitted reference."""
    sql = text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")
    with engine.connect() as conn:
        for _ in range(300):
            if conn.execute(sql).scalar():
                return
            threading.Event().wait(0.05)
    raise AssertionError("the request never waited for the reference")
