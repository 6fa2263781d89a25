"""Order capture's write: one statement for one order or several, and the group writer that gathers
concurrent captures' writes into one.

Under load most captures wait on their write: on the commit's WAL flush and on the best sellers' stock
rows. What a write costs PostgreSQL beyond its rows (starting the statement's plan, statement triggers,
the commit) is paid once for a group. The first capture to write in a process leads: it writes its own
order with every compatible order queued meanwhile, in one statement on its own connection, and hands the
lead to the next one queued. If a group's statement fails, each of its captures writes alone, so an
order's failure (stock changed since it was read, a racing retry, a payload already received) is its own,
as if it had never been grouped. Captures that run as coroutines on an event loop
(oms.services.capture_on_loop) have a writer of their own, `AsyncGroupWriter`, which groups the same way.

Orders in one statement share their stock rows: each position is reserved once, for all of them, and
only if even the last of them would still find it within its channel's limit (see `merged_positions`).
"""

import asyncio
import logging
import threading
from dataclasses import dataclass, field

import psycopg
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool
from sqlalchemy import Connection, text
from sqlalchemy.engine import Dialect

from oms.db.engine import dumps_json
from oms.db.raw import fetch_one, fetch_one_async
from oms.services.uow import LOG_CTES

MAX_GROUP = 32  # orders per statement
log = logging.getLogger(__name__)


@dataclass(slots=True)
class OrderWrite:
    """One order's rows, as the statement takes them (JSON-ready dicts)."""

    order: dict  # the order, its customer if new, its payload if stored with it, its routing decision
    lines: list[dict]
    picks: list[dict]
    positions: dict[tuple[str, str], dict]  # (node id, SKU) -> qty and the guard, see merged_positions
    events: list[dict]
    messages: list[dict]


# The orders in one statement. New customers are inserted with the ids chosen when each order was read; if
# a concurrent order inserted the same email first, the order's foreign key fails, and capture runs again
# (then finding that customer).
WRITE = text(
    f"""
    WITH positions AS (SELECT * FROM oms_positions(CAST(:positions AS jsonb))),  -- see migration 0005
    locked AS (
      SELECT i.node_id FROM inventory i JOIN positions p USING (node_id, sku)
      ORDER BY i.node_id, i.sku FOR UPDATE OF i),
    reserved AS (
      UPDATE inventory i SET reserved = i.reserved + p.qty, updated_at = now()
      FROM positions p
      WHERE i.node_id = p.node_id AND i.sku = p.sku
        AND (SELECT count(*) FROM locked) >= 0  -- all rows locked first, in the global lock order
        AND i.on_hand = p.on_hand AND i.safety_stock = p.safety_stock AND i.reserved + p.qty <= p.max_reserved
      RETURNING 1),
    o AS (
      SELECT * FROM jsonb_to_recordset(CAST(:orders AS jsonb)) AS o(
        order_id bigint, channel text, external_id text, customer_id bigint, new_customer boolean, email text,
        name text, phone text, status text, hold_type text, hold_reason text, service_level text,
        pickup_node_id text, ship_to jsonb, country text, currency text, total numeric, promised_ship date,
        promised_delivery date, notes text, hash text, now timestamptz, source text, payload_id bigint,
        source_ref text, topic text, dedupe_key text, content_type text, payload_body text, sha256 text,
        received_by text, actor text, strategy text, profiles_version int, rates_version int, decision jsonb)),
    customer AS (
      INSERT INTO customers (id, email, name, phone)
      SELECT customer_id, email, name, phone FROM o WHERE new_customer
      ON CONFLICT (email) DO NOTHING),
    payload AS (  -- the payload an order came in, unless stored before it (see oms.services.inbound)
      INSERT INTO inbound_payloads (id, channel_id, source, topic, dedupe_key, content_type, body, sha256,
                                    received_by, received_at)
      SELECT payload_id, channel, source, topic, dedupe_key, content_type, decode(payload_body, 'base64'),
             sha256, received_by, now
      FROM o WHERE payload_body IS NOT NULL),
    new_order AS (
      INSERT INTO orders (id, channel_id, external_id, customer_id, status, hold_type, hold_reason,
                          service_level, pickup_node_id, ship_to, ship_to_country, currency, total_amount,
                          promised_ship_date, promised_delivery_date, notes, capture_hash, created_at, updated_at,
                          source, source_payload_id, source_ref)
      SELECT order_id, channel, external_id, customer_id, status, hold_type, hold_reason, service_level,
             pickup_node_id, ship_to, country, currency, total, promised_ship, promised_delivery, notes, hash,
             now, now, source, payload_id, source_ref
      FROM o),
    lines AS (
      INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, status, external_line_id)
      SELECT v.order_id, v.line_no, v.sku, v.quantity, v.unit_price, v.status, v.external_line_id
      FROM jsonb_to_recordset(CAST(:lines AS jsonb)) AS v(order_id bigint, line_no int, sku text, quantity int,
                                                          unit_price numeric, status text, external_line_id text)
      RETURNING id, order_id, line_no),
    allocated AS (
      INSERT INTO allocations (order_id, order_line_id, node_id, sku, quantity)
      SELECT picks.order_id, lines.id, picks.node_id, picks.sku, picks.quantity
      FROM jsonb_to_recordset(CAST(:picks AS jsonb))
           AS picks(order_id bigint, line_no int, node_id text, sku text, quantity int)
      JOIN lines USING (order_id, line_no)),
    decision AS (
      INSERT INTO routing_decisions (order_id, reason, actor, strategy, profiles_version, rates_version, decision,
                                     created_at)
      SELECT order_id, 'capture', actor, strategy, profiles_version, rates_version, decision, now FROM o),
    {LOG_CTES}
    SELECT oms_require((SELECT count(*) FROM reserved) = :position_count, 'stock changed since it was read')
    """
)


def write(conn: Connection, writes: list[OrderWrite]) -> None:
    """Write `writes` in one statement, in the caller's transaction (or as its own, in autocommit)."""
    fetch_one(conn, WRITE, write_params(writes))


def write_params(writes: list[OrderWrite]) -> dict:
    positions = merged_positions(writes)
    return {
        "orders": dumps_json([w.order for w in writes]),
        "lines": dumps_json([line for w in writes for line in w.lines]),
        "picks": dumps_json([pick for w in writes for pick in w.picks]),
        "positions": dumps_json(list(positions.values())),
        "position_count": len(positions),
        "events": dumps_json([event for w in writes for event in w.events]),
        "messages": dumps_json([message for w in writes for message in w.messages]),
    }


def merged_positions(writes: list[OrderWrite]) -> dict[tuple[str, str], dict]:
    """The stock rows the orders reserve from, each once: the quantities summed, and the guard the
    statement checks. An order's guard says the row still holds the on-hand and safety stock it was
    routed on, and that its quantity fits under the most its channel may reserve there (`max_reserved`).
    Together the quantities must fit under every order's limit, whichever of them came last."""
    merged: dict[tuple[str, str], dict] = {}
    for w in writes:
        for key, p in w.positions.items():
            if key not in merged:
                merged[key] = dict(p)
                continue
            m = merged[key]
            m["qty"] += p["qty"]
            m["max_reserved"] = min(m["max_reserved"], p["max_reserved"])
    return merged


def group_with(first, queue: list) -> tuple[list, list]:
    """`first` and the writes queued after it that may share its statement, and the others, each in queue
    order. The items carry their OrderWrite as `write`."""
    group, rest = [first], []
    for queued in queue:
        if queued is not first:
            fits = len(group) < MAX_GROUP and _fits([g.write for g in group], queued.write)
            (group if fits else rest).append(queued)
    return group, rest


def _fits(group: list[OrderWrite], w: OrderWrite) -> bool:
    """Whether `w` may join `group`: orders read on different stock counts, or two new customers with one
    email, would fail the statement for all of them."""
    emails = {g.order["email"] for g in group if g.order["new_customer"]}
    if w.order["new_customer"] and w.order["email"] in emails:
        return False
    counts = {key: (p["on_hand"], p["safety_stock"]) for g in group for key, p in g.positions.items()}
    return all(counts.get(key, (p["on_hand"], p["safety_stock"])) == (p["on_hand"], p["safety_stock"])
               for key, p in w.positions.items())  # fmt: skip


@dataclass(eq=False)
class _Queued:
    write: OrderWrite
    settled: threading.Event = field(default_factory=threading.Event)
    leads: bool = False  # woken to lead the next group
    alone: bool = False  # its group failed: it writes alone


class GroupWriter:
    """Gathers the writes of a process's concurrent captures (each in autocommit) into shared statements."""

    def __init__(self):
        self._lock = threading.Lock()
        self._queue: list[_Queued] = []
        self._leading = False

    def write(self, conn: Connection, w: OrderWrite) -> None:
        """Write `w`, with others or alone; raises what writing it alone would raise."""
        mine = _Queued(w)
        with self._lock:
            self._queue.append(mine)
            lead, self._leading = not self._leading, True
        if not lead:
            mine.settled.wait()  # written with a group, left to write alone, or handed the lead
        if lead or mine.leads:
            try:
                self._lead(conn, mine)
            finally:
                self._hand_over()
        if mine.alone:
            write(conn, [w])

    def _lead(self, conn: Connection, mine: _Queued) -> None:
        with self._lock:
            group, self._queue = group_with(mine, self._queue)
        if len(group) == 1:  # the lead is held meanwhile: captures that write now queue for the next group
            write(conn, [mine.write])
            return
        written = False
        try:
            write(conn, [g.write for g in group])
            written = True
        except psycopg.Error:
            log.debug("a group of %d orders failed; each is written alone", len(group), exc_info=True)
        finally:  # whatever failed, each order finds out alone what fails it
            for queued in group:
                queued.alone = not written
                if queued is not mine:
                    queued.settled.set()

    def _hand_over(self) -> None:
        with self._lock:
            if self._queue:
                following = self._queue[0]
                following.leads = True
                following.settled.set()
            else:
                self._leading = False


@dataclass(eq=False)
class _Awaiting:
    write: OrderWrite
    written: asyncio.Future


class AsyncGroupWriter:
    """GroupWriter for captures that run as coroutines on one event loop (oms.services.capture_on_loop):
    while a statement runs, the writes queued meanwhile wait for the next; if a group's statement fails,
    each of its writes is tried alone, and fails with its own error."""

    def __init__(self, pool: AsyncConnectionPool, dialect: Dialect):
        self._pool, self._dialect = pool, dialect  # the sync engine's, which compiles the statement
        self._queue: list[_Awaiting] = []
        self._leader: asyncio.Task | None = None

    async def write(self, w: OrderWrite) -> None:
        """Write `w`, with others or alone; raises what writing it alone would raise."""
        mine = _Awaiting(w, asyncio.get_running_loop().create_future())
        self._queue.append(mine)
        if self._leader is None:
            self._leader = asyncio.create_task(self._lead())
        await mine.written

    async def _lead(self) -> None:
        group: list[_Awaiting] = []
        try:
            while self._queue:  # again after giving the connection back: writes may have queued meanwhile
                async with self._pool.connection() as conn:
                    while self._queue:
                        group, self._queue = group_with(self._queue[0], self._queue)
                        if not await _wrote(conn, group, self._dialect) and len(group) > 1:
                            for queued in group:  # each finds out alone what fails it
                                await _wrote(conn, [queued], self._dialect)
                        group = []
        except BaseException as error:  # no connection, or cancelled at shutdown: nothing waits forever
            _settle(group + self._queue, error)
            self._queue = []
            if not isinstance(error, Exception):
                raise
        finally:
            self._leader = None


async def _wrote(conn: AsyncConnection, group: list[_Awaiting], dialect: Dialect) -> bool:
    """Whether `group` was written; a group of one is told its error, a larger one nothing yet."""
    try:
        await fetch_one_async(conn, WRITE, write_params([g.write for g in group]), dialect)
    except psycopg.Error as error:
        if len(group) == 1:
            _settle(group, error)
        else:
            log.debug("a group of %d orders failed; each is written alone", len(group), exc_info=True)
        return False
    _settle(group, None)
    return True


def _settle(group: list[_Awaiting], error: BaseException | None) -> None:
    for queued in group:
        if queued.written.done():  # its request was cancelled (the client went away); the write stands
            continue
        if error is None:
            queued.written.set_result(None)
        else:
            queued.written.set_exception(error)
