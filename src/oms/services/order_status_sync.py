"""Line and order statuses follow from what is allocated; this writes them back after every change."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, text

from oms.domain.order_status import OPEN_LINE_STATUSES, OrderStatus, line_status, order_status_from_lines

_LINES = text(
    """
    SELECT l.id, l.quantity, l.status, coalesce(sum(a.quantity), 0) AS allocated
    FROM order_lines l LEFT JOIN allocations a ON a.order_line_id = l.id
    WHERE l.order_id = :id GROUP BY l.id
    """
)
# The order row is written once per command: its status, and the promised dates when capture sets them
# (a date promised at checkout is kept).
_SET_STATUSES = text(
    """
    WITH lines AS (
      UPDATE order_lines l SET status = v.status
      FROM unnest(CAST(:ids AS bigint[]), CAST(:statuses AS text[])) AS v(id, status) WHERE l.id = v.id)
    UPDATE orders SET status = :status, updated_at = now(),
                      promised_ship_date = coalesce(CAST(:ship AS date), promised_ship_date),
                      promised_delivery_date = coalesce(promised_delivery_date, CAST(:deliver AS date))
    WHERE id = :order_id
    """
)


@dataclass(frozen=True, slots=True)
class Statuses:
    order: OrderStatus
    lines: dict[int, str]  # line id -> status


@dataclass(frozen=True, slots=True)
class LineState:
    id: int
    quantity: int
    status: str
    allocated: int


def sync_statuses(
    conn: Connection,
    order_id: int,
    on_hold: bool,
    lines: list[LineState] | None = None,
    promised: tuple[date | None, date | None] = (None, None),
) -> Statuses:
    """Set each open line's status from its allocations, then the order's status from its lines (on_hold
    wins while a hold sits on the order). Pass `lines` when they are known to spare a query, and the
    (ship, delivery) dates `promised` at capture."""
    if lines is None:
        lines = [LineState(r.id, r.quantity, r.status, int(r.allocated)) for r in conn.execute(_LINES, {"id": order_id})]
    statuses: dict[int, str] = {}
    changed: dict[int, str] = {}
    for line in lines:
        status = line.status
        if status in OPEN_LINE_STATUSES:
            status = line_status(line.quantity, line.allocated).value
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
            "ship": promised[0],
            "deliver": promised[1],
        },
    )
    return Statuses(order_status, statuses)
