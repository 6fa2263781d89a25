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
# LOCK_SQL, locked in the global lock order. Other statements may embed them (order capture does).
STOCK_SQL = """
    SELECT i.node_id, i.sku, i.on_hand, i.reserved, i.safety_stock,
           n.priority, n.fulfilment_types, n.active
    FROM inventory i JOIN nodes n ON n.id = i.node_id
    WHERE i.sku = ANY(:skus)
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
      DELETE FROM allocations WHERE order_id = :order_id AND order_line_id = ANY(:line_ids)
      RETURNING node_id, sku, quantity),
    freed AS (SELECT node_id, sku, sum(quantity) AS qty FROM taken GROUP BY node_id, sku),
    stock AS (
      UPDATE inventory i SET reserved = i.reserved - f.qty, updated_at = now()
      FROM freed f WHERE i.node_id = f.node_id AND i.sku = f.sku)
    SELECT node_id, sku, qty FROM freed
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
    order: OrderContext,
    lines: list[tuple[int, LineRequest]],
    protections: list[Protection],
) -> list[tuple[int, Allocation]]:
    """Allocate and reserve `lines` ((line id, request) pairs) of order `order_id` (see `plan`).
    Returns (line id, allocation) pairs."""
    line_ids = {req.line_no: line_id for line_id, req in lines}
    allocations = plan(locked, order, [req for _, req in lines], protections)
    if allocations:
        conn.execute(
            _RESERVE,
            {
                "order_id": order_id,
                "line_ids": [line_ids[a.line_no] for a in allocations],
                "nodes": [a.node_id for a in allocations],
                "skus": [a.sku for a in allocations],
                "qtys": [a.quantity for a in allocations],
            },
        )
        for a in allocations:
            _shift_reserved(locked, a.node_id, a.sku, a.quantity)
    return [(line_ids[a.line_no], a) for a in allocations]


def release(
    conn: Connection, locked: dict[tuple[str, str], LockedRow], order_id: int, line_ids: list[int]
) -> None:
    """Give back the reservations of `line_ids` (rows already locked)."""
    for f in conn.execute(_RELEASE, {"order_id": order_id, "line_ids": line_ids}):
        _shift_reserved(locked, f.node_id, f.sku, -f.qty)


def _shift_reserved(locked: dict[tuple[str, str], LockedRow], node_id: str, sku: str, delta: int) -> None:
    """Keep the locked snapshot true for later steps of the same command (an edit releases, then
    reserves again)."""
    row = locked[(node_id, sku)]
    row.position = replace(row.position, reserved=row.position.reserved + delta)


def _eligible(locked: dict[tuple[str, str], LockedRow], order: OrderContext) -> dict[tuple[str, str], LockedRow]:
    types = set(FULFILMENT_TYPES[order.service_level])
    return {
        key: row
        for key, row in locked.items()
        if row.active
        and types.intersection(row.fulfilment_types)
        and (order.pickup_node_id is None or key[0] == order.pickup_node_id)
    }
