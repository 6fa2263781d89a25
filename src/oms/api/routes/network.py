from typing import Annotated

from fastapi import APIRouter, Path, Query

from oms.api.deps import ActorDep, UowDep
from oms.api.paging import Cursor, Limit
from oms.api.problems import problem_responses
from oms.services.fields import NodeId
from oms.services.network import (
    NodeBody,
    NodePage,
    NodePublic,
    NodeType,
    NodeUpsert,
    get_node,
    list_nodes,
    put_node,
)
from oms.services.node_outage import OutageCommand, OutageReport, declare_outage, end_outage
from oms.services.pagination import DEFAULT_LIMIT

router = APIRouter(prefix="/nodes", tags=["network"])
ERRORS = problem_responses(404, 422)


@router.get("", responses=ERRORS)
def search_nodes(
    actor: ActorDep,
    uow: UowDep,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
    type: NodeType | None = None,
    country: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
) -> NodePage:
    """Nodes in id order, optionally of one type and/or one country."""
    return list_nodes(uow, actor, limit, cursor, type, country)


@router.get("/{node_id}", responses=ERRORS)
def read_node(node_id: str, actor: ActorDep, uow: UowDep) -> NodePublic:
    return get_node(uow, actor, node_id)


@router.put("/{node_id}", responses=ERRORS)
def write_node(
    node_id: Annotated[NodeId, Path()], body: NodeBody, actor: ActorDep, uow: UowDep
) -> NodePublic:
    """Create the node or replace all its fields."""
    return put_node(uow, actor, NodeUpsert(id=node_id, **body.model_dump()))


@router.post("/{node_id}/outage", responses=problem_responses(403, 404, 422))
def start_outage(node_id: str, body: OutageCommand, actor: ActorDep, uow: UowDep) -> OutageReport:
    """Take the node out of fulfilment (it stops being offered, routed to and reserved from) and reroute
    every order not yet released that has allocations there, oldest first, each on its own: what finds no
    other node is backordered. Answers which orders were rerouted, backordered, or failed and why. Declaring
    it again reroutes whatever is still allocated there."""
    return declare_outage(uow, actor, node_id, body)


@router.delete("/{node_id}/outage", responses=problem_responses(403, 404, 422))
def stop_outage(node_id: str, actor: ActorDep, uow: UowDep) -> NodePublic:
    """Put the node back into fulfilment; orders rerouted away stay where they went."""
    return end_outage(uow, actor, node_id)
