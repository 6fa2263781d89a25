"""Line and order statuses follow from where the units are (reserved, released to fulfilment, shipped,
delivered); this writes them back after every change."""

from sqlalchemy import Connection, text

from oms.domain.order_status import LineStatus, LineUnits, OrderStatus, line_progress, order_status_from_lines

_LINES = text(
    """
    SELECT l.id, l.quantity, l.status, l.shipped_quantity, l.delivered_quantity,
           coalesce(sum(a.quantity) FILTER (WHERE a.fulfilment_order_id IS NULL), 0) AS allocated,
           coalesce(sum(a.quantity) FILTER (WHERE a.fulfilment_order_id IS NOT NULL), 0) AS released
    FROM order_lines l LEFT JOIN allocations a ON a.order_line_id = l.id
    WHERE l.order_id = :id GROUP BY l.id
    """
)
_SET_STATUSES = text(
    """
    WITH lines AS (
      UPDATE order_lines l SET status = v.status
      FROM unnest(CAST(:ids AS bigint[]), CAST(:statuses AS text[])) AS v(id, status) WHERE l.id = v.id)
    UPDATE orders o SET status = :status, updated_at = now() FROM orders old
    WHERE o.id = :order_id AND old.id = o.id
    RETURNING old.status AS before
    """
)


def sync_statuses(conn: Connection, order_id: int, on_hold: bool) -> OrderStatus:
    """Set each line's status (but a cancelled one's) from its units, then the order's status from its
    lines (on_hold wins while a hold sits on the order); returns the order's status before."""
    statuses: dict[int, str] = {}
    changed: dict[int, str] = {}
    for line in conn.execute(_LINES, {"id": order_id}):
        status = line.status
        if status != LineStatus.CANCELLED:
            units = LineUnits(line.quantity, int(line.allocated), int(line.released), line.shipped_quantity,
                              line.delivered_quantity)  # fmt: skip
            status = line_progress(units).value
            if status != line.status:
                changed[line.id] = status
        statuses[line.id] = status
    order_status = OrderStatus.ON_HOLD if on_hold else order_status_from_lines(statuses.values())
    before = conn.execute(
        _SET_STATUSES,
        {
            "ids": list(changed),
            "statuses": list(changed.values()),
            "status": order_status.value,
            "order_id": order_id,
        },
    ).scalar_one()
    return OrderStatus(before)
