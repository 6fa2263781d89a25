"""What the delivered history says about nodes and carriers: the latest routing reliability table."""

from typing import Annotated

from fastapi import APIRouter, Query

from oms.api.deps import ActorDep, UowDep
from oms.api.problems import problem_responses
from oms.services.routing_reliability_views import ReliabilityPage, ReliabilityQuery, reliability_page

router = APIRouter(prefix="/routing", tags=["routing"])


@router.get("/reliability", responses=problem_responses(403, 404, 422))
def read_reliability(
    query: Annotated[ReliabilityQuery, Query()], actor: ActorDep, uow: UowDep
) -> ReliabilityPage:
    """A page of cells (node, carrier, destination region, service level) of the latest learnt version,
    with their delivered shipments, on-time probability and transit days (mean, p50, p90), and each
    node's reliability (short picks, late hand-overs); 404 before the first `oms routing learn`. Needs
    routing:read."""
    return reliability_page(uow, actor, query)
