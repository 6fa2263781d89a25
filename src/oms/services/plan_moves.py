"""Moving a locked order to a plan decided elsewhere (a batch re-optimisation's proposal): give back
its open allocations and reserve the plan, only if the order is still as the plan was made for and the
stock still holds it. Run as an order action (order_actions.move_to_plan), so the order is locked,
versioned and audited like any other change."""

from dataclasses import dataclass

from sqlalchemy import Connection, Row, text

from oms.domain.allocation import Allocation
from oms.services.actor import Actor
from oms.services.availability import load_protections
from oms.services.errors import Conflict
from oms.services.order_status_sync import sync_statuses
from oms.services.reservations import lock_inventory, release, reserve
from oms.services.routing_decisions import insert_decision

_OPEN_LINES = text(
    """
    SELECT id, line_no, sku FROM order_lines
    WHERE order_id = :id AND status IN ('allocated', 'partially_allocated', 'backordered')
    """
)


@dataclass(frozen=True, slots=True)
class PlanMove:
    actor: Actor
    expected_version: int
    picks: list[Allocation]
    reason: str
    strategy: str
    profiles_version: int
    rates_version: int
    decision: dict  # the routing decision to store, as routing_explanations.decision_data makes it

    def __call__(self, conn: Connection, order: Row) -> dict:
        if order.version != self.expected_version:
            raise Conflict(f"order {order.id} changed since the plan was made (version {order.version},"
                           f" planned on {self.expected_version})")  # fmt: skip
        lines = conn.execute(_OPEN_LINES, {"id": order.id}).all()
        line_ids = {line.line_no: line.id for line in lines}
        if missing := sorted({p.line_no for p in self.picks} - line_ids.keys()):
            raise Conflict(f"order {order.id} has no open line {', '.join(map(str, missing))} any more")
        skus = sorted({line.sku for line in lines})
        locked = lock_inventory(conn, skus)
        freed = release(conn, locked, order.id, list(line_ids.values()))
        protections = load_protections(conn, order.channel_id, skus)
        wanted: dict[tuple[str, str], int] = {}
        for pick in self.picks:
            wanted[(pick.node_id, pick.sku)] = wanted.get((pick.node_id, pick.sku), 0) + pick.quantity
        for (node_id, sku), qty in sorted(wanted.items()):
            row = locked.get((node_id, sku))
            if row is None or not row.active or row.available_to(order.channel_id, protections) < qty:
                raise Conflict(f"{node_id} no longer holds {qty} of {sku} for order {order.id}")
        reserve(conn, locked, order.id, line_ids, self.picks)
        insert_decision(conn, order.id, self.reason, self.actor, self.strategy, self.profiles_version,
                        self.rates_version, self.decision)
        sync_statuses(conn, order.id, on_hold=order.hold_type is not None)
        return {"moved": {"reason": self.reason,
                          "from": [{"node_id": f.node_id, "sku": f.sku, "quantity": f.quantity} for f in freed],
                          "to": [{"node_id": p.node_id, "sku": p.sku, "quantity": p.quantity} for p in self.picks]}}
