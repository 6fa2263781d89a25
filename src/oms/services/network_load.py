"""Each node's load today: the shipments it took on for its local day against its daily capacity, the
fulfilment orders it has open, and whether it is running or in an outage (its `active` flag)."""

from pydantic import BaseModel, Field
from sqlalchemy import Date, func, select

from oms.db.tables import fulfilment_orders, node_capacity_usage, nodes
from oms.domain.fulfilment import CLOSED
from oms.services.actor import Actor, Permission
from oms.services.pagination import DEFAULT_LIMIT, Page, fetch_page
from oms.services.uow import UnitOfWork


class NodeLoad(BaseModel):
    id: str
    name: str
    type: str
    country: str
    daily_capacity: int
    used_today: int = Field(
        description="Shipments taken on for the node's local day (oms.services.node_capacity)"
    )
    open_fulfilment_orders: int = Field(description="Released to the node and not closed")
    active: bool = Field(description="False while the node is in an outage")

    @property
    def used_pct(self) -> int | None:
        return round(100 * self.used_today / self.daily_capacity) if self.daily_capacity else None


class NodeLoadPage(Page[NodeLoad]):
    """Nodes in id order."""


# The node's local day, as the capacity triggers of migration 0007 count it.
_LOCAL_TODAY = func.cast(func.timezone(nodes.c.timezone, func.now()), Date)
_USED_TODAY = (
    select(func.coalesce(func.sum(node_capacity_usage.c.shipments), 0))
    .where(node_capacity_usage.c.node_id == nodes.c.id, node_capacity_usage.c.day == _LOCAL_TODAY)
    .scalar_subquery()
)
_OPEN = (
    select(func.count())
    .where(fulfilment_orders.c.node_id == nodes.c.id, fulfilment_orders.c.status.not_in(sorted(CLOSED)))
    .scalar_subquery()
)
_LOADS = select(
    nodes.c.id, nodes.c.name, nodes.c.type, nodes.c.country, nodes.c.daily_capacity, nodes.c.active,
    _USED_TODAY.label("used_today"), _OPEN.label("open_fulfilment_orders"),
)  # fmt: skip


def node_loads(
    uow: UnitOfWork, actor: Actor, limit: int = DEFAULT_LIMIT, cursor: str | None = None
) -> NodeLoadPage:
    actor.require(Permission.NETWORK_READ)
    with uow.reading():
        return fetch_page(uow.conn, _LOADS, [nodes.c.id], limit, cursor, NodeLoadPage,
                          lambda row: NodeLoad.model_validate(row._mapping))  # fmt: skip
