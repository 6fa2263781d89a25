"""Rerouting an order not yet released, or one shipment of it: the chosen allocations are given back and
routed again (oms.services.line_routing) without the nodes the reroute leaves out, in the transaction
that locked the order and the stock of its SKUs.

What finds no node:
- node_outage, stock_discrepancy: the node cannot ship what it holds for the order, and a reservation
  kept there would hide that, so what finds no other node is backordered, and the answer lists it
  (POST /orders/{id}/allocate reserves it once stock arrives).
- manual: an operator asks for a better plan, not to lose stock; a manual reroute that would reserve
  fewer units than it gives back is refused with 409 and changes nothing.
"""

from dataclasses import dataclass, field

from sqlalchemy import Connection, Row, text

from oms.domain.allocation import LineRequest
from oms.services.actor import Actor
from oms.services.errors import Conflict, FieldError, ValidationFailed
from oms.services.line_routing import route_lines
from oms.services.order_models import OrderPublic
from oms.services.order_status_sync import sync_statuses
from oms.services.reroute_models import (
    AllocationMove,
    LineUnits,
    RerouteCommand,
    RerouteReason,
    RerouteResult,
)
from oms.services.reservations import lock_inventory, release

_OPEN_ALLOCATIONS = text(
    """
    SELECT l.id, l.line_no, l.sku, l.quantity, a.node_id, coalesce(sum(a.quantity), 0) AS allocated
    FROM order_lines l LEFT JOIN allocations a ON a.order_line_id = l.id
    WHERE l.order_id = :id AND l.status IN ('allocated', 'partially_allocated', 'backordered')
    GROUP BY l.id, a.node_id  -- a top-up may have added a second allocation at the same node
    ORDER BY l.line_no, a.node_id
    """
)
_KNOWN_NODES = text("SELECT id FROM nodes WHERE id = ANY(:ids)")


@dataclass
class Reroute:
    """The change a reroute makes to a locked order (see order_actions.reroute), keeping what moved."""

    actor: Actor
    cmd: RerouteCommand
    released: list[AllocationMove] = field(default_factory=list)
    allocated: list[AllocationMove] = field(default_factory=list)
    backordered: list[LineUnits] = field(default_factory=list)

    def apply(self, conn: Connection, order: Row) -> dict:
        rows = conn.execute(_OPEN_ALLOCATIONS, {"id": order.id}).all()
        chosen = self._chosen(conn, rows)
        line_nos = {row.id: row.line_no for row in rows}
        requests = self._requests(chosen)
        locked = lock_inventory(conn, [row.sku for row in chosen])
        freed = release(conn, locked, order.id, sorted({row.id for row in chosen}), self.cmd.node_id)
        self.released = [AllocationMove(line_no=line_nos[f.line_id], sku=f.sku, node_id=f.node_id,
                                        quantity=f.quantity) for f in freed]  # fmt: skip
        routed = route_lines(
            conn, self.actor, order, requests, locked, f"reroute:{self.cmd.reason}", self._avoid()
        )
        self.allocated = [AllocationMove(line_no=p.line_no, sku=p.sku, node_id=p.node_id, quantity=p.quantity)
                          for p in routed.picks]  # fmt: skip
        self.backordered = [
            LineUnits(line_no=b.line_no, sku=b.sku, quantity=b.quantity) for b in routed.backorders
        ]
        if self.cmd.reason == RerouteReason.MANUAL and _units(self.allocated) < _units(self.released):
            raise Conflict(
                f"rerouting would reserve {_units(self.allocated)} of the {_units(self.released)} units it gives"
                " back; nothing changed (exclude fewer nodes, or give node_outage as the reason to backorder)"
            )
        sync_statuses(conn, order.id, on_hold=order.hold_type is not None)
        return {"reroute": self.cmd.model_dump(mode="json") | self._moves()}

    def result(self, order: OrderPublic) -> RerouteResult:
        return RerouteResult(order=order, **self._moves(), summary=self._summary())

    def _chosen(self, conn: Connection, rows: list[Row]) -> list[Row]:
        """The open lines' allocation rows the command names (lines, node); 422 for what it names wrongly."""
        errors = [FieldError(("lines", i), f"no open line {n} on this order", "unknown_line")
                  for i, n in enumerate(self.cmd.lines or []) if n not in {row.line_no for row in rows}]  # fmt: skip
        known = set(conn.execute(_KNOWN_NODES, {"ids": self.cmd.exclude_nodes}).scalars())
        errors += [FieldError(("exclude_nodes", i), f"unknown node '{n}'", "unknown_node")
                   for i, n in enumerate(self.cmd.exclude_nodes) if n not in known]  # fmt: skip
        chosen = [row for row in rows if self.cmd.lines is None or row.line_no in self.cmd.lines]
        if self.cmd.node_id is not None:
            chosen = [row for row in chosen if row.node_id == self.cmd.node_id]
            if not chosen:
                why = f"the order has no allocation at {self.cmd.node_id} to reroute"
                errors.append(FieldError(("node_id",), why + (" on these lines" if self.cmd.lines else ""),
                                         "not_allocated"))  # fmt: skip
        if errors:
            raise ValidationFailed(errors)
        if not chosen:
            raise Conflict("the order has no open line to reroute")
        return chosen

    def _requests(self, chosen: list[Row]) -> list[tuple[int, LineRequest]]:
        """At a node, what is allocated there; otherwise each chosen line whole, backorders included."""
        units: dict[int, LineRequest] = {}
        for row in chosen:
            quantity = row.allocated if self.cmd.node_id else row.quantity
            units[row.id] = LineRequest(row.line_no, row.sku, quantity)
        return [(line_id, request) for line_id, request in units.items() if request.quantity > 0]

    def _avoid(self) -> dict[str, str]:
        avoid = dict.fromkeys(self.cmd.exclude_nodes, "excluded by this reroute")
        if self.cmd.reason != RerouteReason.MANUAL:
            avoid[self.cmd.node_id] = f"rerouted away from it: {self.cmd.reason.value.replace('_', ' ')}"
        return avoid

    def _moves(self) -> dict:
        return {
            "released": [m.model_dump() for m in self.released],
            "allocated": [m.model_dump() for m in self.allocated],
            "backordered": [b.model_dump() for b in self.backordered],
        }

    def _summary(self) -> str:
        summary = f"gave back {_units(self.released)} units at {_nodes(self.released)}"
        summary += f", reserved {_units(self.allocated)} at {_nodes(self.allocated)}"
        if self.backordered:
            summary += f"; {_units(self.backordered)} units found no node and are backordered"
        return summary


def _units(items: list[LineUnits]) -> int:
    return sum(i.quantity for i in items)


def _nodes(moves: list[AllocationMove]) -> str:
    return ", ".join(sorted({m.node_id for m in moves})) or "no node"
