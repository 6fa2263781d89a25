"""Reading orders: one order with its lines and reservations, searchable pages, the audit trail."""

from sqlalchemy import Connection, text

from oms.domain.order_status import LineStatus
from oms.services.actor import Actor, Permission
from oms.services.errors import NotFound
from oms.services.order_models import (
    OrderEventPublic,
    OrderListQuery,
    OrderPublic,
    OrdersPage,
    OrderSummary,
)
from oms.services.uow import UnitOfWork

# One round trip: the order, its customer, and its lines with their allocations as JSON.
_ORDER = text(
    """
    SELECT o.id, o.channel_id AS channel, o.external_id, o.status, o.hold_type, o.hold_reason,
           json_build_object('id', c.id, 'name', c.name, 'email', c.email) AS customer,
           o.ship_to, o.service_level, o.currency, o.total_amount, o.promised_ship_date,
           o.promised_delivery_date, o.notes, o.version, o.created_at, o.updated_at,
           json_build_object('source', o.source, 'payload_id', o.source_payload_id,
                             'reference', o.source_ref) AS source,
           coalesce((
             SELECT json_agg(json_build_object(
                      'line_no', l.line_no, 'sku', l.sku, 'quantity', l.quantity,
                      'unit_price', l.unit_price, 'status', l.status,
                      'shipped_quantity', l.shipped_quantity, 'delivered_quantity', l.delivered_quantity,
                      'external_line_id', l.external_line_id,
                      'allocations', coalesce((
                        SELECT json_agg(json_build_object('node_id', a.node_id, 'quantity', a.quantity)
                                        ORDER BY a.id)
                        FROM allocations a WHERE a.order_line_id = l.id), '[]'::json))
                    ORDER BY l.line_no)
             FROM order_lines l WHERE l.order_id = o.id), '[]'::json) AS lines
    FROM orders o JOIN customers c ON c.id = o.customer_id
    WHERE o.id = :id
    """
)

_FILTERS = {
    "status": "o.status = :status",
    "channel": "o.channel_id = :channel",
    "customer_email": "c.email = lower(:customer_email)",
    "external_id": "o.external_id = :external_id",
    "sku": "EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.sku = :sku)",
    "created_from": "o.created_at >= :created_from",
    "created_to": "o.created_at < :created_to",
    "cursor": "o.id < :cursor",
}


def fetch_order(conn: Connection, order_id: int) -> OrderPublic | None:
    row = conn.execute(_ORDER, {"id": order_id}).mappings().first()
    if row is None:
        return None
    return OrderPublic.model_validate({**row, "lines": [line_public(line) for line in row["lines"]]})


def line_public(line: dict) -> dict:
    """A line with what is allocated and what still waits for stock: neither reserved nor shipped (nothing,
    once cancelled)."""
    allocated = sum(a["quantity"] for a in line["allocations"])
    waiting = line["quantity"] - allocated - line.get("shipped_quantity", 0)
    backordered = waiting if line["status"] != LineStatus.CANCELLED else 0
    return {**line, "allocated_quantity": allocated, "backordered_quantity": backordered}


def get_order(uow: UnitOfWork, actor: Actor, order_id: int) -> OrderPublic:
    actor.require(Permission.ORDER_READ)
    with uow.reading():
        order = fetch_order(uow.conn, order_id)
    if order is None or not actor.sees_channel(order.channel):
        raise NotFound(f"no order {order_id}")
    return order


def list_orders(uow: UnitOfWork, actor: Actor, query: OrderListQuery) -> OrdersPage:
    """Newest first, paged by id (keyset), so deep pages cost as little as the first."""
    actor.require(Permission.ORDER_READ)
    params = query.model_dump(exclude_none=True)
    if actor.channel_id:
        params["channel"] = actor.channel_id
    where = " AND ".join(_FILTERS[k] for k in params if k in _FILTERS) or "TRUE"
    sql = text(
        f"""
        SELECT o.id, o.channel_id AS channel, o.external_id, o.status, c.name AS customer_name,
               c.email AS customer_email, o.ship_to_country, o.service_level, o.currency, o.total_amount,
               o.promised_delivery_date, o.created_at
        FROM orders o JOIN customers c ON c.id = o.customer_id
        WHERE {where} ORDER BY o.id DESC LIMIT :fetch
        """
    )
    with uow.reading():
        rows = uow.conn.execute(sql, {**params, "fetch": query.limit + 1}).mappings().all()
    items = [OrderSummary.model_validate(r) for r in rows[: query.limit]]
    next_cursor = items[-1].id if len(rows) > query.limit else None
    return OrdersPage(items=items, next_cursor=next_cursor)


def order_events(uow: UnitOfWork, actor: Actor, order_id: int) -> list[OrderEventPublic]:
    order = get_order(uow, actor, order_id)  # same permission and channel checks as reading the order
    sql = text(
        """
        SELECT id, action, actor, actor_role, on_behalf_of, before, after, created_at
        FROM audit_events WHERE order_id = :id ORDER BY id
        """
    )
    with uow.reading():
        rows = uow.conn.execute(sql, {"id": order.id}).mappings().all()
    return [OrderEventPublic.model_validate(r) for r in rows]
