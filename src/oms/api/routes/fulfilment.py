from typing import Annotated

from fastapi import APIRouter, Query

from oms.api.deps import ActorDep, UowDep
from oms.api.problems import problem_responses
from oms.services.fulfilment_models import (
    FulfilmentOrderDetail,
    FulfilmentOrderPage,
    FulfilmentOrderQuery,
    NodeIntegrationIn,
    NodeIntegrationPublic,
)
from oms.services.fulfilment_queries import get_fulfilment_order, list_fulfilment_orders
from oms.services.node_integrations import get_integration, set_integration

router = APIRouter(tags=["fulfilment"])
ERRORS = problem_responses(404, 422)


@router.get("/fulfilment-orders", responses=ERRORS)
def search_fulfilment_orders(
    query: Annotated[FulfilmentOrderQuery, Query()], actor: ActorDep, uow: UowDep
) -> FulfilmentOrderPage:
    """Fulfilment orders in id order, optionally of one node, status or order; a wms key sees its node's."""
    return list_fulfilment_orders(uow, actor, query)


@router.get("/fulfilment-orders/{fulfilment_order_id}", responses=ERRORS)
def read_fulfilment_order(fulfilment_order_id: int, actor: ActorDep, uow: UowDep) -> FulfilmentOrderDetail:
    """A fulfilment order with its lines, the state of sending it to the WMS, its shipments and the WMS
    events received for it."""
    return get_fulfilment_order(uow, actor, fulfilment_order_id)


@router.get("/nodes/{node_id}/integration", responses=ERRORS)
def read_integration(node_id: str, actor: ActorDep, uow: UowDep) -> NodeIntegrationPublic:
    """How the node's WMS receives releases (the secret is never shown)."""
    return get_integration(uow, actor, node_id)


@router.put("/nodes/{node_id}/integration", responses=ERRORS)
def write_integration(node_id: str, body: NodeIntegrationIn, actor: ActorDep, uow: UowDep) -> NodeIntegrationPublic:
    """Set how the node's WMS receives releases: `http` (endpoint_url and secret: the document is POSTed,
    signed with HMAC-SHA256), `file` (drop_dir: one JSON file per fulfilment order) or `manual`."""
    return set_integration(uow, actor, node_id, body)
