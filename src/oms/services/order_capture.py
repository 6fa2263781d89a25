"""Order capture: validate, store, reserve stock, audit — in one transaction, idempotently.

A retry of the same (channel, external_id) returns the order already captured; when two retries race,
the unique index makes one of them win and the other read the winner's order. Capture is the hottest
write path, so it takes four round trips: one statement that learns everything to check and locks the
stock, allocation in Python (the domain rule), one statement that writes customer, order, lines,
allocations and reservations, then the audit log and the commit.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import Connection, text

from oms.domain.allocation import Allocation, LineRequest
from oms.domain.atp import Protection
from oms.domain.order_status import OrderStatus, line_status, order_status_from_lines
from oms.services.actor import Actor, Permission
from oms.services.errors import Conflict, FieldError, ValidationFailed
from oms.services.order_models import OrderCreate, OrderPublic
from oms.services.order_queries import fetch_order, line_public
from oms.services.promise import promise_dates
from oms.services.reservations import LOCK_SQL, OrderContext, locked_rows, plan
from oms.services.uow import UnitOfWork

HELD_AT_CAPTURE = "held at capture"

# Everything capture must know before writing, and the stock of its SKUs locked, in one round trip.
_FACTS = text(
    f"""
    WITH locked AS ({LOCK_SQL})
    SELECT (SELECT json_build_object('id', id, 'hash', capture_hash) FROM orders
            WHERE channel_id = :channel AND external_id = :external_id) AS existing,
           ARRAY(SELECT sku FROM products WHERE sku = ANY(:skus) AND active) AS known_skus,
           EXISTS (SELECT 1 FROM channels WHERE id = :channel) AS channel_ok,
           EXISTS (SELECT 1 FROM nodes WHERE id = :pickup AND active
                   AND 'pickup' = ANY(fulfilment_types)) AS pickup_ok,
           (SELECT coalesce(json_agg(json_build_object('sku', sku, 'node_id', node_id, 'quantity', quantity,
                                                       'share', share)), '[]'::json)
            FROM channel_protections WHERE channel_id = :channel AND (sku IS NULL OR sku = ANY(:skus)))
             AS protections,
           (SELECT coalesce(json_agg(locked), '[]'::json) FROM locked) AS locked
    """
)
_EXISTING = text("SELECT id, capture_hash FROM orders WHERE channel_id = :channel AND external_id = :external_id")
# The whole order in one statement. The customer is upserted with a no-op update so that RETURNING always
# yields its row, even when a concurrent order created it a moment ago. When the order already exists (a
# racing retry won), nothing below `new_order` writes and the statement returns no row.
_WRITE = text(
    """
    WITH customer AS (
      INSERT INTO customers (email, name, phone) VALUES (:email, :name, :phone)
      ON CONFLICT (email) DO UPDATE SET email = excluded.email
      RETURNING id, name, email),
    new_order AS (
      INSERT INTO orders (channel_id, external_id, customer_id, status, hold_type, hold_reason, service_level,
                          pickup_node_id, ship_to, ship_to_country, currency, total_amount,
                          promised_ship_date, promised_delivery_date, notes, capture_hash)
      SELECT :channel, :external_id, customer.id, :status, :hold_type, :hold_reason, :service_level,
             :pickup_node_id, CAST(:ship_to AS jsonb), :country, :currency, :total, :promised_ship,
             :promised_delivery, :notes, :hash
      FROM customer
      ON CONFLICT (channel_id, external_id) DO NOTHING
      RETURNING id, created_at),
    lines AS (
      INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, status)
      SELECT new_order.id, v.line_no, v.sku, v.qty, v.price, v.status
      FROM new_order, unnest(CAST(:line_nos AS int[]), CAST(:skus AS text[]), CAST(:qtys AS int[]),
                             CAST(:prices AS numeric[]), CAST(:statuses AS text[]))
                      AS v(line_no, sku, qty, price, status)
      RETURNING id, line_no),
    picks AS (
      SELECT * FROM unnest(CAST(:pick_line_nos AS int[]), CAST(:pick_nodes AS text[]),
                           CAST(:pick_skus AS text[]), CAST(:pick_qtys AS int[])) AS p(line_no, node_id, sku, qty)),
    allocated AS (
      INSERT INTO allocations (order_id, order_line_id, node_id, sku, quantity)
      SELECT new_order.id, lines.id, picks.node_id, picks.sku, picks.qty
      FROM new_order, picks JOIN lines USING (line_no)),
    reserved AS (
      UPDATE inventory i SET reserved = i.reserved + s.qty, updated_at = now()
      FROM (SELECT node_id, sku, sum(qty) AS qty FROM picks GROUP BY node_id, sku) s, new_order
      WHERE i.node_id = s.node_id AND i.sku = s.sku)
    SELECT new_order.id, new_order.created_at, customer.id AS customer_id, customer.name, customer.email
    FROM new_order, customer
    """
)


def capture_order(uow: UnitOfWork, actor: Actor, cmd: OrderCreate) -> tuple[OrderPublic, bool]:
    """Returns the order and whether this call created it (False: an earlier call did)."""
    actor.require(Permission.ORDER_CAPTURE)
    actor.require_channel(cmd.channel)
    digest = hashlib.sha256(cmd.model_dump_json().encode()).hexdigest()
    with uow:
        facts = uow.conn.execute(_FACTS, _facts_params(cmd)).one()
        if facts.existing:
            return _replay(uow.conn, cmd, facts.existing["id"], facts.existing["hash"], digest), False
        _validate(cmd, facts)
        context = OrderContext(cmd.channel, cmd.service_level, cmd.pickup_node_id)
        requests = [LineRequest(no, line.sku, line.quantity) for no, line in enumerate(cmd.lines, start=1)]
        picks = plan(locked_rows(facts.locked), context, requests, _protections(cmd.channel, facts.protections))
        decided = _decide(uow.conn, cmd, picks)
        written = uow.conn.execute(_WRITE, _write_params(cmd, decided, picks, digest)).one_or_none()
        if written is None:  # a concurrent retry won the race; answer with its order
            uow.conn.rollback()
            row = uow.conn.execute(_EXISTING, {"channel": cmd.channel, "external_id": cmd.external_id}).one()
            return _replay(uow.conn, cmd, row.id, row.capture_hash, digest), False
        order = _answer(cmd, decided, written)
        uow.record(actor, "order.created", "order", order.id, after=order.model_dump(mode="json"),
                   order_id=order.id, publish="order.created")
        if picks:
            allocated = {
                "status": order.status,
                "lines": [line.model_dump(mode="json", include={"line_no", "sku", "status", "allocations"})
                          for line in order.lines],
            }
            uow.record(actor, "order.allocated", "order", order.id, after=allocated, order_id=order.id,
                       publish="order.allocated")
        uow.commit()
    return order, True


def _replay(conn: Connection, cmd: OrderCreate, order_id: int, stored_hash: str, digest: str) -> OrderPublic:
    if stored_hash != digest:
        raise Conflict(
            f"order '{cmd.external_id}' of channel '{cmd.channel}' was already captured with different content"
        )
    return fetch_order(conn, order_id)


def _facts_params(cmd: OrderCreate) -> dict:
    skus = [line.sku for line in cmd.lines]
    return {"channel": cmd.channel, "external_id": cmd.external_id, "skus": sorted(set(skus)),
            "pickup": cmd.pickup_node_id}  # fmt: skip


def _validate(cmd: OrderCreate, facts) -> None:
    known = set(facts.known_skus)
    errors = [] if facts.channel_ok else [
        FieldError(("channel",), f"unknown channel '{cmd.channel}'", "unknown_channel")
    ]
    errors += [
        FieldError(("lines", i, "sku"), f"unknown or inactive SKU '{line.sku}'", "unknown_sku")
        for i, line in enumerate(cmd.lines)
        if line.sku not in known
    ]
    if cmd.service_level == "pickup" and not cmd.pickup_node_id:
        errors.append(FieldError(("pickup_node_id",), "pickup orders need the collecting store", "missing"))
    elif cmd.service_level == "pickup" and not facts.pickup_ok:
        errors.append(FieldError(("pickup_node_id",), f"'{cmd.pickup_node_id}' is no active pickup store", "invalid"))
    if errors:
        raise ValidationFailed(errors)


def _total(cmd: OrderCreate) -> Decimal:
    return sum((line.unit_price * line.quantity for line in cmd.lines), Decimal(0))


def _protections(channel_id: str, rows: list[dict]) -> list[Protection]:
    return [
        Protection(channel_id, r["sku"], r["node_id"], r["quantity"],
                   None if r["share"] is None else Decimal(str(r["share"])))
        for r in rows
    ]


@dataclass(frozen=True, slots=True)
class _Decision:
    """What capture decided before writing: line and order statuses, promised dates."""

    status: str
    lines: list[dict]  # public lines: the command's, numbered, with status and allocations
    promised_ship_date: date | None
    promised_delivery_date: date | None


def _decide(conn: Connection, cmd: OrderCreate, picks: list[Allocation]) -> _Decision:
    """Line statuses from what was allocated, the order's status from its lines, and the dates promised
    from where the stock was found (a date promised at checkout is kept)."""
    allocations: dict[int, list[dict]] = {no: [] for no in range(1, len(cmd.lines) + 1)}
    shipments: dict[str, list[tuple[str, int]]] = {}
    for pick in picks:
        allocations[pick.line_no].append({"node_id": pick.node_id, "quantity": pick.quantity})
        shipments.setdefault(pick.node_id, []).append((pick.sku, pick.quantity))
    lines = []
    for no, line in enumerate(cmd.lines, start=1):
        status = line_status(line.quantity, sum(a["quantity"] for a in allocations[no])).value
        lines.append(line_public({**line.model_dump(), "line_no": no, "status": status, "allocations": allocations[no]}))
    status = OrderStatus.ON_HOLD if cmd.hold else order_status_from_lines(line["status"] for line in lines)
    ship_date, delivery_date = promise_dates(conn, shipments, cmd.ship_to.postal_code, cmd.ship_to.country,
                                             cmd.service_level, datetime.now(UTC))  # fmt: skip
    return _Decision(status.value, lines, ship_date, cmd.promised_delivery_date or delivery_date)


def _write_params(cmd: OrderCreate, decided: _Decision, picks: list[Allocation], digest: str) -> dict:
    return {
        **cmd.customer.model_dump(),
        "channel": cmd.channel,
        "external_id": cmd.external_id,
        "status": decided.status,
        "hold_type": cmd.hold.value if cmd.hold else None,
        "hold_reason": HELD_AT_CAPTURE if cmd.hold else None,
        "service_level": cmd.service_level,
        "pickup_node_id": cmd.pickup_node_id,
        "ship_to": cmd.ship_to.model_dump_json(),
        "country": cmd.ship_to.country,
        "currency": cmd.currency,
        "total": _total(cmd),
        "promised_ship": decided.promised_ship_date,
        "promised_delivery": decided.promised_delivery_date,
        "notes": cmd.notes,
        "hash": digest,
        "line_nos": [line["line_no"] for line in decided.lines],
        "skus": [line["sku"] for line in decided.lines],
        "qtys": [line["quantity"] for line in decided.lines],
        "prices": [line["unit_price"] for line in decided.lines],
        "statuses": [line["status"] for line in decided.lines],
        "pick_line_nos": [p.line_no for p in picks],
        "pick_nodes": [p.node_id for p in picks],
        "pick_skus": [p.sku for p in picks],
        "pick_qtys": [p.quantity for p in picks],
    }


def _answer(cmd: OrderCreate, decided: _Decision, written) -> OrderPublic:
    """The order as written: the command, what capture decided, what the database assigned."""
    return OrderPublic(
        id=written.id,
        channel=cmd.channel,
        external_id=cmd.external_id,
        status=decided.status,
        hold_type=cmd.hold.value if cmd.hold else None,
        hold_reason=HELD_AT_CAPTURE if cmd.hold else None,
        customer={"id": written.customer_id, "name": written.name, "email": written.email},
        ship_to=cmd.ship_to.model_dump(mode="json"),
        service_level=cmd.service_level,
        currency=cmd.currency,
        total_amount=_total(cmd),
        promised_ship_date=decided.promised_ship_date,
        promised_delivery_date=decided.promised_delivery_date,
        notes=cmd.notes,
        version=1,
        created_at=written.created_at,
        updated_at=written.created_at,  # one transaction, one clock
        lines=decided.lines,
    )
