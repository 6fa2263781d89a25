from typing import Annotated

from fastapi import APIRouter, Body, Response

from oms.api.deps import ActorDep, UowDep
from oms.api.problems import problem_responses
from oms.api.responses import view_response
from oms.services.wms_event_models import WmsEvent, WmsEventOutcome
from oms.services.wms_events import post_event

router = APIRouter(prefix="/wms", tags=["fulfilment"])
RETRY = {"model": WmsEventOutcome, "description": "Already received (a retry): the first answer"}


@router.post(
    "/events",
    status_code=201,
    response_model=WmsEventOutcome,
    responses={200: RETRY, **problem_responses(403, 404, 409, 422)},
)
def receive_event(event: Annotated[WmsEvent, Body()], actor: ActorDep, uow: UowDep) -> Response:
    """What a node did with a fulfilment order: acknowledged, accepted, picked, packed, shipped (carrier,
    service, tracking number, parcels, units per line: all still open by default), short_picked (units
    not found per line: rerouted) or rejected (everything open: rerouted). Idempotent by `event_id`: a
    retry answers 200 with the first answer, the same id with another body 409. A wms key reports for
    its own node's fulfilment orders only."""
    outcome, applied = post_event(uow, actor, event)
    return view_response(outcome, 201 if applied else 200)
