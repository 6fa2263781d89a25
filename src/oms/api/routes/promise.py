from fastapi import APIRouter

from oms.api.deps import ActorDep, UowDep
from oms.api.problems import PROBLEM_RESPONSES
from oms.services.promise import PromiseRequest, PromiseResponse, promise

router = APIRouter(tags=["promise"])


@router.post("/promise", responses={422: PROBLEM_RESPONSES[422]})
def promise_cart(request: PromiseRequest, actor: ActorDep, uow: UowDep) -> PromiseResponse:
    """Delivery options for a cart: standard and express with their ship-from nodes, ship and delivery
    dates, and pickup at the nearest stores holding every line, with their ready dates."""
    return promise(uow, actor, request)
