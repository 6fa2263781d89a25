"""Reports across the business: the managers' overview (the console's /overview page in JSON)."""

from typing import Annotated

from fastapi import APIRouter, Query

from oms.api.deps import ActorDep, UowDep
from oms.api.problems import problem_responses
from oms.services.overview import overview
from oms.services.overview_models import Overview, OverviewQuery

router = APIRouter(prefix="/reports", tags=["reports"])


@router.get("/overview", responses=problem_responses(403, 422))
def read_overview(query: Annotated[OverviewQuery, Query()], actor: ActorDep, uow: UowDep) -> Overview:
    """Over a period of UTC days (the last 14 by default, at most 92), optionally one channel: orders
    captured per day, channel and currency (count and value, currencies never added up); lead times from
    capture to shipment and to delivery (p50/p90 hours) and late shipments, per day and per node, over the
    shipments that left in the period; open orders past their promised delivery date now, the oldest
    listed; stock-outs now (positions with ATP at or under zero, network-wide ones first, with the
    backordered units waiting on them) and the order lines that went backordered per day."""
    return overview(uow, actor, query)
