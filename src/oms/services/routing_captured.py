"""Captured orders read back as routing drafts (oms.services.routing_inputs.OrderDraft), so they can be
routed again without changing anything: by id for the routing simulation, the most recent ship orders for
the routing advisor's replay. Cancelled lines are left out: they ship nowhere."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, Row, text

from oms.services.routing_inputs import OrderDraft

_SELECT = """
    SELECT o.id, o.channel_id, o.service_level, o.ship_to, o.promised_delivery_date, c.email,
           (SELECT json_agg(json_build_array(l.sku, l.quantity, l.unit_price) ORDER BY l.line_no)
            FROM order_lines l WHERE l.order_id = o.id AND l.status <> 'cancelled') AS lines
    FROM orders o JOIN customers c ON c.id = o.customer_id
"""
_BY_ID = text(_SELECT + " WHERE o.id = ANY(:ids)")
# Orders shipped to the customer (not collected at a store), newest first.
_RECENT = text(
    _SELECT
    + """ WHERE o.created_at >= :since AND o.created_at < :until AND o.pickup_node_id IS NULL
          AND o.status <> 'cancelled' AND (CAST(:channel AS varchar) IS NULL OR o.channel_id = :channel)
        ORDER BY o.created_at DESC, o.id DESC LIMIT :limit"""
)


def orders_by_id(conn: Connection, ids: list[int]) -> dict[int, Row]:
    return {r.id: r for r in conn.execute(_BY_ID, {"ids": ids})}


def recent_ship_orders(
    conn: Connection, since: datetime, until: datetime, limit: int, channel: str | None = None
) -> list[tuple[int, OrderDraft]]:
    """The ship orders created in [since, until), newest first, at most `limit`, of `channel` if given."""
    params = {"since": since, "until": until, "limit": limit, "channel": channel}
    return [(r.id, captured_draft(r)) for r in conn.execute(_RECENT, params) if r.lines]


def captured_draft(row: Row) -> OrderDraft:
    lines = [(sku, qty, Decimal(str(price))) for sku, qty, price in row.lines or []]
    return OrderDraft(row.channel_id, row.ship_to["postal_code"], row.ship_to["country"], row.service_level,
                      lines, row.email, row.promised_delivery_date)  # fmt: skip
