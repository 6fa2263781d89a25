"""SKUs running short across the network: network ATP (active nodes, no channel's protections) under a
threshold, or under the safety stock the nodes keep for it. A product stocked nowhere counts as out."""

from pydantic import BaseModel, Field
from sqlalchemy import text

from oms.services.actor import Actor, Permission
from oms.services.order_models import Command
from oms.services.uow import UnitOfWork

# Network totals are summed per SKU before the filter, so a page costs one pass over active positions;
# fine for a console's page, and keyset on SKU keeps later pages as cheap as the first.
_LOW = text(
    """
    WITH totals AS (
      SELECT i.sku, sum(i.on_hand) AS on_hand, sum(i.reserved) AS reserved, sum(i.safety_stock) AS safety_stock,
             sum(greatest(i.on_hand - i.reserved - i.safety_stock, 0)) AS atp, count(*) AS nodes
      FROM inventory i JOIN nodes n ON n.id = i.node_id WHERE n.active GROUP BY i.sku)
    SELECT p.sku, p.name, coalesce(t.on_hand, 0) AS on_hand, coalesce(t.reserved, 0) AS reserved,
           coalesce(t.safety_stock, 0) AS safety_stock, coalesce(t.atp, 0) AS atp, coalesce(t.nodes, 0) AS nodes
    FROM products p LEFT JOIN totals t ON t.sku = p.sku
    WHERE p.active AND (CAST(:cursor AS text) IS NULL OR p.sku > :cursor)
      AND (coalesce(t.atp, 0) < :threshold OR coalesce(t.atp, 0) < coalesce(t.safety_stock, 0))
    ORDER BY p.sku LIMIT :limit
    """
)


class LowStockQuery(Command):
    threshold: int = Field(default=5, ge=0, le=1_000_000, description="Network ATP under this is low")
    limit: int = Field(default=50, ge=1, le=500)
    cursor: str | None = Field(default=None, max_length=64, description="next_cursor of the previous page")


class LowStockItem(BaseModel):
    sku: str
    name: str
    on_hand: int
    reserved: int
    safety_stock: int
    atp: int = Field(description="Network ATP now, no channel's protections applied")
    nodes: int = Field(description="Active nodes holding a position")
    under_safety_stock: bool = Field(description="Network ATP is under the network's safety stock")


class LowStockPage(BaseModel):
    threshold: int
    items: list[LowStockItem]
    next_cursor: str | None = None


def low_stock(uow: UnitOfWork, actor: Actor, query: LowStockQuery) -> LowStockPage:
    """Active products running short, in SKU order, one page at a time."""
    actor.require(Permission.INVENTORY_READ)
    params = {"threshold": query.threshold, "cursor": query.cursor, "limit": query.limit + 1}
    with uow.reading():
        rows = uow.conn.execute(_LOW, params).mappings().all()
    items = [LowStockItem(**r, under_safety_stock=r["atp"] < r["safety_stock"])
             for r in rows[: query.limit]]  # fmt: skip
    more = len(rows) > query.limit
    return LowStockPage(threshold=query.threshold, items=items, next_cursor=items[-1].sku if more else None)
