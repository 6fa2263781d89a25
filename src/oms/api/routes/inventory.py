from fastapi import APIRouter

from oms.api.deps import ActorDep, UowDep
from oms.api.paging import Cursor, Limit
from oms.api.problems import problem_responses
from oms.services.inventory import (
    InventoryCounted,
    InventoryPage,
    InventorySet,
    list_inventory,
    set_inventory,
)
from oms.services.pagination import DEFAULT_LIMIT

router = APIRouter(prefix="/inventory", tags=["inventory"])
ERRORS = problem_responses(404, 422)


@router.get("", responses=ERRORS)
def search_inventory(
    actor: ActorDep,
    uow: UowDep,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
    sku: str | None = None,
    node: str | None = None,
) -> InventoryPage:
    """Stock positions in node and SKU order, optionally of one SKU and/or one node."""
    return list_inventory(uow, actor, limit, cursor, sku, node)


@router.put("/{node_id}/{sku}", responses=ERRORS)
def write_position(
    node_id: str, sku: str, body: InventorySet, actor: ActorDep, uow: UowDep
) -> InventoryCounted:
    """Set counted stock and safety stock; reserved units stay as orders left them, except that when the
    count leaves fewer units than orders reserved, the newest of those orders not yet released are
    rerouted away from the node until the rest fit (`reroutes` lists them). Answers the position with
    its ATP (before channel protections and inbound supply)."""
    return set_inventory(uow, actor, node_id, sku, body)
