"""Returns (RMAs): authorise one against the channel's policy and what was shipped, mark it in transit,
cancel or reject it before anything arrives, close it once what arrived is inspected.

Authorising locks the order's returns (oms.services.return_actions), so two RMAs asked at once for the
last returnable unit cannot both have it: the second one sees the first and is refused.

A channel's own reference of the request (external_id) makes authorising idempotent, as order capture
is: a retry after a timeout answers the RMA authorised the first time, storing nothing more.
"""

import hashlib
import logging
from decimal import Decimal

from sqlalchemy import Connection, Row, text
from sqlalchemy.exc import IntegrityError

from oms.db.engine import dumps_json
from oms.domain.errors import DomainError
from oms.domain.returns import (
    AWAITING,
    Requested,
    Resolution,
    ReturnPolicy,
    ReturnStatus,
    ShippedLine,
    refusals,
)
from oms.services import order_actions
from oms.services.actor import Actor, Permission, Role
from oms.services.errors import Conflict, FieldError, NotFound, ServiceError, ValidationFailed
from oms.services.order_models import ReasonCommand
from oms.services.return_actions import Outcome, act, lock_order_returns
from oms.services.return_exchanges import capture_exchange, priced_exchange
from oms.services.return_models import ReturnCreate, ReturnPublic, ReturnTransit
from oms.services.return_policies import load_policy
from oms.services.return_queries import fetch_return
from oms.services.uow import UnitOfWork

log = logging.getLogger(__name__)

_ORDER = text(
    """
    SELECT o.id, o.channel_id, o.customer_id, o.currency, o.service_level, o.pickup_node_id, o.ship_to,
           c.name AS customer_name, c.email AS customer_email, c.phone AS customer_phone,
           (now() AT TIME ZONE 'UTC')::date AS today,
           (SELECT count(*) FROM returns r WHERE r.order_id = o.id) AS returns_so_far
    FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = :id
    """
)
# Each line with what may come back: units shipped, less those on other returns (all those authorised,
# except what a closed return did not receive), and the date its window runs from: the line's last
# delivery, or its last shipment while the delivery is unknown (the order's, for a line shipped before
# shipments recorded their lines).
_LINES = text(
    """
    WITH last_moves AS (
      SELECT sl.order_line_id, max(coalesce(s.delivered_at, s.shipped_at)) AS at
      FROM shipment_lines sl JOIN shipments s ON s.id = sl.shipment_id
      JOIN order_lines l ON l.id = sl.order_line_id WHERE l.order_id = :id
      GROUP BY sl.order_line_id)
    SELECT l.id, l.line_no, l.sku, l.unit_price, l.shipped_quantity AS shipped, p.final_sale,
           (coalesce(m.at, (SELECT max(coalesce(s.delivered_at, s.shipped_at)) FROM shipments s
                            WHERE s.order_id = :id)) AT TIME ZONE 'UTC')::date AS returnable_from,
           (SELECT coalesce(sum(CASE WHEN r.status = 'closed' THEN rl.received_quantity ELSE rl.quantity END), 0)
            FROM return_lines rl JOIN returns r ON r.id = rl.return_id
            WHERE rl.order_line_id = l.id AND r.status NOT IN ('cancelled', 'rejected')) AS on_other_returns
    FROM order_lines l JOIN products p ON p.sku = l.sku
    LEFT JOIN last_moves m ON m.order_line_id = l.id
    WHERE l.order_id = :id
    """
)
_INSERT = text(
    """
    WITH created AS (
      INSERT INTO returns (rma_number, order_id, channel_id, customer_id, status, resolution, currency, policy,
                           exchange_lines, created_by, external_id, request_hash)
      VALUES (:rma_number, :order_id, :channel, :customer_id, 'authorised', :resolution, :currency,
              CAST(:policy AS jsonb), CAST(:exchange_lines AS jsonb), :actor, :external_id, :hash)
      RETURNING id),
    lines AS (
      INSERT INTO return_lines (return_id, order_line_id, line_no, sku, quantity, unit_price, reason_code, comment)
      SELECT created.id, v.order_line_id, v.line_no, v.sku, v.quantity, v.unit_price, v.reason_code, v.comment
      FROM created, jsonb_to_recordset(CAST(:lines AS jsonb))
           AS v(order_line_id bigint, line_no int, sku text, quantity int, unit_price numeric, reason_code text,
                comment text))
    SELECT id FROM created
    """
)
_EARLIER = text("SELECT id, rma_number, request_hash FROM returns WHERE channel_id = :channel AND external_id = :external_id")
RETURN_KEY = "uq_returns_channel_external"


def create_return(uow: UnitOfWork, actor: Actor, cmd: ReturnCreate) -> ReturnPublic:
    """The RMA authorised (or, for a retry, authorised before): see authorise_return."""
    return authorise_return(uow, actor, cmd)[0]


def authorise_return(uow: UnitOfWork, actor: Actor, cmd: ReturnCreate) -> tuple[ReturnPublic, bool]:
    """Authorise a return, or refuse it with 422 and a pointer per line at fault (nothing stored). An
    exchange then captures the replacement order (see oms.services.return_exchanges). Returns the RMA and
    whether this call authorised it: False for a retry with an external_id already used in the channel,
    which answers the RMA as it is now (409 if the earlier request was a different one)."""
    actor.require(Permission.RETURNS_MANAGE)
    if cmd.resolution is Resolution.EXCHANGE:
        actor.require(Permission.ORDER_CAPTURE)
    digest = hashlib.sha256(cmd.model_dump_json().encode()).hexdigest() if cmd.external_id else None
    with uow:
        conn = uow.conn
        lock_order_returns(conn, cmd.order_id)  # a retry for the same order waits here, then finds the RMA
        order = conn.execute(_ORDER, {"id": cmd.order_id}).first()
        if order is None or not actor.sees_channel(order.channel_id):
            raise NotFound(f"no order {cmd.order_id}")
        if cmd.external_id and (earlier := _earlier(conn, cmd, order.channel_id, digest)):
            return earlier, False
        policy = load_policy(conn, order.channel_id)
        lines = {row.line_no: row for row in conn.execute(_LINES, {"id": order.id})}
        errors = _refusals(policy, lines, cmd, order.today)
        exchange, exchange_errors = priced_exchange(conn, cmd, order.currency, _value(lines, cmd))
        if errors := errors + exchange_errors:
            raise ValidationFailed(errors)
        params = _insert_params(actor, cmd, order, policy, lines, exchange) | {"hash": digest}
        try:
            return_id = conn.execute(_INSERT, params).scalar_one()
        except IntegrityError as error:
            if getattr(error.orig.diag, "constraint_name", None) != RETURN_KEY:
                raise
            # A request with this reference for another order of the channel took it first (and committed).
            conn.rollback()
            if earlier := _earlier(conn, cmd, order.channel_id, digest):
                return earlier, False
            raise
        view = fetch_return(conn, return_id)
        uow.record(actor, "return.authorised", "return", return_id, after=view.model_dump(mode="json"),
                   order_id=order.id, publish="return.authorised")  # fmt: skip
        uow.commit()
    if cmd.resolution is Resolution.EXCHANGE:
        return _with_exchange(uow, actor, view, order), True
    return view, True


def _earlier(conn: Connection, cmd: ReturnCreate, channel: str, digest: str) -> ReturnPublic | None:
    """The RMA authorised for an earlier request with the command's external_id, if there was one."""
    earlier = conn.execute(_EARLIER, {"channel": channel, "external_id": cmd.external_id}).first()
    if earlier is None:
        return None
    if earlier.request_hash != digest:
        raise Conflict(f"return '{cmd.external_id}' of channel '{channel}' was already requested with different "
                       f"content ({earlier.rma_number})")  # fmt: skip
    return fetch_return(conn, earlier.id)


def _refusals(policy: ReturnPolicy, lines: dict[int, Row], cmd: ReturnCreate, today) -> list[FieldError]:
    shipped = {no: ShippedLine(no, r.sku, r.shipped, r.on_other_returns, r.final_sale, r.returnable_from)
               for no, r in lines.items()}  # fmt: skip
    requested = [Requested(line.line_no, line.quantity, line.reason_code) for line in cmd.lines]
    errors = [FieldError(("lines", r.index, r.field), r.message, r.code)
              for r in refusals(policy, shipped, requested, today)]  # fmt: skip
    allowed = {Resolution.REFUND: True, Resolution.STORE_CREDIT: policy.store_credit_allowed,
               Resolution.EXCHANGE: policy.exchange_allowed}  # fmt: skip
    if not allowed[cmd.resolution]:
        errors.append(FieldError(("resolution",), f"this channel's policy offers no {cmd.resolution.value}",
                                 "not_offered"))  # fmt: skip
    return errors


def _value(lines: dict[int, Row], cmd: ReturnCreate) -> Decimal:
    """What the requested units were paid (lines the order does not have count for nothing)."""
    return sum((lines[x.line_no].unit_price * x.quantity for x in cmd.lines if x.line_no in lines), Decimal(0))


def _insert_params(actor: Actor, cmd: ReturnCreate, order: Row, policy: ReturnPolicy, lines: dict[int, Row],
                   exchange: list[dict] | None) -> dict:
    return {
        "rma_number": f"RMA-{order.id}-{order.returns_so_far + 1}",
        "order_id": order.id,
        "channel": order.channel_id,
        "customer_id": order.customer_id,
        "resolution": cmd.resolution.value,
        "currency": order.currency,
        "policy": dumps_json(policy.model_dump(mode="json")),
        "exchange_lines": dumps_json(exchange) if exchange else None,
        "actor": actor.name,
        "external_id": cmd.external_id,
        "lines": dumps_json([
            {"order_line_id": lines[x.line_no].id, "line_no": x.line_no, "sku": lines[x.line_no].sku,
             "quantity": x.quantity, "unit_price": lines[x.line_no].unit_price, "reason_code": x.reason_code.value,
             "comment": x.comment}
            for x in cmd.lines
        ]),
    }  # fmt: skip


def _with_exchange(uow: UnitOfWork, actor: Actor, view: ReturnPublic, order: Row) -> ReturnPublic:
    """Capture the replacement order and link it; if it cannot be captured, the return is cancelled
    (its audit trail says why) and the capture's error answers."""
    try:
        exchange = capture_exchange(uow.engine, actor, view, order)
    except ServiceError as error:
        _end(uow, actor, view.id, ReturnStatus.CANCELLED, f"exchange order not captured: {error.detail}",
             Permission.RETURNS_MANAGE, "return.cancelled")  # fmt: skip
        raise

    def link(conn: Connection, ret: Row) -> Outcome:
        conn.execute(text("UPDATE returns SET exchange_order_id = :o WHERE id = :id"), {"o": exchange.id, "id": ret.id})
        facts = {"return_id": ret.id, "rma_number": ret.rma_number, "original_order_id": ret.order_id,
                 "exchange_order_id": exchange.id, "status": exchange.status}  # fmt: skip
        event = {"action": "order.exchange_created", "entity_type": "order", "entity_id": exchange.id,
                 "after": facts, "order_id": exchange.id, "publish": "order.exchange_created"}  # fmt: skip
        return Outcome(details={"exchange_order": facts}, events=[event])

    return act(uow, actor, view.id, Permission.RETURNS_MANAGE, frozenset(ReturnStatus), "return.exchange_linked",
               link, publish=False)  # fmt: skip


def mark_in_transit(uow: UnitOfWork, actor: Actor, return_id: int, cmd: ReturnTransit) -> ReturnPublic:
    """The customer sent the units back: record the carrier and tracking number."""

    def in_transit(conn: Connection, ret: Row) -> None:
        conn.execute(
            text("UPDATE returns SET status = 'in_transit', return_carrier = :carrier, return_tracking_number = :number"
                 " WHERE id = :id"),
            {"carrier": cmd.carrier, "number": cmd.tracking_number, "id": ret.id},
        )

    return act(uow, actor, return_id, Permission.RETURNS_MANAGE, AWAITING, "return.in_transit", in_transit)


def cancel(uow: UnitOfWork, actor: Actor, return_id: int, cmd: ReasonCommand) -> ReturnPublic:
    """The customer withdrew before sending anything; an exchange order not yet released is cancelled."""
    return _end(uow, actor, return_id, ReturnStatus.CANCELLED, cmd.reason, Permission.RETURNS_MANAGE,
                "return.cancelled")  # fmt: skip


def reject(uow: UnitOfWork, actor: Actor, return_id: int, cmd: ReasonCommand) -> ReturnPublic:
    """The retailer refuses the return before anything arrived; as cancelling, for the exchange order."""
    return _end(uow, actor, return_id, ReturnStatus.REJECTED, cmd.reason, Permission.RETURNS_PROCESS,
                "return.rejected")  # fmt: skip


def close(uow: UnitOfWork, actor: Actor, return_id: int, cmd: ReasonCommand) -> ReturnPublic:
    """Close a return once everything that arrived is inspected; units never sent back lapse (they may be
    returned again within the window)."""

    def finish(conn: Connection, ret: Row) -> None:
        waiting = conn.execute(
            text("SELECT coalesce(sum(received_quantity - inspected_quantity), 0) FROM return_lines WHERE return_id = :id"),
            {"id": ret.id},
        ).scalar()
        if waiting:
            raise Conflict(f"{waiting} unit(s) of {ret.rma_number} received wait for inspection")
        _set_status(conn, ret.id, ReturnStatus.CLOSED, cmd.reason)

    allowed = frozenset({ReturnStatus.PARTIALLY_RECEIVED, ReturnStatus.RECEIVED, ReturnStatus.INSPECTED})
    return act(uow, actor, return_id, Permission.RETURNS_PROCESS, allowed, "return.closed", finish)


def _end(uow: UnitOfWork, actor: Actor, return_id: int, status: ReturnStatus, reason: str | None,
         permission: Permission, event: str) -> ReturnPublic:
    view = act(uow, actor, return_id, permission, AWAITING, event,
               lambda conn, ret: _set_status(conn, ret.id, status, reason))  # fmt: skip
    if view.exchange_order_id is not None:
        _cancel_exchange(uow, actor, view)
    return view


def _set_status(conn: Connection, return_id: int, status: ReturnStatus, reason: str | None) -> None:
    conn.execute(text("UPDATE returns SET status = :status, status_reason = :reason WHERE id = :id"),
                 {"status": status.value, "reason": reason, "id": return_id})  # fmt: skip


def _cancel_exchange(uow: UnitOfWork, actor: Actor, view: ReturnPublic) -> None:
    """The replacement order goes with its return, while it can still be cancelled; the system does it
    on the actor's behalf (cancelling its own exchange is part of ending a return)."""
    system = Actor(name="system:returns", role=Role.ADMIN, on_behalf_of=actor.name)
    try:
        order_actions.cancel(UnitOfWork(uow.engine), system, view.exchange_order_id,
                             ReasonCommand(reason=f"{view.rma_number} {view.status.value}"))  # fmt: skip
    except (ServiceError, DomainError) as error:  # released already: it ships, and the return's trail says it was ended
        log.info("exchange order %s of %s stays: %s", view.exchange_order_id, view.rma_number, error)
