"""What leaving a fulfilment order does to stock. Units shipped, short picked or rejected stop being
reserved: the allocations the fulfilment order took over shrink by them (oldest first), and so does the
node's reserved count. Units shipped or found missing also leave the node's on-hand count.

Callers hold the inventory rows locked (reservations.lock_inventory). Allocations consumed by a shipment
keep the day's capacity they took (migration 0009's trigger); the shipment row must exist before."""

from collections.abc import Mapping

from sqlalchemy import Connection, text

_TAKE = text(
    """
    WITH wanted AS (
      SELECT * FROM unnest(CAST(:line_ids AS bigint[]), CAST(:qtys AS int[])) AS w(line_id, qty)),
    ranked AS (
      SELECT a.id, a.quantity, w.qty,
             sum(a.quantity) OVER (PARTITION BY a.order_line_id ORDER BY a.id) - a.quantity AS before
      FROM allocations a JOIN wanted w ON w.line_id = a.order_line_id
      WHERE a.fulfilment_order_id = :fo),
    taken AS (
      SELECT id, quantity, least(quantity, greatest(qty - before, 0)) AS take FROM ranked),
    gone AS (
      DELETE FROM allocations a USING taken t WHERE a.id = t.id AND t.take = t.quantity),
    cut AS (
      UPDATE allocations a SET quantity = a.quantity - t.take
      FROM taken t WHERE a.id = t.id AND t.take > 0 AND t.take < t.quantity)
    SELECT coalesce(sum(take), 0) FROM taken
    """
)
_STOCK = text(
    """
    UPDATE inventory i
    SET reserved = i.reserved - v.qty,
        on_hand = CASE WHEN :on_hand THEN greatest(i.on_hand - v.qty, 0) ELSE i.on_hand END,
        updated_at = now()
    FROM unnest(CAST(:skus AS text[]), CAST(:qtys AS int[])) AS v(sku, qty)
    WHERE i.node_id = :node AND i.sku = v.sku
    """
)


def take_allocations(conn: Connection, fulfilment_order_id: int, units: Mapping[int, int]) -> None:
    """Shrink the fulfilment order's allocations by `units` (order line id -> units)."""
    params = {"fo": fulfilment_order_id, "line_ids": list(units), "qtys": list(units.values())}
    taken = conn.execute(_TAKE, params).scalar_one()
    if taken != sum(units.values()):  # its allocations always match its open units: a bug, never a race
        raise RuntimeError(f"fulfilment order {fulfilment_order_id} held {taken} of the {sum(units.values())} units")


def take_stock(conn: Connection, node_id: str, units: Mapping[str, int], on_hand: bool) -> None:
    """Unreserve `units` (SKU -> units) at `node_id`, and take them off its on-hand count if `on_hand`
    (never below zero: a count that was wrong must not block a shipment that happened)."""
    params = {"node": node_id, "skus": list(units), "qtys": list(units.values()), "on_hand": on_hand}
    conn.execute(_STOCK, params)
