"""Inbound WMS events (POST /api/v1/wms/events): what a node reports about a fulfilment order.

Idempotent by event id (per node): the event is stored in the transaction that applies it, right after
the order row is locked, so a concurrent duplicate waits on that lock and then finds it; the same id with
the same body gets the first answer and changes nothing, with another body 409. An event refused (4xx)
stores nothing. (Storing it before taking the order lock would deadlock: the event row's foreign key
share-locks the fulfilment order that a concurrent event, holding the order, wants to lock.)

Out of order: milestones keep their earliest known time and the status is derived from the furthest one
(oms.domain.fulfilment), so a shipment implies the pick and the pack, and a late `picked` is stored but
moves nothing. Locks: the order row, then the fulfilment order, then the inventory rows of its SKUs (at
every node, in the global order), as every other order command does.
"""

import hashlib
from dataclasses import dataclass, field

import orjson
from sqlalchemy import Row, text

from oms.domain.fulfilment import Milestone
from oms.services import promise_listener
from oms.services.actor import Actor, Permission
from oms.services.errors import Conflict, NotFound
from oms.services.fulfilment_queries import fetch_fulfilment_order
from oms.services.fulfilment_shortfall import Shortfall, fall_short
from oms.services.fulfilment_state import (
    LockedFulfilment,
    lock_fulfilment,
    reach,
    refresh_status,
    resolve_lines,
)
from oms.services.order_actions import LOCK_ORDER
from oms.services.order_status_sync import sync_statuses
from oms.services.reservations import lock_inventory
from oms.services.shipment_progress import record_order_progress, ship
from oms.services.stock_discrepancy import reroute_over_reserved
from oms.services.uow import UnitOfWork
from oms.services.wms_event_models import (
    Rejected,
    Shipped,
    ShortPicked,
    WmsEvent,
    WmsEventOutcome,
)

_TARGET = text("SELECT id, order_id, node_id FROM fulfilment_orders WHERE id = :id")
_STORE = text(
    """
    INSERT INTO wms_events (node_id, event_id, fulfilment_order_id, type, occurred_at, body_hash, body, actor)
    VALUES (:node, :event_id, :fo, :type, :at, :hash, CAST(:body AS jsonb), :actor)
    ON CONFLICT (node_id, event_id) DO NOTHING
    RETURNING id
    """
)
_STORED = text("SELECT body_hash, outcome FROM wms_events WHERE node_id = :node AND event_id = :event_id")
_OUTCOME = text("UPDATE wms_events SET outcome = CAST(:outcome AS jsonb) WHERE id = :id")
# Any event means the node has the fulfilment order, or it is closed: sending it again (after a send
# that failed on our side, or to a node whose release ops rejected) would have the node pick it anew.
_STOP_SENDING = text(
    """
    UPDATE fulfilment_orders SET next_attempt_at = NULL, wms_reference = coalesce(wms_reference, :reference)
    WHERE id = :id
    """
)
_REASON = text("UPDATE fulfilment_orders SET reason = :reason WHERE id = :id")
# Each parcel's own tracking number, by which carrier events find the shipment (oms.services.tracking_events).
_PARCELS = text(
    """
    INSERT INTO shipment_parcels (shipment_id, tracking_number)
    SELECT :id, n FROM unnest(CAST(:numbers AS text[])) AS n ON CONFLICT DO NOTHING
    """
)


Taking = Shipped | ShortPicked | Rejected  # events that take units out of the fulfilment order


@dataclass
class _Applied:
    """What applying an event did, besides the fulfilment order's own status."""

    order_status: str
    shipment_id: int | None = None
    shortfall: Shortfall = field(default_factory=Shortfall)
    skus: list[str] = field(default_factory=list)  # whose stock changed
    outcome: WmsEventOutcome | None = None


def post_event(uow: UnitOfWork, actor: Actor, event: WmsEvent) -> tuple[WmsEventOutcome, bool]:
    """Apply `event` once; (its outcome, whether this call applied it: False for a retry)."""
    actor.require(Permission.FULFILMENT_REPORT)
    body = orjson.dumps(event.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)
    digest = hashlib.sha256(body).hexdigest()
    with uow:
        target = uow.conn.execute(_TARGET, {"id": event.fulfilment_order_id}).first()
        if target is None:
            raise NotFound(f"no fulfilment order {event.fulfilment_order_id}")
        actor.require_node(target.node_id)
        order = uow.conn.execute(LOCK_ORDER, {"id": target.order_id}).one()  # before the event row: see above
        key = {"node": target.node_id, "event_id": event.event_id}
        row_id = uow.conn.execute(_STORE, {**key, "fo": target.id, "type": event.type, "at": event.occurred_at,
                                           "hash": digest, "body": body.decode(), "actor": actor.name}).scalar()  # fmt: skip
        if row_id is None:
            return _replay(uow, key, digest), False
        applied = _apply(uow, actor, order, event, row_id)
        uow.conn.execute(_OUTCOME, {"id": row_id, "outcome": applied.outcome.model_dump_json()})
        uow.commit()
    promise_listener.reserved(uow.engine, applied.skus)
    if applied.shortfall.positions:  # orders not yet released may now over-reserve what is left
        reroute_over_reserved(uow, actor, applied.shortfall.positions)
    return applied.outcome, True


def _replay(uow: UnitOfWork, key: dict, digest: str) -> WmsEventOutcome:
    stored = uow.conn.execute(_STORED, key).one()
    if stored.body_hash != digest:
        raise Conflict(f"event '{key['event_id']}' was already received with another body")
    return WmsEventOutcome.model_validate(stored.outcome)


def _apply(uow: UnitOfWork, actor: Actor, order: Row, event: WmsEvent, row_id: int) -> _Applied:
    fulfilment = lock_fulfilment(uow.conn, event.fulfilment_order_id)
    before = fetch_fulfilment_order(uow.conn, fulfilment.id)
    if isinstance(event, Taking):
        applied = _take(uow, actor, order, fulfilment, event, row_id)
    else:
        reach(uow.conn, fulfilment.id, Milestone[event.type.upper()], event.occurred_at)
        applied = _Applied(order.status)
    uow.conn.execute(_STOP_SENDING, {"id": fulfilment.id, "reference": getattr(event, "wms_reference", None)})
    status_before, status_after = refresh_status(uow.conn, fulfilment.id)
    moved = status_after != status_before or isinstance(event, Taking)  # a late milestone moves nothing
    applied.outcome = WmsEventOutcome(
        event_id=event.event_id, fulfilment_order_id=fulfilment.id, type=event.type, applied=moved,
        status=status_after, order_status=applied.order_status, shipment_id=applied.shipment_id,
        released=applied.shortfall.released, backordered=applied.shortfall.backordered,
    )  # fmt: skip
    after = fetch_fulfilment_order(uow.conn, fulfilment.id).model_dump(mode="json") | {"event": event.event_id}
    uow.record(actor, f"fulfilment.{event.type}", "fulfilment_order", fulfilment.id,
               before=before.model_dump(mode="json"), after=after, order_id=order.id,
               publish=f"fulfilment.{event.type}" if moved else None)  # fmt: skip
    return applied


def _take(uow: UnitOfWork, actor: Actor, order: Row, fulfilment: LockedFulfilment, event: Taking,
          row_id: int) -> _Applied:  # fmt: skip
    """Ship, short pick or reject units of the fulfilment order: the lines the event names, else all
    still open."""
    units = resolve_lines(fulfilment, event.lines) if getattr(event, "lines", None) else fulfilment.open_lines()
    if not units:
        raise Conflict(f"fulfilment order {fulfilment.id} has nothing open ({fulfilment.status.value})")
    locked = lock_inventory(uow.conn, [line.sku for line in units])
    shipment_id, shortfall = None, Shortfall()
    if isinstance(event, Shipped):
        shipment_id = ship(uow, actor, fulfilment, units, event)
        numbers = {p.tracking_number for p in event.parcels if p.tracking_number}
        if numbers:
            uow.conn.execute(_PARCELS, {"id": shipment_id, "numbers": sorted(numbers)})
    else:
        reach(uow.conn, fulfilment.id, Milestone.ACKNOWLEDGED, event.occurred_at)  # the node has it, at least
        if isinstance(event, Rejected):
            uow.conn.execute(_REASON, {"id": fulfilment.id, "reason": event.reason})
        kind = "short" if isinstance(event, ShortPicked) else "rejected"
        shortfall = fall_short(uow, actor, order, fulfilment, units, kind, locked, row_id)
    order_status = record_order_progress(uow, actor, order.id, sync_statuses(uow.conn, order.id, on_hold=False))
    return _Applied(order_status, shipment_id, shortfall, sorted({line.sku for line in units}))
