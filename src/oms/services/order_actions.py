"""What people and systems do to an order after capture: hold, release the hold, cancel an order or a
line, edit it before release, allocate backorders again, reroute it, release it to fulfilment (one
fulfilment order per node, oms.services.fulfilment_release).

Each action locks the order row, checks the state machine, changes what it must, and records one audit
event with the order before and after. Given the version the caller saw (`expected_version`), an action
refuses with 409 (OrderMovedOn) if the order has moved on since, changing nothing.
"""

from collections.abc import Callable

from sqlalchemy import Connection, Row, text

from oms.domain.allocation import LineRequest
from oms.domain.order_status import IN_FULFILMENT, LineStatus, check_action
from oms.services import promise_listener
from oms.services.actor import Actor, Permission
from oms.services.errors import Conflict, NotFound
from oms.services.fulfilment_release import release_allocations
from oms.services.line_routing import route_lines
from oms.services.order_edit import apply_edit
from oms.services.order_models import HoldCommand, OrderEdit, OrderPublic, ReasonCommand
from oms.services.order_queries import fetch_order
from oms.services.order_reroute import Reroute
from oms.services.order_status_sync import sync_statuses
from oms.services.reroute_models import RerouteCommand, RerouteResult
from oms.services.reservations import lock_inventory
from oms.services.reservations import release as release_stock
from oms.services.uow import UnitOfWork

LOCK_ORDER = text(
    """
    SELECT id, channel_id, status, hold_type, service_level, pickup_node_id, version
    FROM orders WHERE id = :id FOR UPDATE
    """
)
_OPEN_LINES = text(
    """
    SELECT l.id, l.line_no, l.sku, l.quantity, coalesce(sum(a.quantity), 0) AS allocated
    FROM order_lines l LEFT JOIN allocations a ON a.order_line_id = l.id
    WHERE l.order_id = :id AND l.status IN ('allocated', 'partially_allocated', 'backordered')
    GROUP BY l.id ORDER BY l.line_no
    """
)
# Lines with units neither shipped nor reserved: backorders, before release or after a short pick.
_WAITING_LINES = text(
    """
    SELECT l.id, l.line_no, l.sku, l.quantity, l.shipped_quantity + coalesce(sum(a.quantity), 0) AS allocated
    FROM order_lines l LEFT JOIN allocations a ON a.order_line_id = l.id
    WHERE l.order_id = :id AND l.status <> 'cancelled'
    GROUP BY l.id ORDER BY l.line_no
    """
)

# A change may return facts about the action beyond the order itself, which its audit event keeps.
Change = Callable[[Connection, Row], dict | None]


class OrderMovedOn(Conflict):
    """The order is no longer at the version the caller acted on (what a person reviewed, say)."""


def _act(uow: UnitOfWork, actor: Actor, order_id: int, permission: Permission, action: str,
         event: str, change: Change, expected_version: int | None = None) -> OrderPublic:
    actor.require(permission)
    with uow:
        order = uow.conn.execute(LOCK_ORDER, {"id": order_id}).first()
        if order is None or not actor.sees_channel(order.channel_id):
            raise NotFound(f"no order {order_id}")
        if expected_version is not None and expected_version != order.version:
            raise OrderMovedOn(f"order {order_id} is at version {order.version}, not {expected_version}")
        check_action(action, order.status)
        before = fetch_order(uow.conn, order_id)
        details = change(uow.conn, order)
        uow.conn.execute(text("UPDATE orders SET version = version + 1, updated_at = now() WHERE id = :id"),
                         {"id": order_id})
        after = fetch_order(uow.conn, order_id)
        uow.record(actor, event, "order", order_id, before=before.model_dump(mode="json"),
                   after=after.model_dump(mode="json") | (details or {}), order_id=order_id, publish=event)
        uow.commit()
    promise_listener.reserved(uow.engine, {line.sku for line in before.lines} | {line.sku for line in after.lines})
    return after


def hold(uow: UnitOfWork, actor: Actor, order_id: int, cmd: HoldCommand,
         expected_version: int | None = None) -> OrderPublic:
    def put_on_hold(conn: Connection, order: Row) -> None:
        conn.execute(
            text("UPDATE orders SET status = 'on_hold', hold_type = :type, hold_reason = :reason WHERE id = :id"),
            {"type": cmd.type.value, "reason": cmd.reason, "id": order.id},
        )

    return _act(uow, actor, order_id, Permission.ORDER_HOLD, "hold", "order.held", put_on_hold, expected_version)


def release_hold(uow: UnitOfWork, actor: Actor, order_id: int, cmd: ReasonCommand,
                 expected_version: int | None = None) -> OrderPublic:
    def lift(conn: Connection, order: Row) -> None:
        conn.execute(text("UPDATE orders SET hold_type = NULL, hold_reason = NULL WHERE id = :id"), {"id": order.id})
        sync_statuses(conn, order.id, on_hold=False)

    return _act(uow, actor, order_id, Permission.ORDER_HOLD, "release_hold", "order.hold_released", lift,
                expected_version)


def cancel(uow: UnitOfWork, actor: Actor, order_id: int, cmd: ReasonCommand,
           expected_version: int | None = None) -> OrderPublic:
    def cancel_all(conn: Connection, order: Row) -> None:
        lines = conn.execute(_OPEN_LINES, {"id": order.id}).all()
        _cancel_lines(conn, order.id, lines)
        conn.execute(
            text("UPDATE orders SET status = 'cancelled', hold_type = NULL, hold_reason = :reason WHERE id = :id"),
            {"reason": cmd.reason, "id": order.id},
        )

    return _act(uow, actor, order_id, Permission.ORDER_CANCEL, "cancel", "order.cancelled", cancel_all,
                expected_version)


def cancel_line(uow: UnitOfWork, actor: Actor, order_id: int, line_no: int, cmd: ReasonCommand) -> OrderPublic:
    """Cancel a line not yet released, or what of a line in fulfilment waits for stock."""

    def cancel_one(conn: Connection, order: Row) -> None:
        lines = [line for line in conn.execute(_OPEN_LINES, {"id": order.id}) if line.line_no == line_no]
        if lines:
            _cancel_lines(conn, order.id, lines)
        elif not _cancel_waiting_units(conn, order.id, line_no):
            raise NotFound(f"order {order.id} has no open line {line_no}")
        sync_statuses(conn, order.id, on_hold=order.hold_type is not None)

    return _act(uow, actor, order_id, Permission.ORDER_CANCEL, "cancel_line", "order.line_cancelled", cancel_one)


def reallocate(uow: UnitOfWork, actor: Actor, order_id: int) -> OrderPublic:
    """Reserve what waits for stock; an order already in fulfilment releases what it gets at once."""

    def allocate_backorders(conn: Connection, order: Row) -> None:
        missing = [line for line in conn.execute(_WAITING_LINES, {"id": order.id}) if line.allocated < line.quantity]
        if missing:
            locked = lock_inventory(conn, [line.sku for line in missing])
            requests = [(line.id, LineRequest(line.line_no, line.sku, line.quantity - line.allocated))
                        for line in missing]  # fmt: skip
            route_lines(conn, actor, order, requests, locked, "allocate")
            if order.status in IN_FULFILMENT:
                release_allocations(uow, actor, order.id)
        sync_statuses(conn, order.id, on_hold=False)

    return _act(uow, actor, order_id, Permission.ORDER_EDIT, "reallocate", "order.allocated", allocate_backorders)


def reroute(uow: UnitOfWork, actor: Actor, order_id: int, cmd: RerouteCommand,
            expected_version: int | None = None) -> RerouteResult:
    """Route the chosen allocations of an order not yet released again (see oms.services.order_reroute)."""
    moves = Reroute(actor, cmd)
    order = _act(uow, actor, order_id, Permission.ORDER_REROUTE, "reroute", "order.rerouted", moves.apply,
                 expected_version)
    return moves.result(order)


def release(uow: UnitOfWork, actor: Actor, order_id: int) -> OrderPublic:
    """Every reservation goes to fulfilment, one fulfilment order per node (sent to its WMS by the
    worker); backordered units stay waiting (POST /allocate reserves and releases them once stock comes)."""

    def to_fulfilment(conn: Connection, order: Row) -> dict:
        released = release_allocations(uow, actor, order.id)
        sync_statuses(conn, order.id, on_hold=False)
        return {"fulfilment_orders": released}

    return _act(uow, actor, order_id, Permission.ORDER_RELEASE, "release", "order.released", to_fulfilment)


def edit(uow: UnitOfWork, actor: Actor, order_id: int, cmd: OrderEdit) -> OrderPublic:
    def change(conn: Connection, order: Row) -> None:
        apply_edit(conn, actor, order, cmd)
        sync_statuses(conn, order.id, on_hold=order.hold_type is not None)

    return _act(uow, actor, order_id, Permission.ORDER_EDIT, "edit", "order.updated", change, cmd.expected_version)


def _cancel_lines(conn: Connection, order_id: int, lines: list[Row]) -> None:
    if not lines:
        return
    locked = lock_inventory(conn, [line.sku for line in lines])
    release_stock(conn, locked, order_id, [line.id for line in lines])
    conn.execute(
        text("UPDATE order_lines SET status = :status WHERE id = ANY(:ids)"),
        {"status": LineStatus.CANCELLED.value, "ids": [line.id for line in lines]},
    )


def _cancel_waiting_units(conn: Connection, order_id: int, line_no: int) -> bool:
    """Cancel the units of a line in fulfilment that wait for stock (a short pick no node could take),
    keeping those shipped or held: the line asks for those only. False if none wait."""
    line = next((x for x in conn.execute(_WAITING_LINES, {"id": order_id}) if x.line_no == line_no), None)
    if line is None or not 0 < line.allocated < line.quantity:
        return False
    conn.execute(text("UPDATE order_lines SET quantity = :q WHERE id = :id"), {"q": line.allocated, "id": line.id})
    return True


def move_to_plan(uow: UnitOfWork, actor: Actor, order_id: int, move: Change) -> OrderPublic:
    """Move an order not yet released to a plan decided elsewhere (see oms.services.plan_moves)."""
    return _act(uow, actor, order_id, Permission.ORDER_REROUTE, "reroute", "order.rerouted", move)
