"""Stock positions per node and SKU: set by counts and imports, never touching what orders reserved.

Setting a position locks its row (see oms.services.bulk), so it composes with concurrent reservations:
a reservation either sees the old count or the new one, never a mix, and `reserved` is kept as it is.
A count that leaves fewer units than orders reserved is then settled by rerouting the newest of them
(oms.services.stock_discrepancy), after the count has committed: the count is a fact either way.
"""

import datetime as dt
import logging

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, select

from oms.db.tables import inventory
from oms.domain.atp import Position, atp
from oms.services.actor import Actor, Permission
from oms.services.bulk import Progress, duplicate_errors, upsert_audited
from oms.services.errors import NotFound, ValidationFailed
from oms.services.fields import NodeId, Quantity, Sku
from oms.services.pagination import DEFAULT_LIMIT, Page, fetch_page
from oms.services.references import unknown_references
from oms.services.reroute_runs import RerouteReport
from oms.services.stock_discrepancy import reroute_over_reserved
from oms.services.uow import UnitOfWork

PUBLISH = "inventory.updated"
log = logging.getLogger(__name__)


class InventorySet(BaseModel):
    """What PUT /inventory/{node_id}/{sku} takes: counted stock and the buffer never promised."""

    model_config = ConfigDict(extra="forbid")

    on_hand: Quantity
    safety_stock: Quantity


class InventoryRow(InventorySet):
    """One position of a batch (an import file's row)."""

    node_id: NodeId
    sku: Sku


class InventoryPublic(BaseModel):
    node_id: str
    sku: str
    on_hand: int
    reserved: int
    safety_stock: int
    atp: int
    updated_at: dt.datetime


class InventoryPage(Page[InventoryPublic]):
    """Stock positions in node, then SKU order."""


class InventoryCounted(InventoryPublic):
    """A position as a count left it, after the orders it left over-reserved were rerouted."""

    reroutes: RerouteReport = Field(description="Orders rerouted because the count left too few units")


def set_inventory(
    uow: UnitOfWork, actor: Actor, node_id: str, sku: str, command: InventorySet
) -> InventoryCounted:
    """Set a position's on-hand and safety stock; 404 for an unknown node or SKU. A count that leaves
    fewer units than orders reserved reroutes the newest of them (oms.services.stock_discrepancy)."""
    actor.require(Permission.INVENTORY_WRITE)
    with uow:
        if errors := unknown_references(uow.conn, [{"node_id": node_id, "sku": sku}]):
            raise NotFound("; ".join(e.message for e in errors))
        row = {"node_id": node_id, "sku": sku, **command.model_dump()}
        upsert_audited(uow, actor, inventory, [row], "inventory", publish=PUBLISH)
        uow.commit()
    reroutes = reroute_over_reserved(uow, actor, [(node_id, sku)])
    with uow.reading():
        return InventoryCounted(**_load(uow.conn, node_id, sku).model_dump(), reroutes=reroutes)


def set_inventory_batch(
    uow: UnitOfWork, actor: Actor, rows: list[InventoryRow], progress: Progress | None = None
) -> int:
    """Set many positions, all or none; returns how many were created or changed. Refused with field
    paths `(index, field)` for unknown nodes or SKUs and repeated positions."""
    actor.require(Permission.INVENTORY_WRITE)
    with uow:
        positions = [{"node_id": r.node_id, "sku": r.sku} for r in rows]
        errors = duplicate_errors([(r.node_id, r.sku) for r in rows], "sku", "position")
        if errors := errors + unknown_references(uow.conn, positions):
            raise ValidationFailed(errors)
        count = upsert_audited(
            uow,
            actor,
            inventory,
            [r.model_dump() for r in rows],
            "inventory",
            publish=PUBLISH,
            progress=progress,
        )
        uow.commit()
    report = reroute_over_reserved(uow, actor, [(r.node_id, r.sku) for r in rows])
    if report.failed:
        log.warning("stock import: %d over-reserved order(s) could not be rerouted", len(report.failed))
    return count


def list_inventory(
    uow: UnitOfWork,
    actor: Actor,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
    sku: str | None = None,
    node: str | None = None,
) -> InventoryPage:
    """Positions ordered by node then SKU, optionally of one SKU and/or one node."""
    actor.require(Permission.INVENTORY_READ)
    query = select(inventory)
    if sku:
        query = query.where(inventory.c.sku == sku)
    if node:
        query = query.where(inventory.c.node_id == node)
    with uow.reading():
        key = [inventory.c.node_id, inventory.c.sku]
        return fetch_page(uow.conn, query, key, limit, cursor, InventoryPage, _public)


def _load(conn: Connection, node_id: str, sku: str) -> InventoryPublic:
    query = select(inventory).where(inventory.c.node_id == node_id, inventory.c.sku == sku)
    return _public(conn.execute(query).one())


def _public(row) -> InventoryPublic:
    position = Position(row.node_id, row.sku, row.on_hand, row.reserved, row.safety_stock)
    return InventoryPublic(**row._mapping, atp=atp(position))
