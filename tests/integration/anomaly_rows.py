"""Order history for the anomaly checks' tests, written in bulk with SQL: orders of one line spread
evenly over a time range, optionally fulfilled and shipped from a node, cancelled or returned."""

from datetime import datetime

from sqlalchemy import Connection, text

_ORDERS = text(
    """
    WITH c AS (INSERT INTO customers (email, name) VALUES ('anomaly@example.fr', 'Ana Maly')
               ON CONFLICT (email) DO UPDATE SET name = excluded.name RETURNING id),
    o AS (INSERT INTO orders (channel_id, external_id, customer_id, status, service_level, ship_to,
                              ship_to_country, currency, total_amount, capture_hash, created_at)
          SELECT CAST(:channel AS text), CAST(:ref AS text) || '-' || i, (SELECT id FROM c),
                 CASE WHEN i <= CAST(:cancelled AS int) THEN 'cancelled' ELSE CAST(:status AS text) END,
                 'standard', '{}', 'FR', 'EUR', 10, 'x',
                 CAST(:now AS timestamptz) - interval '1 hour' * (CAST(:since_h AS float8)
                   - (CAST(:since_h AS float8) - CAST(:until_h AS float8)) * (i - 1.0)
                     / greatest(CAST(:n AS int) - 1, 1))
          FROM generate_series(1, CAST(:n AS int)) i RETURNING id, created_at, status),
    l AS (INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, status)
          SELECT id, 1, CAST(:sku AS text), CAST(:units AS int), 10,
                 CASE WHEN status = 'cancelled' THEN 'cancelled' ELSE 'delivered' END
          FROM o RETURNING id, order_id),
    f AS (INSERT INTO fulfilment_orders (order_id, node_id, status, created_at)
          SELECT id, CAST(:node AS text), 'shipped', created_at FROM o
          WHERE CAST(:node AS text) IS NOT NULL AND status <> 'cancelled'
          RETURNING id, order_id, created_at),
    fl AS (INSERT INTO fulfilment_order_lines (fulfilment_order_id, order_line_id, sku, quantity,
                                               shipped_quantity)
           SELECT f.id, l.id, CAST(:sku AS text), CAST(:units AS int), CAST(:units AS int)
           FROM f JOIN l USING (order_id) RETURNING id, fulfilment_order_id, order_line_id),
    s AS (INSERT INTO shipments (order_id, node_id, carrier, service_level, status, units, shipped_at,
                                 fulfilment_order_id)
          SELECT order_id, CAST(:node AS text), 'DHL', 'standard', 'delivered', CAST(:units AS int),
                 created_at + interval '1 hour', id
          FROM f RETURNING id, fulfilment_order_id)
    INSERT INTO shipment_lines (shipment_id, order_line_id, fulfilment_order_line_id, sku, quantity)
    SELECT s.id, fl.order_line_id, fl.id, CAST(:sku AS text), CAST(:units AS int)
    FROM s JOIN fl USING (fulfilment_order_id)
    """
)
_RETURNS = text(
    """
    WITH picked AS (SELECT l.id AS line_id, o.id AS order_id, o.customer_id FROM order_lines l
                    JOIN orders o ON o.id = l.order_id
                    WHERE l.sku = :sku AND l.status <> 'cancelled' AND o.created_at < :at
                    ORDER BY o.created_at DESC LIMIT :n),
    r AS (INSERT INTO returns (rma_number, order_id, channel_id, customer_id, status, resolution, currency,
                               policy, created_by, created_at)
          SELECT 'RMA-' || line_id, order_id, 'web', customer_id, 'authorised', 'refund', 'EUR', '{}', 'test',
                 :at
          FROM picked RETURNING id, order_id)
    INSERT INTO return_lines (return_id, order_line_id, line_no, sku, quantity, unit_price, reason_code)
    SELECT r.id, p.line_id, 1, :sku, 1, 10, 'defective' FROM r JOIN picked p USING (order_id)
    """
)


def add_orders(conn: Connection, ref: str, now: datetime, n: int, since_hours: float, until_hours: float = 0,
               sku: str = "TSH-BLU-L", units: int = 1, channel: str = "web", node: str | None = None,
               cancelled: int = 0, status: str = "delivered") -> None:  # fmt: skip
    """`n` orders of one line captured evenly from `since_hours` to `until_hours` before `now`, the first
    `cancelled` of them cancelled; with `node`, the others fulfilled and shipped from it."""
    params = {"ref": ref, "now": now, "n": n, "since_h": since_hours, "until_h": until_hours, "sku": sku,
              "units": units, "channel": channel, "node": node, "cancelled": cancelled,
              "status": status}  # fmt: skip
    conn.execute(_ORDERS, params)


def add_returns(conn: Connection, sku: str, n: int, at: datetime) -> None:
    """Returns opened at `at` for the `n` latest lines of `sku` captured before it."""
    conn.execute(_RETURNS, {"sku": sku, "n": n, "at": at})
