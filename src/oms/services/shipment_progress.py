"""Shipments: made when a node ships units of a fulfilment order, delivered when the carrier says so.
Each keeps the order lines and units it carries (shipment_lines), and the order lines keep their shipped
and delivered units, from which line and order statuses are derived (oms.domain.order_status)."""

from dataclasses import dataclass
from datetime import datetime

import orjson
from sqlalchemy import Connection, text

from oms.domain.fulfilment import Milestone
from oms.domain.order_status import OrderStatus
from oms.services.actor import Actor
from oms.services.errors import NotFound
from oms.services.fulfilment_models import ShipmentPublic
from oms.services.fulfilment_state import FulfilmentLine, LockedFulfilment, reach
from oms.services.fulfilment_stock import take_allocations, take_stock
from oms.services.order_actions import LOCK_ORDER
from oms.services.order_queries import fetch_order
from oms.services.order_status_sync import sync_statuses
from oms.services.shipping_costs import record_shipped_costs
from oms.services.uow import UnitOfWork
from oms.services.wms_event_models import Shipped

_SHIP = text(
    """
    WITH v AS (
      SELECT * FROM unnest(CAST(:fo_line_ids AS bigint[]), CAST(:line_ids AS bigint[]), CAST(:skus AS text[]),
                           CAST(:qtys AS int[])) AS v(fo_line_id, line_id, sku, qty)),
    shipment AS (
      INSERT INTO shipments (order_id, node_id, carrier, carrier_service, service_level, tracking_number, status,
                             units, weight_kg, released_at, shipped_at, promised_delivery_date,
                             fulfilment_order_id, parcels)
      SELECT f.order_id, f.node_id, :carrier, :service, o.service_level, :tracking, 'shipped',
             (SELECT sum(qty) FROM v),
             coalesce(CAST(:parcel_kg AS numeric),
                      (SELECT sum(p.weight_kg * v.qty) FROM v JOIN products p ON p.sku = v.sku)),
             f.created_at, :at, f.deliver_by, f.id, CAST(:parcels AS jsonb)
      FROM fulfilment_orders f JOIN orders o ON o.id = f.order_id WHERE f.id = :fo
      RETURNING id),
    contents AS (
      INSERT INTO shipment_lines (shipment_id, order_line_id, fulfilment_order_line_id, sku, quantity)
      SELECT shipment.id, v.line_id, v.fo_line_id, v.sku, v.qty FROM shipment, v),
    fo_lines AS (
      UPDATE fulfilment_order_lines fl SET shipped_quantity = fl.shipped_quantity + v.qty
      FROM v WHERE fl.id = v.fo_line_id),
    line_counts AS (
      UPDATE order_lines l SET shipped_quantity = l.shipped_quantity + v.qty FROM v WHERE l.id = v.line_id)
    SELECT id FROM shipment
    """
)
_SHIPMENT = text(
    """
    SELECT s.*, coalesce((
             SELECT json_agg(json_build_object('line_no', l.line_no, 'sku', sl.sku, 'quantity', sl.quantity)
                             ORDER BY l.line_no)
             FROM shipment_lines sl JOIN order_lines l ON l.id = sl.order_line_id
             WHERE sl.shipment_id = s.id), '[]'::json) AS lines
    FROM shipments s WHERE s.id = :id
    """
)
_DELIVER = text(
    """
    WITH shipment AS (
      UPDATE shipments SET status = 'delivered', delivered_at = :at WHERE id = :id RETURNING id)
    UPDATE order_lines l SET delivered_quantity = l.delivered_quantity + sl.quantity
    FROM shipment_lines sl, shipment WHERE sl.shipment_id = shipment.id AND l.id = sl.order_line_id
    """
)
# Order statuses worth telling other systems about when a shipment moves an order there.
PUBLISHED = {OrderStatus.PARTIALLY_SHIPPED, OrderStatus.SHIPPED, OrderStatus.DELIVERED}


def ship(uow: UnitOfWork, actor: Actor, fulfilment: LockedFulfilment, units: dict[FulfilmentLine, int],
         event: Shipped) -> int:  # fmt: skip
    """Record a shipment of `units` of the locked fulfilment order (order and inventory rows locked by
    the caller): stock leaves the node, the order lines count the units shipped. Returns its id."""
    params = {
        "fo": fulfilment.id, "carrier": event.carrier, "service": event.service, "tracking": event.tracking_number,
        "at": event.occurred_at, "parcels": orjson.dumps([p.model_dump(mode="json") for p in event.parcels]).decode(),
        "parcel_kg": sum(p.weight_kg for p in event.parcels) if event.parcels else None,
        "fo_line_ids": [line.id for line in units], "line_ids": [line.order_line_id for line in units],
        "skus": [line.sku for line in units], "qtys": list(units.values()),
    }  # fmt: skip
    shipment_id = uow.conn.execute(_SHIP, params).scalar_one()
    record_shipped_costs(uow.conn, shipment_id, event.charged_cost, event.currency)
    take_allocations(uow.conn, fulfilment.id, {line.order_line_id: q for line, q in units.items()})
    take_stock(uow.conn, fulfilment.node_id, _by_sku(units), on_hand=True)
    reach(uow.conn, fulfilment.id, Milestone.SHIPPED, event.occurred_at)
    shipment = fetch_shipment(uow.conn, shipment_id)
    uow.record(actor, "shipment.shipped", "shipment", shipment_id, after=shipment.model_dump(mode="json"),
               order_id=fulfilment.order_id, publish="shipment.shipped")  # fmt: skip
    return shipment_id


def fetch_shipment(conn: Connection, shipment_id: int) -> ShipmentPublic | None:
    row = conn.execute(_SHIPMENT, {"id": shipment_id}).first()
    return ShipmentPublic.model_validate(row._mapping) if row else None


@dataclass(frozen=True, slots=True)
class Delivered:
    shipment: ShipmentPublic
    order_status_before: OrderStatus
    order_status: OrderStatus


def mark_shipment_delivered(uow: UnitOfWork, actor: Actor, shipment_id: int, at: datetime) -> Delivered | None:
    """The carrier delivered the shipment at `at`: its order lines count its units delivered, line and
    order statuses follow, and `order.delivered` is published when the whole order is. Runs inside the
    caller's open unit of work (the caller commits, and records the shipment's own event); locks the
    order, then the shipment. None when the shipment was already delivered (nothing changes)."""
    conn = uow.conn
    order_id = conn.execute(text("SELECT order_id FROM shipments WHERE id = :id"), {"id": shipment_id}).scalar()
    if order_id is None:
        raise NotFound(f"no shipment {shipment_id}")
    conn.execute(LOCK_ORDER, {"id": order_id})
    status = conn.execute(text("SELECT status FROM shipments WHERE id = :id FOR UPDATE"), {"id": shipment_id}).scalar()
    if status == "delivered":
        return None
    conn.execute(_DELIVER, {"id": shipment_id, "at": at})
    before = sync_statuses(conn, order_id, on_hold=False)
    after = record_order_progress(uow, actor, order_id, before)
    return Delivered(fetch_shipment(conn, shipment_id), before, after)


def record_order_progress(uow: UnitOfWork, actor: Actor, order_id: int, before: OrderStatus) -> OrderStatus:
    """After statuses were synced: bump the order's version, and record (and publish) the order reaching
    partially shipped, shipped or delivered. Returns the order's status now."""
    uow.conn.execute(text("UPDATE orders SET version = version + 1 WHERE id = :id"), {"id": order_id})
    order = fetch_order(uow.conn, order_id)
    after = OrderStatus(order.status)
    if after != before and after in PUBLISHED:
        event = f"order.{after.value}"
        uow.record(actor, event, "order", order_id, before={"status": before.value},
                   after=order.model_dump(mode="json"), order_id=order_id, publish=event)  # fmt: skip
    return after


def _by_sku(units: dict[FulfilmentLine, int]) -> dict[str, int]:
    by_sku: dict[str, int] = {}
    for line, quantity in units.items():
        by_sku[line.sku] = by_sku.get(line.sku, 0) + quantity
    return by_sku

