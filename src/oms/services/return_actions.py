"""The skeleton every change to an RMA goes through, and the locks that keep returns of one order serial.

Every command on the returns of an order first takes that order's returns lock (a transaction-scoped
advisory lock), then the RMA's row, then stock rows (quarantine before inventory): one order of locks
for all of them, so two commands never wait on each other in a cycle. The order's lock is what stops two
RMAs created at once from returning the same unit twice, and two settlements from both refunding the
order's shipping; it is not the order row's lock, so shipping and tracking the order never wait on it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, Row, text

from oms.domain.returns import Progress, ReturnStatus, status_after
from oms.services.actor import Actor, Permission
from oms.services.errors import Conflict, NotFound
from oms.services.return_models import ReturnPublic
from oms.services.return_queries import fetch_return
from oms.services.uow import UnitOfWork

_ORDER_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended('oms.returns:' || CAST(:id AS text), 0))")
_LOCK_RETURN = text(
    """
    SELECT id, rma_number, order_id, channel_id, customer_id, status, resolution, currency, policy,
           exchange_order_id
    FROM returns WHERE id = :id FOR UPDATE
    """
)
_PROGRESS = text(
    """
    SELECT coalesce(sum(quantity), 0) AS authorised, coalesce(sum(received_quantity), 0) AS received,
           coalesce(sum(inspected_quantity), 0) AS inspected
    FROM return_lines WHERE return_id = :id
    """
)


def lock_order_returns(conn: Connection, order_id: int) -> None:
    conn.execute(_ORDER_LOCK, {"id": order_id})


@dataclass
class Outcome:
    """What a change did, besides the return itself: facts for its audit event, and more events to
    record after it (a refund issued by a receipt follows the receipt's event)."""

    details: dict = field(default_factory=dict)
    events: list[dict] = field(default_factory=list)


Change = Callable[[Connection, Row], Outcome | None]


def act(uow: UnitOfWork, actor: Actor, return_id: int, permission: Permission, allowed: frozenset[ReturnStatus],
        event: str, change: Change, publish: bool = True) -> ReturnPublic:
    """Lock the RMA, check `actor` and its status, apply `change`, derive the status from the units, and
    record `event` with the RMA before and after."""
    actor.require(permission)
    with uow:
        conn = uow.conn
        order_id = conn.execute(text("SELECT order_id FROM returns WHERE id = :id"), {"id": return_id}).scalar()
        if order_id is not None:
            lock_order_returns(conn, order_id)
        ret = conn.execute(_LOCK_RETURN, {"id": return_id}).first()
        if ret is None or not actor.sees_channel(ret.channel_id):
            raise NotFound(f"no return {return_id}")
        if ReturnStatus(ret.status) not in allowed:
            allowed_in = ", ".join(sorted(allowed))
            raise Conflict(f"return {ret.rma_number} is {ret.status}; {event} is allowed when it is {allowed_in}")
        before = fetch_return(conn, return_id)
        outcome = change(conn, ret) or Outcome()
        _settle_status(conn, return_id)
        after = fetch_return(conn, return_id)
        uow.record(actor, event, "return", return_id, before=before.model_dump(mode="json"),
                   after=after.model_dump(mode="json") | outcome.details, order_id=ret.order_id,
                   publish=event if publish else None)  # fmt: skip
        for extra in outcome.events:
            uow.record(actor, **extra)
        uow.commit()
    return after


def _settle_status(conn: Connection, return_id: int) -> None:
    current = ReturnStatus(conn.execute(text("SELECT status FROM returns WHERE id = :id"), {"id": return_id}).scalar())
    status = status_after(current, Progress(**conn.execute(_PROGRESS, {"id": return_id}).mappings().one()))
    conn.execute(
        text("UPDATE returns SET status = :status, version = version + 1, updated_at = now() WHERE id = :id"),
        {"status": status.value, "id": return_id},
    )
