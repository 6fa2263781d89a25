"""Order capture: validate, store, reserve stock, promise, audit — in one transaction, idempotently.

A retry of the same (channel, external_id) returns the order already captured; when two retries race,
the unique index makes one of them win and the other read the winner's order.
"""

import hashlib

from sqlalchemy import Connection, text

from oms.domain.allocation import LineRequest
from oms.domain.order_status import OrderStatus
from oms.services.actor import Actor, Permission
from oms.services.errors import Conflict, FieldError, ValidationFailed
from oms.services.order_models import OrderCreate, OrderPublic
from oms.services.order_queries import fetch_order
from oms.services.order_status_sync import sync_statuses
from oms.services.reservations import OrderContext, lock_inventory, reserve
from oms.services.uow import UnitOfWork

_EXISTING = text("SELECT id, capture_hash FROM orders WHERE channel_id = :channel AND external_id = :external_id")
_FIND_CUSTOMER = text("SELECT id FROM customers WHERE email = :email")
_NEW_CUSTOMER = text(
    """
    INSERT INTO customers (email, name, phone) VALUES (:email, :name, :phone)
    ON CONFLICT (email) DO NOTHING RETURNING id
    """
)
_INSERT_ORDER = text(
    """
    INSERT INTO orders (channel_id, external_id, customer_id, status, hold_type, hold_reason, service_level,
                        pickup_node_id, ship_to, ship_to_country, currency, total_amount, promised_delivery_date, notes,
                        capture_hash)
    VALUES (:channel, :external_id, :customer_id, :status, :hold_type, :hold_reason, :service_level,
            :pickup_node_id, CAST(:ship_to AS jsonb), :country, :currency, :total, :promised, :notes, :hash)
    ON CONFLICT (channel_id, external_id) DO NOTHING
    RETURNING id
    """
)
_INSERT_LINES = text(
    """
    INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, status)
    SELECT :order_id, line_no, sku, qty, price, 'backordered'
    FROM unnest(CAST(:line_nos AS int[]), CAST(:skus AS text[]), CAST(:qtys AS int[]),
                CAST(:prices AS numeric[])) AS v(line_no, sku, qty, price)
    RETURNING id, line_no
    """
)


def capture_order(uow: UnitOfWork, actor: Actor, cmd: OrderCreate) -> tuple[OrderPublic, bool]:
    """Returns the order and whether this call created it (False: an earlier call did)."""
    actor.require(Permission.ORDER_CAPTURE)
    actor.require_channel(cmd.channel)
    digest = hashlib.sha256(cmd.model_dump_json().encode()).hexdigest()
    with uow:
        existing = _existing(uow.conn, cmd, digest)
        if existing:
            return existing, False
        _validate_references(uow.conn, cmd)
        customer_id = _customer_id(uow.conn, cmd)
        order_id = _insert_order(uow.conn, cmd, customer_id, digest)
        if order_id is None:  # a concurrent retry won the race; answer with its order
            uow.conn.rollback()
            return _existing(uow.conn, cmd, digest), False
        _reserve_lines(uow.conn, cmd, order_id)
        order = fetch_order(uow.conn, order_id)
        uow.record(actor, "order.created", "order", order_id, after=order.model_dump(mode="json"),
                   order_id=order_id, publish="order.created")
        allocated = [a for line in order.lines for a in line.allocations]
        if allocated:
            summary = {"status": order.status, "lines": [line.model_dump(mode="json") for line in order.lines]}
            uow.record(actor, "order.allocated", "order", order_id, after=summary, order_id=order_id,
                       publish="order.allocated")
        uow.commit()
    return order, True


def _existing(conn: Connection, cmd: OrderCreate, digest: str) -> OrderPublic | None:
    row = conn.execute(_EXISTING, {"channel": cmd.channel, "external_id": cmd.external_id}).first()
    if row is None:
        return None
    if row.capture_hash != digest:
        raise Conflict(
            f"order '{cmd.external_id}' of channel '{cmd.channel}' was already captured with different content"
        )
    return fetch_order(conn, row.id)


def _customer_id(conn: Connection, cmd: OrderCreate) -> int:
    """The customer with this email, created on first order. If a concurrent order creates it first,
    the insert does nothing and a new statement (new snapshot) finds the winner's row."""
    params = cmd.customer.model_dump()
    for statement in (_FIND_CUSTOMER, _NEW_CUSTOMER, _FIND_CUSTOMER):
        customer_id = conn.execute(statement, params).scalar()
        if customer_id is not None:
            return customer_id
    raise RuntimeError(f"customer {cmd.customer.email} vanished while capturing")


def _validate_references(conn: Connection, cmd: OrderCreate) -> None:
    skus = [line.sku for line in cmd.lines]
    known = set(
        conn.execute(text("SELECT sku FROM products WHERE sku = ANY(:skus) AND active"), {"skus": skus}).scalars()
    )
    errors = [
        FieldError(("lines", i, "sku"), f"unknown or inactive SKU '{sku}'", "unknown_sku")
        for i, sku in enumerate(skus)
        if sku not in known
    ]
    if conn.execute(text("SELECT 1 FROM channels WHERE id = :id"), {"id": cmd.channel}).first() is None:
        errors.insert(0, FieldError(("channel",), f"unknown channel '{cmd.channel}'", "unknown_channel"))
    errors += _pickup_errors(conn, cmd)
    if errors:
        raise ValidationFailed(errors)


def _pickup_errors(conn: Connection, cmd: OrderCreate) -> list[FieldError]:
    if cmd.service_level != "pickup":
        return []
    if not cmd.pickup_node_id:
        return [FieldError(("pickup_node_id",), "pickup orders need the collecting store", "missing")]
    store = conn.execute(
        text("SELECT 1 FROM nodes WHERE id = :id AND active AND 'pickup' = ANY(fulfilment_types)"),
        {"id": cmd.pickup_node_id},
    ).first()
    if store is None:
        return [FieldError(("pickup_node_id",), f"'{cmd.pickup_node_id}' is no active pickup store", "invalid")]
    return []


def _insert_order(conn: Connection, cmd: OrderCreate, customer_id: int, digest: str) -> int | None:
    total = sum(line.unit_price * line.quantity for line in cmd.lines)
    params = {
        "channel": cmd.channel,
        "external_id": cmd.external_id,
        "customer_id": customer_id,
        "status": OrderStatus.RECEIVED.value,
        "hold_type": cmd.hold.value if cmd.hold else None,
        "hold_reason": "held at capture" if cmd.hold else None,
        "service_level": cmd.service_level,
        "pickup_node_id": cmd.pickup_node_id,
        "ship_to": cmd.ship_to.model_dump_json(),
        "country": cmd.ship_to.country,
        "currency": cmd.currency,
        "total": total,
        "promised": cmd.promised_delivery_date,
        "notes": cmd.notes,
        "hash": digest,
    }
    return conn.execute(_INSERT_ORDER, params).scalar()


def _reserve_lines(conn: Connection, cmd: OrderCreate, order_id: int) -> None:
    numbered = [(i + 1, line) for i, line in enumerate(cmd.lines)]
    ids = conn.execute(
        _INSERT_LINES,
        {
            "order_id": order_id,
            "line_nos": [n for n, _ in numbered],
            "skus": [line.sku for _, line in numbered],
            "qtys": [line.quantity for _, line in numbered],
            "prices": [line.unit_price for _, line in numbered],
        },
    ).all()
    line_id = {r.line_no: r.id for r in ids}
    requests = [(line_id[n], LineRequest(n, line.sku, line.quantity)) for n, line in numbered]
    locked = lock_inventory(conn, [line.sku for line in cmd.lines])
    context = OrderContext(order_id, cmd.channel, cmd.service_level, cmd.pickup_node_id)
    reserve(conn, locked, context, requests)
    sync_statuses(conn, order_id, on_hold=cmd.hold is not None)
