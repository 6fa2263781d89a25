"""A stock count that leaves a position over-reserved (reserved above on hand less safety stock) means
orders hold units the node does not have. The newest orders holding the position give theirs back
first, so the oldest keep their promise: their lines of that SKU are rerouted away from the node (reason
stock_discrepancy), each order in its own transaction (oms.services.reroute_runs), until what they held
covers the excess. Orders released to fulfilment are left alone: the node is already picking them."""

from sqlalchemy import text

from oms.domain.order_status import ALLOWED_FROM
from oms.services.actor import Actor
from oms.services.reroute_models import RerouteCommand, RerouteReason
from oms.services.reroute_runs import RerouteReport, acting_for, reroute_each
from oms.services.uow import UnitOfWork

REROUTER = "stock-count"

_OVER_RESERVED = text(
    """
    SELECT i.node_id, i.sku, i.reserved - greatest(i.on_hand - i.safety_stock, 0) AS excess
    FROM inventory i
    JOIN unnest(CAST(:nodes AS text[]), CAST(:skus AS text[])) AS p(node_id, sku) USING (node_id, sku)
    WHERE i.reserved > i.on_hand - i.safety_stock
    ORDER BY i.node_id, i.sku
    """
)
_HOLDERS = text(
    """
    SELECT a.order_id, l.line_no, sum(a.quantity) AS quantity
    FROM allocations a JOIN order_lines l ON l.id = a.order_line_id JOIN orders o ON o.id = a.order_id
    WHERE a.node_id = :node AND a.sku = :sku AND l.status IN ('allocated', 'partially_allocated', 'backordered')
      AND o.status = ANY(:statuses)
    GROUP BY a.order_id, l.line_no, o.created_at
    ORDER BY o.created_at DESC, a.order_id DESC
    """
)


def reroute_over_reserved(uow: UnitOfWork, actor: Actor, positions: list[tuple[str, str]]) -> RerouteReport:
    """Reroute, newest first, the orders over-reserving any of `positions` ((node id, SKU) pairs) after a
    count `actor` recorded."""
    if not positions:
        return RerouteReport()
    statuses = sorted(s.value for s in ALLOWED_FROM["reroute"])
    givers: dict[tuple[int, str], list[int]] = {}  # (order id, node id) -> its line numbers, newest first
    skus: dict[tuple[int, str], set[str]] = {}
    with uow.reading():
        params = {"nodes": [n for n, _ in positions], "skus": [s for _, s in positions]}
        for over in uow.conn.execute(_OVER_RESERVED, params).all():
            excess = over.excess
            for holder in uow.conn.execute(
                _HOLDERS, {"node": over.node_id, "sku": over.sku, "statuses": statuses}
            ):
                if excess <= 0:
                    break
                givers.setdefault((holder.order_id, over.node_id), []).append(holder.line_no)
                skus.setdefault((holder.order_id, over.node_id), set()).add(over.sku)
                excess -= holder.quantity
    commands = [
        (order_id, RerouteCommand(reason=RerouteReason.STOCK_DISCREPANCY, node_id=node, lines=sorted(lines),
                                  note=f"a stock count at {node} left fewer units than reserved of"
                                       f" {', '.join(sorted(skus[(order_id, node)]))}"))
        for (order_id, node), lines in givers.items()
    ]  # fmt: skip
    return reroute_each(uow, acting_for(actor, REROUTER), commands)
