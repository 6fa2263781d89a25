"""The SQL of the managers' overview (oms.services.overview), one statement per section. Days are UTC
days; `:start` and `:end` bound the period as instants (`:end` excluded); `:channel` may be null.
Indexes of migration 0021 keep each statement to the period's rows on a large history."""

from sqlalchemy import text

from oms.services.order_search import LATE

_CHANNEL = "(CAST(:channel AS text) IS NULL OR o.channel_id = :channel)"

ORDERS = text(
    f"""
    SELECT (o.created_at AT TIME ZONE 'UTC')::date AS day, o.channel_id AS channel, o.currency,
           count(*) AS orders, sum(o.total_amount) AS value
    FROM orders o WHERE o.created_at >= :start AND o.created_at < :end AND {_CHANNEL}
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    """
)

# Shipments that left in the period, per day and per node (one pass, two grouping sets). A shipment is
# late to ship after the end of its ship-by day (its fulfilment order's, else its order's promised ship
# date) and late to land after the end of its promised delivery day, both in the node's time zone, as the
# SLA report (oms.services.sla_report) judges them. Percentiles skip the undelivered (nulls). The order
# and fulfilment order of each shipment are looked up by key (LATERAL ... LIMIT 1): hash joins read all
# of both tables, several times slower on a large history for a period's few thousand shipments.
SHIPMENTS = text(
    f"""
    WITH s AS (
      SELECT s.node_id, (s.shipped_at AT TIME ZONE 'UTC')::date AS day,
             extract(epoch FROM s.shipped_at - o.created_at) / 3600 AS to_ship,
             extract(epoch FROM s.delivered_at - o.created_at) / 3600 AS to_delivery,
             s.shipped_at >= CAST(coalesce(f.ship_by, o.promised_ship_date) + 1 AS timestamp)
               AT TIME ZONE n.timezone AS shipped_late,
             s.delivered_at >= CAST(coalesce(s.promised_delivery_date, o.promised_delivery_date) + 1 AS timestamp)
               AT TIME ZONE n.timezone AS delivered_late
      FROM shipments s JOIN nodes n ON n.id = s.node_id
        CROSS JOIN LATERAL (SELECT * FROM orders o WHERE o.id = s.order_id LIMIT 1) o
        LEFT JOIN LATERAL (SELECT f.ship_by FROM fulfilment_orders f WHERE f.id = s.fulfilment_order_id LIMIT 1) f ON true
      WHERE s.shipped_at >= :start AND s.shipped_at < :end AND {_CHANNEL})
    SELECT day, node_id, count(*) AS shipments, count(to_delivery) AS delivered,
           percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY to_ship) AS to_ship,
           percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY to_delivery) AS to_delivery,
           count(*) FILTER (WHERE shipped_late) AS shipped_late,
           count(*) FILTER (WHERE delivered_late) AS delivered_late,
           count(*) FILTER (WHERE shipped_late OR delivered_late) AS late
    FROM s GROUP BY GROUPING SETS ((day), (node_id)) ORDER BY day, node_id
    """
)

# The orders list's own late filter (oms.services.order_search.LATE), so the count matches its link.
LATE_ORDERS = text(
    f"""
    SELECT o.id, o.channel_id AS channel, o.status, o.promised_delivery_date,
           current_date - o.promised_delivery_date AS days_late, count(*) OVER () AS total
    FROM orders o WHERE {LATE} AND {_CHANNEL}
    ORDER BY o.promised_delivery_date, o.id LIMIT :limit
    """
)

# Lines whose statuses may leave units waiting: before release (not all reserved), and in fulfilment
# after a short pick or rejection that found no other node. Units waiting: neither reserved nor shipped.
WAITING_LINE_STATUSES = ("partially_allocated", "backordered", "released", "partially_shipped")
_WAITING = f"""
    SELECT w.sku, count(*) AS lines, sum(w.units) AS units
    FROM (SELECT l.sku, l.quantity - l.shipped_quantity - coalesce(
                   (SELECT sum(a.quantity) FROM allocations a WHERE a.order_id = l.order_id
                    AND a.order_line_id = l.id), 0) AS units
          FROM order_lines l JOIN orders o ON o.id = l.order_id
          WHERE l.status IN {WAITING_LINE_STATUSES} AND {_CHANNEL}) w
    WHERE w.units > 0 GROUP BY w.sku
"""
# Positions at active nodes (a node in an outage sells nothing); ATP now is on hand less reserved less
# safety stock, no channel's protections applied. A SKU with waiting demand and no position is out too.
STOCK_OUTS = text(
    f"""
    WITH waiting AS ({_WAITING}),
    positions AS (
      SELECT i.sku, array_agg(i.node_id ORDER BY i.node_id)
                      FILTER (WHERE i.on_hand - i.reserved - i.safety_stock <= 0) AS out_nodes,
             count(*) FILTER (WHERE i.on_hand - i.reserved - i.safety_stock > 0) AS stocked
      FROM inventory i JOIN nodes n ON n.id = i.node_id WHERE n.active GROUP BY i.sku),
    outs AS (
      SELECT p.sku, p.name, coalesce(ps.out_nodes, '{{}}') AS out_nodes, coalesce(ps.stocked, 0) = 0 AS network_out,
             coalesce(w.units, 0) AS waiting_units, coalesce(w.lines, 0) AS waiting_lines
      FROM products p LEFT JOIN positions ps ON ps.sku = p.sku LEFT JOIN waiting w ON w.sku = p.sku
      WHERE p.active AND (ps.out_nodes IS NOT NULL OR (ps.sku IS NULL AND w.sku IS NOT NULL)))
    SELECT *, count(*) OVER () AS skus, count(*) FILTER (WHERE network_out) OVER () AS network_out_skus,
           sum(cardinality(out_nodes)) OVER () AS positions
    FROM outs ORDER BY network_out DESC, waiting_units DESC, sku LIMIT :limit
    """
)

# Lines that went backordered, from the audit trail: an order event that carries the whole order
# (capture, edit, manual reroute) shows a line with more units backordered after than before; a reroute
# after a short pick or a rejection carries only its moves, and lists what found no node. The jsonpath
# tests keep to the events with something backordered (a few of a period's captures) before their lines
# are unnested: on 16,000 captures of 3 lines over 92 days, 125 -> 25 ms.
BACKORDERED_BY_DAY = text(
    """
    SELECT (e.created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS lines, sum(went.units) AS units
    FROM audit_events e CROSS JOIN LATERAL (
      SELECT (l ->> 'backordered_quantity')::int - coalesce(
               (SELECT (b ->> 'backordered_quantity')::int FROM jsonb_array_elements(e.before -> 'lines') b
                WHERE b -> 'line_no' = l -> 'line_no'), 0)
      FROM jsonb_array_elements(e.after -> 'lines') l
      UNION ALL
      SELECT (b ->> 'quantity')::int
      FROM jsonb_array_elements(e.after -> 'reroute' -> 'backordered') b WHERE e.after -> 'lines' IS NULL
    ) went(units)
    WHERE e.action IN ('order.created', 'order.updated', 'order.rerouted')
      AND e.created_at >= :start AND e.created_at < :end
      AND (e.after @? '$.lines[*] ? (@.backordered_quantity > 0)' OR e.after @? '$.reroute.backordered[*]')
      -- the event's order looked up by key: a semi-join would read every order of the channel
      AND (CAST(:channel AS text) IS NULL OR (SELECT o.channel_id FROM orders o WHERE o.id = e.order_id) = :channel)
      AND went.units > 0
    GROUP BY 1 ORDER BY 1
    """
)
