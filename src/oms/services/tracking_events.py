"""Carrier tracking events: each stored once per carrier and event id with the answer it got, applied to
its shipment by the rules of oms.domain.tracking. A delivery goes through the shipment's delivery
(oms.services.shipment_progress: delivered units, line and order statuses, order.delivered); an exception
raises a shipment_exception alert, resolved by the next event that moves the parcel on; a return to sender
raises a returned_to_sender alert (restocking the parcel, once back, is the returns flow's).

An event names the shipment's main tracking number or one of its parcels' (shipment_parcels: each box of a
multi-parcel shipment has its own). On the main number it speaks for the whole shipment. On a parcel's it
moves that parcel, by the same rules; the shipment follows, except that it is delivered only once every
parcel is (at the time the last one landed). An exception or return to sender of one parcel is the
shipment's.

A batch is one transaction: every event is checked first (its shipment known, its id not reused for other
content), so a bad one refuses the whole batch and nothing is stored. Orders, then shipments, are locked
in id order, so concurrent batches never deadlock and the same event sent twice at once is applied once.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, text

from oms.domain.alerts import AlertKind, Severity, dedupe_key
from oms.domain.tracking import TIMES, TrackingState, TrackingStatus, moves
from oms.services.actor import Actor, Permission
from oms.services.alert_models import AlertSubject
from oms.services.alerts import AlertDraft, raise_alert, resolve_conditions
from oms.services.errors import Conflict, FieldError, ValidationFailed
from oms.services.shipment_progress import mark_shipment_delivered
from oms.services.shipping_costs import record_charge
from oms.services.tracking_models import TrackingEventIn, TrackingOutcome
from oms.services.uow import UnitOfWork

# A carrier may scan a parcel before the WMS reports it shipped, but not days before: such an event is a
# wrong date (a delivery before it shipped would count as on time, with a negative transit).
BEFORE_SHIPPED_TOLERANCE = timedelta(days=1)

# The latest shipment of each (carrier, tracking number), by position in the batch: numbers get reused.
# Its main number, else one of its parcels'.
_FIND = text(
    """
    SELECT DISTINCT ON (v.i) v.i, m.id, m.parcel
    FROM unnest(CAST(:carriers AS text[]), CAST(:numbers AS text[])) WITH ORDINALITY AS v(carrier, number, i)
    JOIN LATERAL (
      SELECT s.id, false AS parcel FROM shipments s
      WHERE s.tracking_number = v.number AND lower(s.carrier) = lower(v.carrier)
      UNION ALL
      SELECT s.id, true FROM shipment_parcels p JOIN shipments s ON s.id = p.shipment_id
      WHERE p.tracking_number = v.number AND lower(s.carrier) = lower(v.carrier)
    ) m ON true
    ORDER BY v.i, m.id DESC, m.parcel
    """
)
_LOCK_ORDERS = text("SELECT id FROM orders WHERE id IN (SELECT order_id FROM shipments WHERE id = ANY(:ids)) "
                    "ORDER BY id FOR UPDATE")  # fmt: skip
_LOCK_SHIPMENTS = text(
    """
    SELECT id, order_id, fulfilment_order_id, node_id, carrier, tracking_number, status, status_at, shipped_at
    FROM shipments WHERE id = ANY(:ids) ORDER BY id FOR UPDATE
    """
)
_KNOWN = text(
    """
    SELECT e.carrier, e.event_id, e.body_hash, e.outcome
    FROM tracking_events e
    JOIN unnest(CAST(:carriers AS text[]), CAST(:ids AS text[])) AS v(carrier, event_id)
      ON e.carrier = v.carrier AND e.event_id = v.event_id
    """
)
_PARCEL = text("SELECT status, status_at FROM shipment_parcels WHERE shipment_id = :id AND tracking_number = :number")
_MOVE_PARCEL = text(
    """
    UPDATE shipment_parcels SET status = CAST(:status AS text), status_at = :at,
           delivered_at = CASE WHEN CAST(:status AS text) = 'delivered' THEN CAST(:at AS timestamptz) END
    WHERE shipment_id = :id AND tracking_number = :number
    """
)
# When every parcel has landed: the last one's landing.
_ALL_DELIVERED = text(
    "SELECT max(delivered_at) FROM shipment_parcels WHERE shipment_id = :id HAVING bool_and(status = 'delivered')"
)
_STORE = text(
    """
    INSERT INTO tracking_events (carrier, event_id, shipment_id, status, occurred_at, location, detail, body_hash,
                                 outcome, actor)
    VALUES (:carrier, :event_id, :shipment_id, :status, :occurred_at, :location, :detail, :body_hash,
            CAST(:outcome AS jsonb), :actor)
    """
)


@dataclass(slots=True)
class _Shipment:
    """A locked shipment, its status kept current as the batch's events apply."""

    id: int
    order_id: int
    fulfilment_order_id: int | None
    node_id: str
    carrier: str
    tracking_number: str
    status: str
    status_at: datetime | None
    shipped_at: datetime | None


@dataclass(frozen=True, slots=True)
class _Event:
    index: int
    body: TrackingEventIn  # carrier spelt as its shipment spells it
    body_hash: str
    shipment_id: int
    parcel: bool  # names one parcel of the shipment, not its main number

    @property
    def key(self) -> tuple[str, str]:
        return self.body.carrier, self.body.event_id


def record_tracking_events(uow: UnitOfWork, actor: Actor, events: list[TrackingEventIn],
                           batch: bool = True) -> list[tuple[TrackingOutcome, bool]]:  # fmt: skip
    """Apply new events and answer repeated ones with their first answer: (outcome, new?) per event, in
    the order given. `batch` says whether error pointers name `events/<i>/...` or the event's own fields."""
    actor.require(Permission.TRACKING_REPORT)
    with uow:
        found = _find_shipments(uow.conn, events, batch)
        ids = list({shipment_id for shipment_id, _ in found.values()})
        uow.conn.execute(_LOCK_ORDERS, {"ids": ids})
        shipments = {r.id: _Shipment(**r._mapping) for r in uow.conn.execute(_LOCK_SHIPMENTS, {"ids": ids})}
        _refuse_before_shipped(events, [shipments[found[i][0]] for i in range(len(events))], batch)
        todo = [_event(i, e, shipments[found[i][0]], found[i][1]) for i, e in enumerate(events)]
        answers = _known_answers(uow.conn, todo)
        new: dict[tuple[str, str], TrackingOutcome] = {}
        for event in sorted(todo, key=lambda e: (e.body.occurred_at, e.index)):
            if event.key not in answers and event.key not in new:
                new[event.key] = _apply(uow, actor, shipments[event.shipment_id], event, batch)
        uow.commit()
    first = set()
    results = []
    for event in todo:
        is_new = event.key in new and event.key not in first
        first.add(event.key)
        results.append((new.get(event.key) or answers[event.key], is_new))
    return results


def _find_shipments(conn: Connection, events: list[TrackingEventIn], batch: bool) -> dict[int, tuple[int, bool]]:
    """{position in the batch: (shipment id, by a parcel's number?)}; 422 naming every event whose
    shipment is unknown."""
    params = {"carriers": [e.carrier for e in events], "numbers": [e.tracking_number for e in events]}
    found = {row.i - 1: (row.id, row.parcel) for row in conn.execute(_FIND, params)}
    errors = [FieldError(_path(i, "tracking_number", batch), f"{e.carrier} has no shipment {e.tracking_number}",
                         "unknown_tracking_number")
              for i, e in enumerate(events) if i not in found]  # fmt: skip
    if errors:
        raise ValidationFailed(errors)
    return found


def _refuse_before_shipped(events: list[TrackingEventIn], shipments: list[_Shipment], batch: bool) -> None:
    errors = [FieldError(_path(i, "occurred_at", batch), f"is before its shipment left ({s.shipped_at:%Y-%m-%d %H:%M})",
                         "before_shipment")
              for i, (e, s) in enumerate(zip(events, shipments, strict=True))
              if s.shipped_at and e.occurred_at < s.shipped_at - BEFORE_SHIPPED_TOLERANCE]  # fmt: skip
    if errors:
        raise ValidationFailed(errors)


def _path(i: int, name: str, batch: bool) -> tuple[str | int, ...]:
    return ("events", i, name) if batch else (name,)


def _event(index: int, body: TrackingEventIn, shipment: _Shipment, parcel: bool) -> _Event:
    canonical = body.model_copy(update={"carrier": shipment.carrier})
    digest = hashlib.sha256(canonical.model_dump_json().encode()).hexdigest()
    return _Event(index, canonical, digest, shipment.id, parcel)


def _known_answers(conn: Connection, events: list[_Event]) -> dict[tuple[str, str], TrackingOutcome]:
    """The stored answers of events already applied; 409 if an event id comes back with other content
    (also within the batch)."""
    keys = list({e.key for e in events})
    stored = {(r.carrier, r.event_id): r for r in conn.execute(
        _KNOWN, {"carriers": [k[0] for k in keys], "ids": [k[1] for k in keys]})}  # fmt: skip
    hashes = {k: r.body_hash for k, r in stored.items()}
    for event in events:
        if hashes.setdefault(event.key, event.body_hash) != event.body_hash:
            raise Conflict(
                f"event '{event.body.event_id}' of {event.body.carrier} was already sent with other content"
            )
    return {k: TrackingOutcome.model_validate(r.outcome) for k, r in stored.items()}


def _apply(uow: UnitOfWork, actor: Actor, shipment: _Shipment, event: _Event, batch: bool) -> TrackingOutcome:
    body, conn = event.body, uow.conn
    at, parcel_status = body.occurred_at, None
    shipment_moves = moves(TrackingState(shipment.status, shipment.status_at), body.status, at)
    applied = shipment_moves
    if event.parcel:
        applied, parcel_status, landed = _move_parcel(conn, shipment.id, body)
        shipment_moves = shipment_moves and applied and (body.status != TrackingStatus.DELIVERED or landed is not None)
        at = landed or at
    if shipment_moves and body.status == TrackingStatus.DELIVERED:
        mark_shipment_delivered(uow, actor, shipment.id, at)
    if body.charged_cost is not None:
        record_charge(
            conn, shipment.id, body.charged_cost, body.currency, _path(event.index, "currency", batch)
        )
    _write_shipment(conn, shipment.id, body, shipment_moves, at)
    raised = []
    if shipment_moves:
        raised = _follow_up_alerts(uow, actor, shipment, body)
        shipment.status, shipment.status_at = body.status.value, at
    order_status = conn.execute(
        text("SELECT status FROM orders WHERE id = :id"), {"id": shipment.order_id}
    ).scalar()
    outcome = TrackingOutcome(**body.model_dump(include={"event_id", "carrier", "tracking_number", "status",
                                                         "occurred_at"}),
                              shipment_id=shipment.id, order_id=shipment.order_id, applied=applied,
                              shipment_status=shipment.status, parcel_status=parcel_status, order_status=order_status,
                              alerts_raised=raised)  # fmt: skip
    conn.execute(_STORE, {**body.model_dump(exclude={"tracking_number"}), "shipment_id": shipment.id,
                          "body_hash": event.body_hash, "outcome": outcome.model_dump_json(), "actor": actor.name})  # fmt: skip
    event_type = f"shipment.{body.status.value}"
    uow.record(actor, event_type, "shipment", shipment.id, after=outcome.model_dump(mode="json") | {
        "location": body.location, "detail": body.detail}, order_id=shipment.order_id,
        publish=event_type if shipment_moves else None)  # fmt: skip
    return outcome


def _move_parcel(conn: Connection, shipment_id: int, body: TrackingEventIn) -> tuple[bool, str, datetime | None]:
    """Apply the event to its parcel (its shipment locked): (moved?, the parcel's status, when the last
    parcel landed if every one has)."""
    key = {"id": shipment_id, "number": body.tracking_number}
    parcel = conn.execute(_PARCEL, key).one()
    moved = moves(TrackingState(parcel.status, parcel.status_at), body.status, body.occurred_at)
    if moved:
        conn.execute(_MOVE_PARCEL, key | {"status": body.status.value, "at": body.occurred_at})
    landed = conn.execute(_ALL_DELIVERED, {"id": shipment_id}).scalar()
    return moved, body.status.value if moved else parcel.status, landed


def _write_shipment(conn: Connection, shipment_id: int, body: TrackingEventIn, applied: bool, at: datetime) -> None:
    """The time the event proves, and (applied) the status it sets, as of `at` (the event's time, or for
    the last parcel of a shipment to land, the latest landing)."""
    sets = ["status = CASE WHEN :applied THEN :status ELSE status END",
            "status_at = CASE WHEN :applied THEN CAST(:at AS timestamptz) ELSE status_at END"]  # fmt: skip
    if body.status in TIMES:
        column, keep = TIMES[body.status]
        sets.append(f"{column} = {keep.value}({column}, CAST(:at AS timestamptz))")
    conn.execute(text(f"UPDATE shipments SET {', '.join(sets)} WHERE id = :id"),
                 {"id": shipment_id, "applied": applied, "status": body.status.value, "at": at})  # fmt: skip


def _follow_up_alerts(uow: UnitOfWork, actor: Actor, shipment: _Shipment, body: TrackingEventIn) -> list[int]:
    """Resolve the exception the parcel moved on from; raise one for an exception or a return to sender."""
    exception_key = dedupe_key(AlertKind.SHIPMENT_EXCEPTION, "shipment", shipment.id)
    if shipment.status == TrackingStatus.EXCEPTION and body.status != TrackingStatus.EXCEPTION:
        resolve_conditions(
            uow, actor, [exception_key], f"the carrier reports it {body.status.value.replace('_', ' ')}"
        )
    if body.status not in (TrackingStatus.EXCEPTION, TrackingStatus.RETURNED_TO_SENDER):
        return []
    draft = _draft(shipment, body, exception_key)
    alert = raise_alert(uow, actor, draft)
    return [alert.id] if alert else []


def _draft(shipment: _Shipment, body: TrackingEventIn, exception_key: str) -> AlertDraft:
    subject = AlertSubject(order_id=shipment.order_id, fulfilment_order_id=shipment.fulfilment_order_id,
                           shipment_id=shipment.id, node_id=shipment.node_id, carrier=shipment.carrier)  # fmt: skip
    details = {"event_id": body.event_id, "tracking_number": body.tracking_number,
               "occurred_at": body.occurred_at.isoformat(), "location": body.location, "detail": body.detail}  # fmt: skip
    said = f": {body.detail}" if body.detail else ""
    if body.status == TrackingStatus.EXCEPTION:
        return AlertDraft(AlertKind.SHIPMENT_EXCEPTION, Severity.WARNING, exception_key,
                          f"{shipment.carrier} reports an exception on {body.tracking_number}{said}", details,
                          subject)  # fmt: skip
    return AlertDraft(AlertKind.RETURNED_TO_SENDER, Severity.CRITICAL,
                      dedupe_key(AlertKind.RETURNED_TO_SENDER, "shipment", shipment.id),
                      f"{shipment.carrier} is returning {body.tracking_number} to the sender{said}", details,
                      subject)  # fmt: skip
