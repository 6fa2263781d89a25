"""Line and order statuses follow from what is allocated; this writes them back after every change."""

from sqlalchemy import Connection, text

from oms.domain.order_status import OPEN_LINE_STATUSES, OrderStatus, line_status, order_status_from_lines

_LINES = text(
    """
    SELECT l.id, l.quantity, l.status, coalesce(sum(a.quantity), 0) AS allocated
    FROM order_lines l LEFT JOIN allocations a ON a.order_line_id = l.id
    WHERE l.order_id = :id GROUP BY l.id
    """
)
_SET_STATUSES = text(
    """
    WITH lines AS (
      UPDATE order_lines l SET status = v.status
      FROM unnest(CAST(:ids AS bigint[]), CAST(:statuses AS text[])) AS v(id, status) WHERE l.id = v.id)
    UPDATE orders SET status = :status, updated_at = now() WHERE id = :order_id
    """
)


def sync_statuses(conn: Connection, order_id: int, on_hold: bool) -> None:
    """Set each open line's status from its allocations, then the order's status from its lines (on_hold
    wins while a hold sits on the order)."""
    lines = conn.execute(_LINES, {"id": order_id}).all()
    statuses: dict[int, str] = {}
    changed: dict[int, str] = {}
    for line in lines:
        status = line.status
        if status in OPEN_LINE_STATUSES:
            status = line_status(line.quantity, int(line.allocated)).value
            if status != line.status:
                changed[line.id] = status
        statuses[line.id] = status
    order_status = OrderStatus.ON_HOLD if on_hold else order_status_from_lines(statuses.values())
    conn.execute(
        _SET_STATUSES,
        {
            "ids": list(changed),
            "statuses": list(changed.values()),
            "status": order_status.value,
            "order_id": order_id,
        },
    )
