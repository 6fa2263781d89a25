"""Reading fulfilment orders: one with its lines, shipments and WMS events, or a filtered page."""

from sqlalchemy import Connection, select, text

from oms.db.tables import fulfilment_orders
from oms.services.actor import Actor, Permission
from oms.services.errors import NotFound
from oms.services.fulfilment_models import (
    FulfilmentOrderDetail,
    FulfilmentOrderPage,
    FulfilmentOrderPublic,
    FulfilmentOrderQuery,
    ShipmentPublic,
    WmsEventSummary,
)
from oms.services.pagination import fetch_page
from oms.services.uow import UnitOfWork

# A fulfilment order's lines as JSON, for a statement selecting from `fulfilment_orders f`.
LINES_JSON = """
    coalesce((SELECT json_agg(json_build_object(
                'line_no', l.line_no, 'sku', fl.sku, 'quantity', fl.quantity,
                'shipped_quantity', fl.shipped_quantity, 'short_quantity', fl.short_quantity,
                'rejected_quantity', fl.rejected_quantity,
                'open_quantity', fl.quantity - fl.shipped_quantity - fl.short_quantity - fl.rejected_quantity)
              ORDER BY l.line_no)
              FROM fulfilment_order_lines fl JOIN order_lines l ON l.id = fl.order_line_id
              WHERE fl.fulfilment_order_id = f.id), '[]'::json)
"""
_ONE = text(f"SELECT f.*, {LINES_JSON} AS lines FROM fulfilment_orders f WHERE f.id = :id")
_SHIPMENTS = text(
    """
    SELECT s.id, s.order_id, s.node_id, s.fulfilment_order_id, s.carrier, s.carrier_service, s.service_level,
           s.tracking_number, s.status, s.units, s.weight_kg, s.parcels, s.shipped_at, s.delivered_at,
           s.promised_delivery_date,
           coalesce((SELECT json_agg(json_build_object('line_no', l.line_no, 'sku', sl.sku, 'quantity', sl.quantity)
                                     ORDER BY l.line_no)
                     FROM shipment_lines sl JOIN order_lines l ON l.id = sl.order_line_id
                     WHERE sl.shipment_id = s.id), '[]'::json) AS lines
    FROM shipments s WHERE s.fulfilment_order_id = :id ORDER BY s.id
    """
)
_EVENTS = text(
    """
    SELECT event_id, type, occurred_at, created_at AS received_at, actor,
           coalesce((outcome->>'applied')::boolean, false) AS applied
    FROM wms_events WHERE fulfilment_order_id = :id ORDER BY occurred_at, id
    """
)


def fulfilment_view(row) -> FulfilmentOrderPublic:
    """A row of `fulfilment_orders` with its `lines` (LINES_JSON) as the public view."""
    values = dict(row._mapping)
    sending = {k: values[k] for k in ("attempts", "next_attempt_at", "last_error", "sent_at", "wms_reference")}
    return FulfilmentOrderPublic.model_validate({**values, "sending": sending})


def fetch_fulfilment_order(conn: Connection, fulfilment_order_id: int) -> FulfilmentOrderPublic | None:
    row = conn.execute(_ONE, {"id": fulfilment_order_id}).first()
    return fulfilment_view(row) if row else None


def get_fulfilment_order(uow: UnitOfWork, actor: Actor, fulfilment_order_id: int) -> FulfilmentOrderDetail:
    actor.require(Permission.FULFILMENT_READ)
    with uow.reading():
        found = fetch_fulfilment_order(uow.conn, fulfilment_order_id)
        if found is None or (actor.node_id and found.node_id != actor.node_id):
            raise NotFound(f"no fulfilment order {fulfilment_order_id}")
        params = {"id": fulfilment_order_id}
        shipments = [ShipmentPublic.model_validate(r._mapping) for r in uow.conn.execute(_SHIPMENTS, params)]
        events = [WmsEventSummary.model_validate(r._mapping) for r in uow.conn.execute(_EVENTS, params)]
    return FulfilmentOrderDetail(**found.model_dump(), shipments=shipments, events=events)


def list_fulfilment_orders(uow: UnitOfWork, actor: Actor, query: FulfilmentOrderQuery) -> FulfilmentOrderPage:
    """Oldest first, by id; a wms key sees its node's only."""
    actor.require(Permission.FULFILMENT_READ)
    f = fulfilment_orders.alias("f")
    stmt = select(f, text(f"{LINES_JSON} AS lines")).select_from(f)
    node = actor.node_id or query.node
    if actor.node_id and query.node and query.node != actor.node_id:
        return FulfilmentOrderPage(items=[])
    if node:
        stmt = stmt.where(f.c.node_id == node)
    if query.status:
        stmt = stmt.where(f.c.status == query.status.value)
    if query.order is not None:
        stmt = stmt.where(f.c.order_id == query.order)
    with uow.reading():
        return fetch_page(uow.conn, stmt, [f.c.id], query.limit, query.cursor, FulfilmentOrderPage, fulfilment_view)
