"""Order capture: validate, store, reserve stock, audit — in one transaction, idempotently.

A retry of the same (channel, external_id) returns the order already captured; when two retries race,
the unique index makes one of them win and the other read the winner's order. Capture is the hottest
write path, so each step is one statement: about ten round trips per order in all.
"""

import hashlib
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import Connection, Row, text

from oms.domain.allocation import LineRequest
from oms.domain.atp import Protection
from oms.domain.order_status import LineStatus
from oms.services.actor import Actor, Permission
from oms.services.errors import Conflict, FieldError, ValidationFailed
from oms.services.order_models import OrderCreate, OrderPublic
from oms.services.order_queries import fetch_order, line_public
from oms.services.order_status_sync import LineState, sync_statuses
from oms.services.promise import promise_dates
from oms.services.reservations import OrderContext, lock_inventory, reserve
from oms.services.uow import UnitOfWork

HELD_AT_CAPTURE = "held at capture"

# Everything capture must know before writing, in one round trip.
_PRECHECK = text(
    """
    SELECT (SELECT json_build_object('id', id, 'hash', capture_hash) FROM orders
            WHERE channel_id = :channel AND external_id = :external_id) AS existing,
           ARRAY(SELECT sku FROM products WHERE sku = ANY(:skus) AND active) AS known_skus,
           EXISTS (SELECT 1 FROM channels WHERE id = :channel) AS channel_ok,
           EXISTS (SELECT 1 FROM nodes WHERE id = :pickup AND active
                   AND 'pickup' = ANY(fulfilment_types)) AS pickup_ok,
           (SELECT coalesce(json_agg(json_build_object('sku', sku, 'node_id', node_id, 'quantity', quantity,
                                                       'share', share)), '[]'::json)
            FROM channel_protections WHERE channel_id = :channel AND (sku IS NULL OR sku = ANY(:skus)))
             AS protections
    """
)
_EXISTING = text("SELECT id, capture_hash FROM orders WHERE channel_id = :channel AND external_id = :external_id")
_CUSTOMER = text(
    """
    WITH new AS (
      INSERT INTO customers (email, name, phone) VALUES (:email, :name, :phone)
      ON CONFLICT (email) DO NOTHING RETURNING id)
    SELECT id, :name AS name, :email AS email FROM new
    UNION ALL SELECT id, name, email FROM customers WHERE email = :email
    """
)
_FIND_CUSTOMER = text("SELECT id, name, email FROM customers WHERE email = :email")
_INSERT_ORDER = text(
    """
    WITH new_order AS (
      INSERT INTO orders (channel_id, external_id, customer_id, status, hold_type, hold_reason, service_level,
                          pickup_node_id, ship_to, ship_to_country, currency, total_amount,
                          promised_delivery_date, notes, capture_hash)
      VALUES (:channel, :external_id, :customer_id, 'received', :hold_type, :hold_reason, :service_level,
              :pickup_node_id, CAST(:ship_to AS jsonb), :country, :currency, :total, :promised, :notes, :hash)
      ON CONFLICT (channel_id, external_id) DO NOTHING
      RETURNING id)
    INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, status)
    SELECT new_order.id, v.line_no, v.sku, v.qty, v.price, 'backordered'
    FROM new_order, unnest(CAST(:line_nos AS int[]), CAST(:skus AS text[]), CAST(:qtys AS int[]),
                           CAST(:prices AS numeric[])) AS v(line_no, sku, qty, price)
    RETURNING order_id, id, line_no, now() AS created_at
    """
)
def capture_order(uow: UnitOfWork, actor: Actor, cmd: OrderCreate) -> tuple[OrderPublic, bool]:
    """Returns the order and whether this call created it (False: an earlier call did)."""
    actor.require(Permission.ORDER_CAPTURE)
    actor.require_channel(cmd.channel)
    digest = hashlib.sha256(cmd.model_dump_json().encode()).hexdigest()
    with uow:
        facts = uow.conn.execute(_PRECHECK, _precheck_params(cmd)).one()
        if facts.existing:
            return _replay(uow.conn, cmd, facts.existing["id"], facts.existing["hash"], digest), False
        _validate(cmd, facts)
        customer = _customer(uow.conn, cmd)
        lines = uow.conn.execute(_INSERT_ORDER, _order_params(cmd, customer.id, digest)).all()
        if not lines:  # a concurrent retry won the race; answer with its order
            uow.conn.rollback()
            row = uow.conn.execute(_EXISTING, {"channel": cmd.channel, "external_id": cmd.external_id}).one()
            return _replay(uow.conn, cmd, row.id, row.capture_hash, digest), False
        order_id = lines[0].order_id
        order = _reserve(uow.conn, cmd, customer, lines, _protections(cmd.channel, facts.protections))
        uow.record(actor, "order.created", "order", order_id, after=order.model_dump(mode="json"),
                   order_id=order_id, publish="order.created")
        if any(line.allocations for line in order.lines):
            allocated = {
                "status": order.status,
                "lines": [line.model_dump(mode="json", include={"line_no", "sku", "status", "allocations"})
                          for line in order.lines],
            }
            uow.record(actor, "order.allocated", "order", order_id, after=allocated, order_id=order_id,
                       publish="order.allocated")
        uow.commit()
    return order, True


def _replay(conn: Connection, cmd: OrderCreate, order_id: int, stored_hash: str, digest: str) -> OrderPublic:
    if stored_hash != digest:
        raise Conflict(
            f"order '{cmd.external_id}' of channel '{cmd.channel}' was already captured with different content"
        )
    return fetch_order(conn, order_id)


def _precheck_params(cmd: OrderCreate) -> dict:
    return {
        "channel": cmd.channel,
        "external_id": cmd.external_id,
        "skus": [line.sku for line in cmd.lines],
        "pickup": cmd.pickup_node_id,
    }


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


def _customer(conn: Connection, cmd: OrderCreate) -> Row:
    """The customer with this email (id, name, email), created on first order. When a concurrent order
    creates it first, the insert does nothing and this statement's snapshot cannot see the winner's row:
    a new statement (new snapshot) finds it."""
    params = cmd.customer.model_dump()
    return conn.execute(_CUSTOMER, params).first() or conn.execute(_FIND_CUSTOMER, params).one()


def _order_params(cmd: OrderCreate, customer_id: int, digest: str) -> dict:
    return {
        "channel": cmd.channel,
        "external_id": cmd.external_id,
        "customer_id": customer_id,
        "hold_type": cmd.hold.value if cmd.hold else None,
        "hold_reason": HELD_AT_CAPTURE if cmd.hold else None,
        "service_level": cmd.service_level,
        "pickup_node_id": cmd.pickup_node_id,
        "ship_to": cmd.ship_to.model_dump_json(),
        "country": cmd.ship_to.country,
        "currency": cmd.currency,
        "total": _total(cmd),
        "promised": cmd.promised_delivery_date,
        "notes": cmd.notes,
        "hash": digest,
        "line_nos": list(range(1, len(cmd.lines) + 1)),
        "skus": [line.sku for line in cmd.lines],
        "qtys": [line.quantity for line in cmd.lines],
        "prices": [line.unit_price for line in cmd.lines],
    }


def _total(cmd: OrderCreate) -> Decimal:
    return sum((line.unit_price * line.quantity for line in cmd.lines), Decimal(0))


def _protections(channel_id: str, rows: list[dict]) -> list[Protection]:
    return [
        Protection(channel_id, r["sku"], r["node_id"], r["quantity"],
                   None if r["share"] is None else Decimal(str(r["share"])))
        for r in rows
    ]


def _reserve(conn: Connection, cmd: OrderCreate, customer: Row, lines: list[Row],
             protections: list[Protection]) -> OrderPublic:
    """Reserve the lines, set their statuses and the dates promised from where the stock was found, and
    answer the order as written (reading it back would cost a round trip on the hottest path)."""
    order_id = lines[0].order_id
    requests = [(r.id, LineRequest(r.line_no, cmd.lines[r.line_no - 1].sku, cmd.lines[r.line_no - 1].quantity))
                for r in lines]
    locked = lock_inventory(conn, [line.sku for line in cmd.lines])
    context = OrderContext(order_id, cmd.channel, cmd.service_level, cmd.pickup_node_id)
    allocations: dict[int, list[dict]] = {line_id: [] for line_id, _ in requests}
    shipments: dict[str, list[tuple[str, int]]] = {}
    for line_id, allocation in reserve(conn, locked, context, requests, protections):
        allocations[line_id].append({"node_id": allocation.node_id, "quantity": allocation.quantity})
        shipments.setdefault(allocation.node_id, []).append((allocation.sku, allocation.quantity))
    states = [LineState(line_id, req.quantity, LineStatus.BACKORDERED.value,
                        sum(a["quantity"] for a in allocations[line_id])) for line_id, req in requests]
    promised = promise_dates(conn, shipments, cmd.ship_to.postal_code, cmd.ship_to.country,
                             cmd.service_level, datetime.now(UTC))
    statuses = sync_statuses(conn, order_id, on_hold=cmd.hold is not None, lines=states, promised=promised)
    written = [
        line_public({**cmd.lines[req.line_no - 1].model_dump(), "line_no": req.line_no,
                     "status": statuses.lines[line_id], "allocations": allocations[line_id]})
        for line_id, req in requests
    ]
    return OrderPublic(
        id=order_id,
        channel=cmd.channel,
        external_id=cmd.external_id,
        status=statuses.order.value,
        hold_type=cmd.hold.value if cmd.hold else None,
        hold_reason=HELD_AT_CAPTURE if cmd.hold else None,
        customer=customer._asdict(),
        ship_to=cmd.ship_to.model_dump(mode="json"),
        service_level=cmd.service_level,
        currency=cmd.currency,
        total_amount=_total(cmd),
        promised_ship_date=promised[0],
        promised_delivery_date=cmd.promised_delivery_date or promised[1],
        notes=cmd.notes,
        version=1,
        created_at=lines[0].created_at,
        updated_at=lines[0].created_at,  # the transaction's clock, as now() in the status update
        lines=written,
    )
