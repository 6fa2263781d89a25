"""The history's execution as table rows, seen from `now`: each demo shipment was one fulfilment order
at its node (same id), released and, once handed over, shipped as one shipment carrying the lines the
node found (a short-picked line counts as short). Open fulfilment orders hold their allocations."""

from dataclasses import dataclass, field
from datetime import datetime

from oms.services.demo.model import Order, Shipment

FULFILMENT_COLUMNS = ("id", "order_id", "node_id", "status", "ship_by", "deliver_by", "acknowledged_at",
                      "accepted_at", "picked_at", "packed_at", "shipped_at", "closed_at", "created_at",
                      "updated_at")  # fmt: skip
FULFILMENT_LINE_COLUMNS = ("id", "fulfilment_order_id", "order_line_id", "sku", "quantity", "shipped_quantity",
                           "short_quantity")  # fmt: skip
SHIPMENT_LINE_COLUMNS = ("id", "shipment_id", "order_line_id", "fulfilment_order_line_id", "sku", "quantity")


@dataclass
class ExecutionRows:
    fulfilment_orders: list[tuple] = field(default_factory=list)
    fulfilment_lines: list[tuple] = field(default_factory=list)
    shipment_lines: list[tuple] = field(default_factory=list)


def execution_rows(orders: list[Order], now: datetime) -> ExecutionRows:
    out = ExecutionRows()
    for o in orders:
        for s in o.shipments:
            if s.status(now) != "pending":
                _add(out, o, s, now)
    return out


def _add(out: ExecutionRows, order: Order, s: Shipment, now: datetime) -> None:
    shipped = s.shipped_at if s.status(now) != "released" else None
    # A shipment proves the milestones before it; a fulfilment order still open has heard nothing yet.
    out.fulfilment_orders.append((s.id, order.id, s.node.id, "shipped" if shipped else "released",
                                  s.promised_ship, s.promised_delivery, *[shipped] * 6, s.released_at,
                                  shipped or s.released_at))  # fmt: skip
    found = {line.id for line in s.lines_at(now)}
    for line in s.lines:
        fo_line_id = len(out.fulfilment_lines) + 1
        short = line.quantity if shipped and line.id not in found else 0
        out.fulfilment_lines.append((fo_line_id, s.id, line.id, line.product.sku, line.quantity,
                                     line.quantity - short if shipped else 0, short))  # fmt: skip
        if shipped and not short:
            out.shipment_lines.append((len(out.shipment_lines) + 1, s.id, line.id, fo_line_id, line.product.sku,
                                       line.quantity))  # fmt: skip
