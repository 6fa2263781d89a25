"""A fulfilment order inside the transaction applying a WMS event: locked with its lines, its lines named
by an event checked against what is open, milestones recorded, and its status derived again."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, text

from oms.domain.fulfilment import CLOSED, FulfilmentStatus, Milestone, Units, furthest, implied, status
from oms.services.errors import FieldError, ValidationFailed
from oms.services.wms_event_models import EventLine

_LOCK = text("SELECT id, order_id, node_id, status FROM fulfilment_orders WHERE id = :id FOR UPDATE")
_LINES = text(
    """
    SELECT fl.id, fl.order_line_id, l.line_no, fl.sku, fl.quantity, fl.shipped_quantity, fl.short_quantity,
           fl.rejected_quantity
    FROM fulfilment_order_lines fl JOIN order_lines l ON l.id = fl.order_line_id
    WHERE fl.fulfilment_order_id = :id ORDER BY l.line_no
    """
)
_STATE = text(
    f"""
    SELECT f.status, {", ".join(f"f.{m.column}" for m in Milestone)},
           sum(fl.quantity) AS quantity, sum(fl.shipped_quantity) AS shipped, sum(fl.short_quantity) AS short,
           sum(fl.rejected_quantity) AS rejected
    FROM fulfilment_orders f JOIN fulfilment_order_lines fl ON fl.fulfilment_order_id = f.id
    WHERE f.id = :id GROUP BY f.id
    """
)
_SET_STATUS = text(
    """
    UPDATE fulfilment_orders SET status = :status, updated_at = now(),
           closed_at = CASE WHEN :closed THEN coalesce(closed_at, now()) END
    WHERE id = :id
    """
)


@dataclass(frozen=True, slots=True)
class FulfilmentLine:
    id: int
    order_line_id: int
    line_no: int
    sku: str
    units: Units


@dataclass(frozen=True, slots=True)
class LockedFulfilment:
    id: int
    order_id: int
    node_id: str
    status: FulfilmentStatus
    lines: list[FulfilmentLine]

    def open_lines(self) -> dict[FulfilmentLine, int]:
        """Every line with units still open, and how many."""
        return {line: line.units.open for line in self.lines if line.units.open > 0}


def lock_fulfilment(conn: Connection, fulfilment_order_id: int) -> LockedFulfilment:
    row = conn.execute(_LOCK, {"id": fulfilment_order_id}).one()
    lines = [
        FulfilmentLine(r.id, r.order_line_id, r.line_no, r.sku,
                       Units(r.quantity, r.shipped_quantity, r.short_quantity, r.rejected_quantity))
        for r in conn.execute(_LINES, {"id": fulfilment_order_id})
    ]  # fmt: skip
    return LockedFulfilment(row.id, row.order_id, row.node_id, FulfilmentStatus(row.status), lines)


def resolve_lines(fulfilment: LockedFulfilment, lines: list[EventLine]) -> dict[FulfilmentLine, int]:
    """The fulfilment order's lines an event names, with its quantities; 422 naming every line unknown,
    named twice, or given more units than are open."""
    found: dict[FulfilmentLine, int] = {}
    errors = []
    for i, wanted in enumerate(lines):
        match = next((line for line in fulfilment.lines
                      if wanted.line_no in (None, line.line_no) and wanted.sku in (None, line.sku)), None)  # fmt: skip
        name = f"line {wanted.line_no}" if wanted.line_no else f"SKU '{wanted.sku}'"
        if match is None:
            errors.append(FieldError(("lines", i), f"the fulfilment order has no {name}", "unknown_line"))
        elif match in found:
            errors.append(FieldError(("lines", i), f"{name} is named twice", "duplicate_line"))
        elif wanted.quantity > match.units.open:
            errors.append(FieldError(("lines", i, "quantity"), f"{name} has {match.units.open} units open",
                                     "exceeds_open"))  # fmt: skip
        else:
            found[match] = wanted.quantity
    if errors:
        raise ValidationFailed(errors)
    return found


def reach(conn: Connection, fulfilment_order_id: int, milestone: Milestone, at: datetime) -> None:
    """Record that `milestone`, and so every one before it, happened by `at` (each keeps its earliest
    known time)."""
    sets = ", ".join(f"{m.column} = least({m.column}, CAST(:at AS timestamptz))" for m in implied(milestone))
    conn.execute(text(f"UPDATE fulfilment_orders SET {sets} WHERE id = :id"), {"id": fulfilment_order_id, "at": at})


def refresh_status(conn: Connection, fulfilment_order_id: int) -> tuple[FulfilmentStatus, FulfilmentStatus]:
    """Derive the status again from milestones and units and write it; (before, after)."""
    row = conn.execute(_STATE, {"id": fulfilment_order_id}).one()
    times = {m: getattr(row, m.column) for m in Milestone}
    units = Units(int(row.quantity), int(row.shipped), int(row.short), int(row.rejected))
    after = status(furthest(times), units)
    if after != row.status:
        conn.execute(_SET_STATUS, {"id": fulfilment_order_id, "status": after.value, "closed": after in CLOSED})
    return FulfilmentStatus(row.status), after
