"""Reading stock positions, inbound supply and channel protections: the inputs of every ATP figure."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, text

from oms.db.plans import opaque
from oms.domain.atp import Position, Protection, atp, held_back


@dataclass(slots=True)
class NodeStock:
    """One SKU at one node, with its inbound supply as (expected date, quantity) pairs."""

    position: Position
    node_type: str
    priority: int
    inbound: list[tuple[date, int]] = field(default_factory=list)

    def inbound_by(self, when: date | None) -> int:
        return 0 if when is None else sum(q for d, q in self.inbound if d <= when)

    def atp(self, channel_id: str | None, protections: list[Protection], when: date | None = None) -> int:
        held = held_back(self.position, channel_id, protections)
        return atp(self.position, self.inbound_by(when), held)


_POSITIONS = text(
    """
    SELECT i.node_id, i.sku, i.on_hand, i.reserved, i.safety_stock, n.type, n.priority
    FROM inventory i JOIN nodes n ON n.id = i.node_id
    WHERE i.sku = ANY(:skus) AND n.active AND (CAST(:node AS text) IS NULL OR i.node_id = :node)
      AND (CAST(:country AS text) IS NULL OR n.country = :country)
    """
)
_INBOUND = text(
    """
    SELECT s.node_id, s.sku, s.expected_date, sum(s.quantity) AS quantity, n.type, n.priority
    FROM inbound_supply s JOIN nodes n ON n.id = s.node_id
    WHERE s.status = 'open' AND s.sku = ANY(:skus) AND n.active
      AND (CAST(:node AS text) IS NULL OR s.node_id = :node)
      AND (CAST(:country AS text) IS NULL OR n.country = :country)
    GROUP BY s.node_id, s.sku, s.expected_date, n.type, n.priority
    """
)
_PROTECTIONS = text(
    """
    SELECT channel_id, sku, node_id, quantity, share FROM channel_protections
    WHERE channel_id = :channel AND (sku IS NULL OR sku = ANY(:skus))
    """
)


def load_stock(conn: Connection, skus: list[str], node_id: str | None = None,
               country: str | None = None) -> list[NodeStock]:  # fmt: skip
    """Stock of `skus` at every active node (or at `node_id`, or at the nodes in `country`), ordered by
    node priority."""
    params = {"skus": skus, "node": node_id, "country": country}
    stock: dict[tuple[str, str], NodeStock] = {}
    for r in conn.execute(_POSITIONS, params):
        stock[(r.node_id, r.sku)] = NodeStock(
            Position(r.node_id, r.sku, r.on_hand, r.reserved, r.safety_stock), r.type, r.priority
        )
    for r in conn.execute(_INBOUND, params):
        entry = stock.setdefault(
            (r.node_id, r.sku), NodeStock(Position(r.node_id, r.sku, 0, 0, 0), r.type, r.priority)
        )
        entry.inbound.append((r.expected_date, int(r.quantity)))
    return sorted(stock.values(), key=lambda s: (s.priority, s.position.node_id))


def load_protections(conn: Connection, channel_id: str | None, skus: list[str]) -> list[Protection]:
    if channel_id is None:
        return []
    rows = conn.execute(_PROTECTIONS, {"channel": channel_id, "skus": skus})
    return [Protection(r.channel_id, r.sku, r.node_id, r.quantity, r.share) for r in rows]


# The protections of :channel for :skus as one JSON array, for statements that read them with other facts
# (the SKUs hidden from the planner, as those statements' stock is: see oms.db.plans).
PROTECTIONS_JSON_SQL = f"""
    (SELECT coalesce(json_agg(json_build_object('sku', sku, 'node_id', node_id, 'quantity', quantity,
                                                'share', share)), '[]'::json)
     FROM channel_protections
     WHERE channel_id = :channel AND (sku IS NULL OR sku = ANY({opaque("skus", "text[]")})))
"""


def protections_from_json(channel_id: str, rows: list[dict]) -> list[Protection]:
    """The protections `PROTECTIONS_JSON_SQL` returned (shares come back as JSON numbers)."""
    return [
        Protection(channel_id, r["sku"], r["node_id"], r["quantity"],
                   None if r["share"] is None else Decimal(str(r["share"])))
        for r in rows
    ]  # fmt: skip
