"""Order capture: validate, store, reserve stock, audit — atomically and idempotently.

A retry of the same (channel, external_id) returns the order already captured; when two retries race,
the unique index makes one of them win and the other read the winner's order.

Capture is the hottest write path, and under load what limits it is round trips and how long the stock
rows of best sellers stay locked. So it takes two statements, each its own transaction, and locks rows
only inside the second:
1. one that reads everything to check, the stock of the order's SKUs, the customer, the time, and an id
   for the order (and for a new customer);
2. after routing in Python on that stock (oms.services.order_routing), one that locks the chosen
   positions (in the global lock order, see oms.services.reservations), reserves them only if each is
   still as read and still covers the order, and writes customer, order, lines, allocations, the routing
   decision, audit events and outbox messages. A statement is atomic: all of it is written, or none.
   Captures of one process that write at once share this statement (oms.services.capture_writes); if
   theirs fails, each writes alone. The API takes these two steps for a new order as coroutines on its
   event loop (oms.services.capture_on_loop), and leaves everything else to `capture_order`.
If a position changed in between, the second statement fails (SQLSTATE OM001) and capture runs again
in one transaction with every row of its SKUs locked from the first statement on.
"""

import base64
import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import psycopg
from psycopg import errors as pg_errors
from sqlalchemy import Connection, text

from oms.db.raw import fetch_one
from oms.domain.allocation import Allocation
from oms.domain.atp import Protection, held_back
from oms.domain.order_status import OrderStatus, line_status, order_status_from_lines
from oms.services import capture_writes, promise_listener
from oms.services.actor import Actor, Permission
from oms.services.availability import PROTECTIONS_JSON_SQL, protections_from_json
from oms.services.capture_writes import GroupWriter, OrderWrite
from oms.services.errors import Conflict, FieldError, ValidationFailed
from oms.services.inbound import AlreadyReceived, OrderSource, Payload, is_duplicate, payload_params
from oms.services.node_capacity import CAPACITY_USED_SQL
from oms.services.order_models import OrderCreate, OrderPublic, OrderSourcePublic
from oms.services.order_queries import fetch_order, line_public
from oms.services.order_routing import route_new_order
from oms.services.promise import promise_dates
from oms.services.reservations import LOCK_SQL, SKUS, STOCK_SQL, LockedRow, locked_rows
from oms.services.routing_decisions import decision_row
from oms.services.uow import EventLog, UnitOfWork

HELD_AT_CAPTURE = "held at capture"
STOCK_CHANGED = "OM001"  # SQLSTATE raised by the write when a position changed since it was read
ORDER_KEY = "uq_orders_channel_external"
CUSTOMER_KEY = "fk_orders_customer_id_customers"  # a new customer's race: see capture_writes.WRITE
LOCKED_ATTEMPTS = 2  # after the unlocked one (a new customer's race may need a second)
GROUP = GroupWriter()  # this process's captures write together when they write at once


def _facts(stock_sql: str):
    """Everything capture must know before writing, with `stock_sql` (STOCK_SQL, or LOCK_SQL to lock). Its
    SKUs are hidden from the planner, so that the statement is planned once per connection, not on every
    execution (see oms.db.plans)."""
    return text(
        f"""
        WITH stock AS ({stock_sql})
        SELECT (SELECT json_build_object('id', id, 'hash', capture_hash) FROM orders
                WHERE channel_id = :channel AND external_id = :external_id) AS existing,
               (SELECT coalesce(json_object_agg(sku, weight_kg), '{{}}'::json) FROM products
                WHERE sku = ANY({SKUS}) AND active) AS weights,
               EXISTS (SELECT 1 FROM channels WHERE id = :channel) AS channel_ok,
               EXISTS (SELECT 1 FROM nodes WHERE id = :pickup AND active
                       AND 'pickup' = ANY(fulfilment_types)) AS pickup_ok,
               {PROTECTIONS_JSON_SQL} AS protections,
               (SELECT coalesce(json_agg(stock), '[]'::json) FROM stock) AS stock,
               {CAPACITY_USED_SQL} AS capacity_used,
               c.customer, CASE WHEN c.customer IS NULL THEN nextval(pg_get_serial_sequence('customers', 'id'))
                           END AS new_customer_id,
               nextval(pg_get_serial_sequence('orders', 'id')) AS order_id,
               CASE WHEN :new_payload THEN nextval(pg_get_serial_sequence('inbound_payloads', 'id')) END AS payload_id,
               now() AS now
        FROM (SELECT (SELECT json_build_object('id', id, 'name', name, 'email', email, 'tier', tier) FROM customers
                      WHERE email = :email) AS customer) AS c
        """
    )


FACTS = _facts(STOCK_SQL)
_FACTS_LOCKED = _facts(LOCK_SQL)
_EXISTING = text("SELECT id, capture_hash FROM orders WHERE channel_id = :channel AND external_id = :external_id")


def capture_order(
    uow: UnitOfWork, actor: Actor, cmd: OrderCreate, source: OrderSource | None = None
) -> tuple[OrderPublic, bool]:
    """Returns the order and whether this call created it (False: an earlier call did). `source` says
    where the order came from; by default the API, whose payload is the command itself. Raises
    AlreadyReceived when the source's payload has a dedupe key another call has just stored."""
    actor.require(Permission.ORDER_CAPTURE)
    actor.require_channel(cmd.channel)
    digest, api_source = api_command(cmd)
    source = source or api_source
    with uow.autocommit():
        outcome = _attempt(uow, actor, cmd, source, digest, lock=False)
    for _ in range(LOCKED_ATTEMPTS):
        if outcome is not None:
            return outcome
        with uow:
            outcome = _attempt(uow, actor, cmd, source, digest, lock=True)
    if outcome is None:
        raise Conflict("the stock of this order kept changing while it was captured; try again")
    return outcome


def api_command(cmd: OrderCreate) -> tuple[str, OrderSource]:
    """The command's hash (see `capture_hash`), and the command as the payload an API order came in."""
    command_json = cmd.model_dump_json().encode()
    return capture_hash(command_json), OrderSource(payload=Payload("api", "application/json", command_json,
                                                                   topic="orders"))  # fmt: skip


def capture_hash(command_json: bytes) -> str:
    """What an order keeps of the command that captured it, to tell a retry from other content."""
    return hashlib.sha256(command_json).hexdigest()


def _attempt(uow: UnitOfWork, actor: Actor, cmd: OrderCreate, source: OrderSource, digest: str, lock: bool):
    """The captured (or replayed) order, or None when capture must run again."""
    try:
        return _capture(uow, actor, cmd, source, digest, lock)
    except psycopg.Error as error:
        if uow.conn.in_transaction():
            uow.conn.rollback()
        if is_duplicate(error):
            raise AlreadyReceived(source.payload.dedupe_key if source.payload else None) from error
        if isinstance(error, pg_errors.UniqueViolation) and error.diag.constraint_name == ORDER_KEY:
            existing = uow.conn.execute(_EXISTING, {"channel": cmd.channel, "external_id": cmd.external_id}).one()
            return _replay(uow.conn, cmd, existing.id, existing.capture_hash, digest), False  # a racing retry won
        if error.sqlstate == STOCK_CHANGED or (
            isinstance(error, pg_errors.ForeignKeyViolation) and error.diag.constraint_name == CUSTOMER_KEY
        ):
            return None
        raise


def _capture(
    uow: UnitOfWork, actor: Actor, cmd: OrderCreate, source: OrderSource, digest: str, lock: bool
) -> tuple[OrderPublic, bool]:
    facts = fetch_one(uow.conn, _FACTS_LOCKED if lock else FACTS, facts_params(cmd, source))
    if facts.existing:
        return _replay(uow.conn, cmd, facts.existing["id"], facts.existing["hash"], digest), False
    order, written = prepare_write(uow.conn, actor, cmd, source, digest, facts)
    if lock:  # its stock rows are locked in this transaction: written alone, in it
        capture_writes.write(uow.conn, [written])
    else:
        GROUP.write(uow.conn, written)
    uow.commit()  # the write's own transaction has committed already, unless this attempt locked
    promise_listener.reserved(uow.engine, reserved_skus(written))
    return order, True


def prepare_write(
    conn: Connection, actor: Actor, cmd: OrderCreate, source: OrderSource, digest: str, facts
) -> tuple[OrderPublic, OrderWrite]:
    """The order that capture's read `facts` lead to, and its write: validated, routed, audited. Reads
    through `conn` only what the process caches do not hold (routing profiles, node facts)."""
    _validate(cmd, facts)
    stock = locked_rows(facts.stock)
    protections = protections_from_json(cmd.channel, facts.protections)
    tier = facts.customer["tier"] if facts.customer else "standard"
    routed = route_new_order(conn, cmd, stock, protections, facts.weights, tier, facts.capacity_used, facts.now)
    picks = routed.picks
    decided = _decide(conn, cmd, picks, facts.now)
    order = _answer(cmd, decided, facts, source)
    audit = EventLog()
    audit.record(actor, "order.created", "order", order.id, after=order.model_dump(mode="json"),
                 order_id=order.id, publish="order.created")  # fmt: skip
    if picks:
        allocated = {
            "status": order.status,
            "lines": [line.model_dump(mode="json", include={"line_no", "sku", "status", "allocations"})
                      for line in order.lines],
        }  # fmt: skip
        audit.record(actor, "order.allocated", "order", order.id, after=allocated, order_id=order.id,
                     publish="order.allocated")  # fmt: skip
    order_row = (_order_row(cmd, decided, facts, digest) | decision_row(actor, routed.config, routed.decision)
                 | _source_row(cmd.channel, source, facts.payload_id, actor))  # fmt: skip
    written = OrderWrite(order_row, _line_rows(facts.order_id, decided), *_picks(facts.order_id, picks, stock,
                         cmd.channel, protections), *audit.take_log())  # fmt: skip
    return order, written


def reserved_skus(written: OrderWrite) -> list[str]:
    return sorted({pick["sku"] for pick in written.picks})


def _replay(conn: Connection, cmd: OrderCreate, order_id: int, stored_hash: str, digest: str) -> OrderPublic:
    if stored_hash != digest:
        raise Conflict(
            f"order '{cmd.external_id}' of channel '{cmd.channel}' was already captured with different content"
        )
    return fetch_order(conn, order_id)


def facts_params(cmd: OrderCreate, source: OrderSource | None) -> dict:
    """The parameters of capture's read (`FACTS`); `source` None: a dry run, which stores no payload."""
    skus = [line.sku for line in cmd.lines]
    return {"channel": cmd.channel, "external_id": cmd.external_id, "skus": sorted(set(skus)),
            "pickup": cmd.pickup_node_id, "email": cmd.customer.email,
            "new_payload": source is not None and source.payload is not None}  # fmt: skip


def check_capture(conn: Connection, cmd: OrderCreate) -> list[FieldError]:
    """What capture would refuse in `cmd` now, by capture's own read and checks, and an order captured
    already under its external id (capture would answer that one instead). A dry run: it writes and locks
    nothing (the read draws ids from sequences, which only leaves gaps)."""
    facts = fetch_one(conn, FACTS, facts_params(cmd, None))
    already = [FieldError(("external_id",), f"order '{cmd.external_id}' of channel '{cmd.channel}' was captured"
                          " already", "already_captured")] if facts.existing else []  # fmt: skip
    try:
        _validate(cmd, facts)
    except ValidationFailed as refused:
        return already + refused.errors
    return already


def _validate(cmd: OrderCreate, facts) -> None:
    known = facts.weights.keys()
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


@dataclass(frozen=True, slots=True)
class _Decision:
    """What capture decided before writing: line and order statuses, promised dates."""

    status: str
    lines: list[dict]  # public lines: the command's, numbered, with status and allocations
    promised_ship_date: date | None
    promised_delivery_date: date | None


def _decide(conn: Connection, cmd: OrderCreate, picks: list[Allocation], now: datetime) -> _Decision:
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
                                             cmd.service_level, now)  # fmt: skip
    return _Decision(status.value, lines, ship_date, cmd.promised_delivery_date or delivery_date)


def _order_row(cmd: OrderCreate, decided: _Decision, facts, digest: str) -> dict:
    return {
        **cmd.customer.model_dump(),
        "new_customer": facts.customer is None,
        "customer_id": facts.new_customer_id if facts.customer is None else facts.customer["id"],
        "order_id": facts.order_id,
        "channel": cmd.channel,
        "external_id": cmd.external_id,
        "status": decided.status,
        "hold_type": cmd.hold.value if cmd.hold else None,
        "hold_reason": HELD_AT_CAPTURE if cmd.hold else None,
        "service_level": cmd.service_level,
        "pickup_node_id": cmd.pickup_node_id,
        "ship_to": cmd.ship_to.model_dump(mode="json"),
        "country": cmd.ship_to.country,
        "currency": cmd.currency,
        "total": str(_total(cmd)),  # a JSON string: exact, where a float might not be
        "promised_ship": decided.promised_ship_date,
        "promised_delivery": decided.promised_delivery_date,
        "notes": cmd.notes,
        "hash": digest,
        "now": facts.now,
    }


def _line_rows(order_id: int, decided: _Decision) -> list[dict]:
    return [{"order_id": order_id, **{k: line[k] for k in ("line_no", "sku", "quantity", "unit_price", "status",
                                                           "external_line_id")}}
            for line in decided.lines]  # fmt: skip


_NO_PAYLOAD = dict.fromkeys(("topic", "dedupe_key", "content_type", "payload_body", "sha256", "received_by"))


def _source_row(channel: str, source: OrderSource, new_payload_id: int | None, actor: Actor) -> dict:
    """The order's source columns, and its payload's when it is stored with the order."""
    row = {"source": source.kind, "payload_id": source.payload_id or new_payload_id, "source_ref": source.reference}
    if source.payload is None:
        return row | _NO_PAYLOAD
    payload = payload_params(channel, source.payload, actor.name)
    body = payload.pop("body")
    return row | payload | {"payload_body": base64.b64encode(body).decode()}


def _picks(
    order_id: int,
    picks: list[Allocation],
    stock: dict[tuple[str, str], LockedRow],
    channel: str,
    protections: list[Protection],
) -> tuple[list[dict], dict[tuple[str, str], dict]]:
    """The picks, and per position reserved from: the quantity, and the guard the write checks (on hand
    and safety stock as read, and the most that may be reserved there for this channel)."""
    wanted: dict[tuple[str, str], int] = {}
    for pick in picks:
        wanted[(pick.node_id, pick.sku)] = wanted.get((pick.node_id, pick.sku), 0) + pick.quantity
    positions = {}
    for key in sorted(wanted):
        p = stock[key].position
        positions[key] = {"node_id": p.node_id, "sku": p.sku, "qty": wanted[key], "on_hand": p.on_hand,
                          "safety_stock": p.safety_stock,
                          "max_reserved": p.on_hand - p.safety_stock - held_back(p, channel, protections)}  # fmt: skip
    rows = [{"order_id": order_id, "line_no": p.line_no, "node_id": p.node_id, "sku": p.sku, "quantity": p.quantity}
            for p in picks]  # fmt: skip
    return rows, positions


def _answer(cmd: OrderCreate, decided: _Decision, facts, source: OrderSource) -> OrderPublic:
    """The order as it is written: the command, what capture decided, the ids and time of the first
    statement."""
    customer = facts.customer or {"id": facts.new_customer_id, "name": cmd.customer.name,
                                  "email": cmd.customer.email}  # fmt: skip
    return OrderPublic(
        id=facts.order_id,
        channel=cmd.channel,
        external_id=cmd.external_id,
        status=decided.status,
        hold_type=cmd.hold.value if cmd.hold else None,
        hold_reason=HELD_AT_CAPTURE if cmd.hold else None,
        customer=customer,
        ship_to=cmd.ship_to.model_dump(mode="json"),
        service_level=cmd.service_level,
        currency=cmd.currency,
        total_amount=_total(cmd),
        promised_ship_date=decided.promised_ship_date,
        promised_delivery_date=decided.promised_delivery_date,
        notes=cmd.notes,
        version=1,
        created_at=facts.now,
        updated_at=facts.now,  # one transaction, one clock
        lines=decided.lines,
        source=OrderSourcePublic(source=source.kind, payload_id=source.payload_id or facts.payload_id,
                                 reference=source.reference),
    )
