"""Reading shipments with what their carriers reported: one, or those of an order. Whoever reads an
order reads its shipments (a channel key, its channel's only)."""

from sqlalchemy import Connection, text

from oms.services.actor import Actor, Permission
from oms.services.errors import NotFound
from oms.services.order_queries import get_order
from oms.services.shipment_progress import fetch_shipment
from oms.services.tracking_models import ShipmentDetail, TrackingEventPublic
from oms.services.uow import UnitOfWork

# Shipments matching a condition on `s`, with their order's channel and the times their carrier reported.
_TIMES = """
    SELECT s.id, s.order_id, o.channel_id, s.in_transit_at, s.out_for_delivery_at, s.exception_at, s.returned_at
    FROM shipments s JOIN orders o ON o.id = s.order_id WHERE {where} ORDER BY s.id
"""
_EVENTS = text(
    """
    SELECT shipment_id, event_id, status, occurred_at, location, detail, created_at AS received_at, actor,
           (outcome->>'applied')::boolean AS applied
    FROM tracking_events WHERE shipment_id = ANY(:ids) ORDER BY occurred_at, id
    """
)


def get_shipment(uow: UnitOfWork, actor: Actor, shipment_id: int) -> ShipmentDetail:
    actor.require(Permission.ORDER_READ)
    with uow.reading():
        found = _details(uow.conn, "s.id = :id", {"id": shipment_id}, actor)
    if not found:
        raise NotFound(f"no shipment {shipment_id}")
    return found[0]


def order_shipments(uow: UnitOfWork, actor: Actor, order_id: int) -> list[ShipmentDetail]:
    """The order's shipments, oldest first (404 for an order the actor may not read)."""
    get_order(uow, actor, order_id)
    with uow.reading():
        return _details(uow.conn, "s.order_id = :id", {"id": order_id}, actor)


def _details(conn: Connection, where: str, params: dict, actor: Actor) -> list[ShipmentDetail]:
    rows = [r for r in conn.execute(text(_TIMES.format(where=where)), params)
            if actor.channel_id in (None, r.channel_id)]  # fmt: skip
    events: dict[int, list[TrackingEventPublic]] = {r.id: [] for r in rows}
    for e in conn.execute(_EVENTS, {"ids": list(events)}):
        events[e.shipment_id].append(TrackingEventPublic.model_validate(e._mapping))
    return [
        ShipmentDetail(**fetch_shipment(conn, r.id).model_dump(), **_times(r), tracking=events[r.id])
        for r in rows
    ]


def _times(row) -> dict:
    return {
        k: getattr(row, k) for k in ("in_transit_at", "out_for_delivery_at", "exception_at", "returned_at")
    }
