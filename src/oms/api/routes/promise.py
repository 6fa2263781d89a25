from fastapi import APIRouter, Response

from oms.api.deps import ActorDep, UowDep
from oms.api.problems import PROBLEM_RESPONSES
from oms.api.responses import view_response
from oms.services.promise import PromiseRequest, PromiseResponse, promise

router = APIRouter(tags=["promise"])


@router.post("/promise", response_model=PromiseResponse, responses={422: PROBLEM_RESPONSES[422]})
def promise_cart(request: PromiseRequest, actor: ActorDep, uow: UowDep) -> Response:
    """Delivery options for a cart: standard and express with their ship-from nodes, ship and delivery
    dates, and pickup at the nearest stores holding every line, with their ready dates."""
    return view_response(promise(uow, actor, request))
