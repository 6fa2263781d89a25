from typing import Annotated

from fastapi import APIRouter, Query

from oms.api.deps import ActorDep, UowDep
from oms.api.problems import problem_responses
from oms.services.atp import AtpPublic, AtpQuery, get_atp

router = APIRouter(tags=["inventory"])


@router.get("/atp", responses=problem_responses(404, 422))
def atp(query: Annotated[AtpQuery, Query()], actor: ActorDep, uow: UowDep) -> AtpPublic:
    """Available-to-promise of a SKU per node and in total, net of reservations, safety stock and
    (with `channel`) stock protected from that channel; with `date`, counting inbound supply due by then."""
    return get_atp(uow, actor, query)
