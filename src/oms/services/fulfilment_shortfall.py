"""Units a node will not ship: short picked (it could not find them) or rejected (it refuses the order).

Their reservation at the node is given back, and the routing engine routes them again without that
node (oms.services.line_routing, reason `short_pick` or `rejected`); what it finds is released at once
as new fulfilment orders, what it cannot find is backordered (POST /orders/{id}/allocate takes it up
when stock comes). A short pick also proves the units are not on the shelf: they leave the node's
on-hand count and a stock discrepancy is recorded (orders not yet released that over-reserve the position
afterwards are rerouted by the caller, after commit: oms.services.stock_discrepancy)."""

from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import Row, text

from oms.domain.allocation import LineRequest
from oms.services.actor import Actor
from oms.services.fulfilment_release import release_allocations
from oms.services.fulfilment_state import FulfilmentLine, LockedFulfilment
from oms.services.fulfilment_stock import take_allocations, take_stock
from oms.services.line_routing import route_lines
from oms.services.reservations import LockedRow
from oms.services.uow import UnitOfWork
from oms.services.wms_event_models import UnitsPublic

Kind = Literal["short", "rejected"]


def _count(column: str):
    return text(
        f"""
        UPDATE fulfilment_order_lines fl SET {column} = fl.{column} + v.qty
        FROM unnest(CAST(:ids AS bigint[]), CAST(:qtys AS int[])) AS v(id, qty) WHERE fl.id = v.id
        """
    )


_COUNTS = {"short": _count("short_quantity"), "rejected": _count("rejected_quantity")}
_DISCREPANCY = text(
    """
    INSERT INTO stock_discrepancies (node_id, sku, expected, found, short_quantity, source, wms_event_id,
                                     fulfilment_order_id, recorded_by)
    VALUES (:node, :sku, :expected, :found, :short, 'short_pick', :event, :fo, :actor)
    RETURNING id
    """
)
_AVOID = {"short": "short picked there", "rejected": "rejected the fulfilment order"}


@dataclass
class Shortfall:
    released: list[int] = field(default_factory=list)  # new fulfilment orders
    backordered: list[UnitsPublic] = field(default_factory=list)
    positions: list[tuple[str, str]] = field(default_factory=list)  # (node, SKU) found short


def fall_short(
    uow: UnitOfWork,
    actor: Actor,
    order: Row,
    fulfilment: LockedFulfilment,
    units: dict[FulfilmentLine, int],
    kind: Kind,
    locked: dict[tuple[str, str], LockedRow],
    event_row_id: int,
) -> Shortfall:
    """Take `units` out of the locked fulfilment order as `kind` and route them again; `order` is the
    locked order row, `locked` the inventory rows of the units' SKUs at every node."""
    conn = uow.conn
    conn.execute(_COUNTS[kind], {"ids": [line.id for line in units], "qtys": list(units.values())})
    take_allocations(conn, fulfilment.id, {line.order_line_id: q for line, q in units.items()})
    by_sku = {line.sku: q for line, q in units.items()}  # one line per SKU on an order
    result = Shortfall()
    if kind == "short":  # before the count changes: `locked` holds what the node had
        result.positions = _record_discrepancies(uow, actor, fulfilment, by_sku, locked, event_row_id)
    # `locked` is not updated for the node: routing leaves it out.
    take_stock(conn, fulfilment.node_id, by_sku, on_hand=kind == "short")
    requests = [(line.order_line_id, LineRequest(line.line_no, line.sku, q)) for line, q in units.items()]
    reason = "short_pick" if kind == "short" else "rejected"
    routed = route_lines(conn, actor, order, requests, locked, reason, {fulfilment.node_id: _AVOID[kind]})
    result.released = release_allocations(uow, actor, order.id, rerouted_from=fulfilment.id)
    result.backordered = [UnitsPublic(line_no=b.line_no, sku=b.sku, quantity=b.quantity) for b in routed.backorders]
    moved = {"reason": reason, "from_node": fulfilment.node_id, "fulfilment_order_id": fulfilment.id,
             "allocated": [{"line_no": p.line_no, "sku": p.sku, "node_id": p.node_id, "quantity": p.quantity}
                           for p in routed.picks],
             "released": result.released, "backordered": [b.model_dump() for b in result.backordered]}  # fmt: skip
    uow.record(actor, "order.rerouted", "order", order.id, after={"reroute": moved}, order_id=order.id,
               publish="order.rerouted")  # fmt: skip
    return result


def _record_discrepancies(
    uow: UnitOfWork,
    actor: Actor,
    fulfilment: LockedFulfilment,
    by_sku: dict[str, int],
    locked: dict[tuple[str, str], LockedRow],
    event_row_id: int,
) -> list[tuple[str, str]]:
    positions = []
    for sku, short in sorted(by_sku.items()):
        expected = locked[(fulfilment.node_id, sku)].position.on_hand
        values = {"node": fulfilment.node_id, "sku": sku, "expected": expected, "found": max(expected - short, 0),
                  "short": short, "event": event_row_id, "fo": fulfilment.id, "actor": actor.name}  # fmt: skip
        discrepancy_id = uow.conn.execute(_DISCREPANCY, values).scalar_one()
        uow.record(actor, "stock_discrepancy.recorded", "stock_discrepancy", discrepancy_id, after=values,
                   order_id=fulfilment.order_id)  # fmt: skip
        positions.append((fulfilment.node_id, sku))
    return positions
