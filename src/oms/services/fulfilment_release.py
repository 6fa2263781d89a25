"""Releasing an order's reservations to fulfilment: one fulfilment order per node holding unreleased
allocations, with its lines, its ship-by and deliver-by dates, and (unless the node's WMS is manual) a
first sending attempt due at once for the worker (oms.services.fulfilment_sending).

Dates: deliver-by is the date the customer was promised (orders.promised_delivery_date), since that is
what service is measured against; ship-by is the node's own, from the promise calendar (cut-off,
processing days, working days of its country) counted from when its units were reserved. An order's
promised ship date is the latest of its nodes', so a node of a split order, or one a short pick rerouted
to later, gets the date that really applies to it."""

from datetime import date

from sqlalchemy import Connection, Row, text

from oms.services.actor import Actor
from oms.services.fulfilment_queries import fetch_fulfilment_order
from oms.services.promise import promise_dates
from oms.services.uow import UnitOfWork

_UNRELEASED = text(
    """
    SELECT a.node_id, a.order_line_id, a.sku, sum(a.quantity) AS quantity, min(a.created_at) AS since
    FROM allocations a WHERE a.order_id = :id AND a.fulfilment_order_id IS NULL
    GROUP BY a.node_id, a.order_line_id, a.sku ORDER BY a.node_id, a.order_line_id
    """
)
_ORDER = text(
    """
    SELECT ship_to->>'postal_code' AS postal_code, ship_to_country AS country, service_level,
           promised_delivery_date
    FROM orders WHERE id = :id
    """
)
_CREATE = text(
    """
    WITH fo AS (
      INSERT INTO fulfilment_orders (order_id, node_id, status, ship_by, deliver_by, rerouted_from_id,
                                     next_attempt_at)
      SELECT :order_id, :node_id, 'released', :ship_by, :deliver_by, :rerouted_from,
             CASE WHEN coalesce(i.transport, 'manual') <> 'manual' THEN now() END
      FROM (SELECT 1) one LEFT JOIN node_integrations i ON i.node_id = :node_id
      RETURNING id),
    fo_lines AS (
      INSERT INTO fulfilment_order_lines (fulfilment_order_id, order_line_id, sku, quantity)
      SELECT fo.id, v.line_id, v.sku, v.qty
      FROM fo, unnest(CAST(:line_ids AS bigint[]), CAST(:skus AS text[]), CAST(:qtys AS int[])) AS v(line_id, sku, qty)),
    taken AS (
      UPDATE allocations a SET fulfilment_order_id = fo.id FROM fo
      WHERE a.order_id = :order_id AND a.node_id = :node_id AND a.fulfilment_order_id IS NULL)
    SELECT id FROM fo
    """
)


def release_allocations(
    uow: UnitOfWork, actor: Actor, order_id: int, rerouted_from: int | None = None
) -> list[int]:
    """Turn the order's unreleased allocations (the order row is locked by the caller) into fulfilment
    orders, recording `fulfilment.released` for each; returns their ids."""
    conn = uow.conn
    by_node: dict[str, list[Row]] = {}
    for row in conn.execute(_UNRELEASED, {"id": order_id}):
        by_node.setdefault(row.node_id, []).append(row)
    if not by_node:
        return []
    order = conn.execute(_ORDER, {"id": order_id}).one()
    created = []
    for node_id, rows in by_node.items():
        ship_by, deliver_by = _dates(conn, order, node_id, rows)
        fo_id = conn.execute(_CREATE, {
            "order_id": order_id, "node_id": node_id, "ship_by": ship_by, "deliver_by": deliver_by,
            "rerouted_from": rerouted_from, "line_ids": [r.order_line_id for r in rows],
            "skus": [r.sku for r in rows], "qtys": [int(r.quantity) for r in rows],
        }).scalar_one()  # fmt: skip
        view = fetch_fulfilment_order(conn, fo_id)
        uow.record(actor, "fulfilment.released", "fulfilment_order", fo_id, after=view.model_dump(mode="json"),
                   order_id=order_id, publish="fulfilment.released")  # fmt: skip
        created.append(fo_id)
    return created


def _dates(conn: Connection, order: Row, node_id: str, rows: list[Row]) -> tuple[date | None, date | None]:
    since = min(r.since for r in rows)
    units = [(r.sku, int(r.quantity)) for r in rows]
    ship_by, delivery = promise_dates(conn, {node_id: units}, order.postal_code or "", order.country,
                                      order.service_level, since)  # fmt: skip
    return ship_by, order.promised_delivery_date or delivery
