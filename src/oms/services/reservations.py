"""Atomic stock reservation in PostgreSQL.

Every transaction that reserves or releases stock first locks all inventory rows of the SKUs it touches,
in one statement, in primary-key (node_id, sku) order, the order stock counts and imports lock in too
(oms.services.bulk). Row locks make the check-then-reserve atomic across any
number of processes (reserved never exceeds on hand less safety stock), and one global lock order
means two transactions can never wait on each other in a cycle, so there are no deadlocks.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from sqlalchemy import Connection, text

from oms.db.plans import opaque
from oms.domain.allocation import Allocation, LineRequest, allocate
from oms.domain.atp import Position, Protection, atp, held_back

FULFILMENT_TYPES = {
    "standard": ["ship", "ship_from_store"],
    "express": ["ship", "ship_from_store"],
    "pickup": ["pickup"],
}


@dataclass(slots=True)
class LockedRow:
    position: Position
    priority: int
    fulfilment_types: list[str]
    active: bool

    def available_to(self, channel_id: str | None, protections: list[Protection]) -> int:
        """Units `channel_id` may take now: ATP net of what its protections hold back."""
        return atp(self.position, held=held_back(self.position, channel_id, protections))


# The inventory rows of :skus (a sorted, distinct array) with what allocation needs of their node; with
# LOCK_SQL, locked in the global lock order. Other statements may embed them (order capture does); the
# SKUs are hidden from the planner, so that those statements keep one plan (see oms.db.plans).
SKUS = opaque("skus", "text[]")
STOCK_SQL = f"""
    SELECT i.node_id, i.sku, i.on_hand, i.reserved, i.safety_stock,
           n.priority, n.fulfilment_types, n.active
    FROM inventory i JOIN nodes n ON n.id = i.node_id
    WHERE i.sku = ANY({SKUS})
    ORDER BY i.node_id, i.sku
"""
LOCK_SQL = STOCK_SQL + "FOR UPDATE OF i"
_LOCK = text(LOCK_SQL)
_RESERVE = text(
    """
    WITH v AS (
      SELECT * FROM unnest(CAST(:line_ids AS bigint[]), CAST(:nodes AS text[]), CAST(:skus AS text[]),
                           CAST(:qtys AS int[])) AS v(line_id, node_id, sku, qty)),
    stock AS (
      UPDATE inventory i SET reserved = i.reserved + s.qty, updated_at = now()
      FROM (SELECT node_id, sku, sum(qty) AS qty FROM v GROUP BY node_id, sku) s
      WHERE i.node_id = s.node_id AND i.sku = s.sku)
    INSERT INTO allocations (order_id, order_line_id, node_id, sku, quantity)
    SELECT :order_id, line_id, node_id, sku, qty FROM v
    """
)
_RELEASE = text(
    """
    WITH taken AS (
      DELETE FROM allocations
      WHERE order_id = :order_id AND order_line_id = ANY(:line_ids)
        AND (CAST(:node_id AS text) IS NULL OR node_id = :node_id)
      RETURNING order_line_id, node_id, sku, quantity),
    stock AS (
      UPDATE inventory i SET reserved = i.reserved - f.qty, updated_at = now()
      FROM (SELECT node_id, sku, sum(quantity) AS qty FROM taken GROUP BY node_id, sku) f
      WHERE i.node_id = f.node_id AND i.sku = f.sku)
    SELECT order_line_id, node_id, sku, sum(quantity) AS quantity FROM taken
    GROUP BY order_line_id, node_id, sku ORDER BY order_line_id, node_id
    """
)


def lock_inventory(conn: Connection, skus: list[str]) -> dict[tuple[str, str], LockedRow]:
    """Lock every inventory row of `skus` (all nodes) for the rest of the transaction."""
    return locked_rows(r._mapping for r in conn.execute(_LOCK, lock_params(skus)))


def lock_params(skus: list[str]) -> dict:
    return {"skus": sorted(set(skus))}


def locked_rows(rows: Iterable[Mapping]) -> dict[tuple[str, str], LockedRow]:
    """The rows `STOCK_SQL` or `LOCK_SQL` returned (as mappings), by (node id, SKU)."""
    return {
        (r["node_id"], r["sku"]): LockedRow(
            Position(r["node_id"], r["sku"], r["on_hand"], r["reserved"], r["safety_stock"]),
            r["priority"],
            r["fulfilment_types"],
            r["active"],
        )
        for r in rows
    }


@dataclass(frozen=True, slots=True)
class Released:
    line_id: int
    node_id: str
    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class OrderContext:
    """What of an order decides where its stock may come from."""

    channel_id: str
    service_level: str
    pickup_node_id: str | None


def plan(
    locked: dict[tuple[str, str], LockedRow],
    order: OrderContext,
    requests: list[LineRequest],
    protections: list[Protection],
) -> list[Allocation]:
    """Where `requests` are allocated among rows already locked, net of the order channel's
    `protections`; what is not allocated is backordered."""
    eligible = _eligible(locked, order)
    available = {key: row.available_to(order.channel_id, protections) for key, row in eligible.items()}
    priority = {node_id: row.priority for (node_id, _), row in eligible.items()}
    node_order = sorted(priority, key=lambda node_id: (priority[node_id], node_id))
    return allocate(requests, available, node_order)


def reserve(
    conn: Connection,
    locked: dict[tuple[str, str], LockedRow],
    order_id: int,
    line_ids: Mapping[int, int],
    picks: list[Allocation],
) -> None:
    """Reserve `picks` (planned on `locked`, rows locked by this transaction) for order `order_id`;
    `line_ids` maps their line numbers to line ids."""
    if not picks:
        return
    for (node_id, sku), qty in _by_position(picks).items():
        # Whoever planned them read these rows locked: more than they hold is a planning bug, never a race.
        if qty > atp(locked[(node_id, sku)].position):
            raise RuntimeError(f"planned {qty} of {sku} at {node_id}, more than it holds")
    conn.execute(
        _RESERVE,
        {
            "order_id": order_id,
            "line_ids": [line_ids[a.line_no] for a in picks],
            "nodes": [a.node_id for a in picks],
            "skus": [a.sku for a in picks],
            "qtys": [a.quantity for a in picks],
        },
    )
    for a in picks:
        _shift_reserved(locked, a.node_id, a.sku, a.quantity)


def release(
    conn: Connection,
    locked: dict[tuple[str, str], LockedRow],
    order_id: int,
    line_ids: list[int],
    node_id: str | None = None,
) -> list[Released]:
    """Give back the reservations of `line_ids` (at `node_id` only, if given; rows already locked)."""
    params = {"order_id": order_id, "line_ids": line_ids, "node_id": node_id}
    freed = [Released(*r) for r in conn.execute(_RELEASE, params)]
    for (node, sku), qty in _by_position(freed).items():
        _shift_reserved(locked, node, sku, -qty)
    return freed


def _shift_reserved(locked: dict[tuple[str, str], LockedRow], node_id: str, sku: str, delta: int) -> None:
    """Keep the locked snapshot true for later steps of the same command (an edit releases, then
    reserves again)."""
    row = locked[(node_id, sku)]
    row.position = replace(row.position, reserved=row.position.reserved + delta)


def _by_position(allocations: Iterable[Allocation | Released]) -> dict[tuple[str, str], int]:
    units: dict[tuple[str, str], int] = {}
    for a in allocations:
        units[(a.node_id, a.sku)] = units.get((a.node_id, a.sku), 0) + a.quantity
    return units


def _eligible(locked: dict[tuple[str, str], LockedRow], order: OrderContext) -> dict[tuple[str, str], LockedRow]:
    types = set(FULFILMENT_TYPES[order.service_level])
    return {
        key: row
        for key, row in locked.items()
        if row.active
        and types.intersection(row.fulfilment_types)
        and (order.pickup_node_id is None or key[0] == order.pickup_node_id)
    }
