from fastapi import APIRouter, Response
from starlette.concurrency import run_in_threadpool

from oms.api.deps import ActorDep, UowDep
from oms.api.problems import PROBLEM_RESPONSES
from oms.api.responses import view_response
from oms.services.promise import PromiseRequest, PromiseResponse, needs_no_database, promise

router = APIRouter(tags=["promise"])


@router.post("/promise", response_model=PromiseResponse, responses={422: PROBLEM_RESPONSES[422]})
async def promise_cart(request: PromiseRequest, actor: ActorDep, uow: UowDep) -> Response:
    """Delivery options for a cart: standard and express with their ship-from nodes, ship and delivery
    dates, and pickup at the nearest stores holding every line, with their ready dates."""

    def answer() -> Response:
        return view_response(promise(uow, actor, request))

    # On cached stock the promise is a fraction of a millisecond of computation: a hop to the thread
    # pool would cost more than it spares the event loop. A database read goes to the pool.
    if needs_no_database(actor, request):
        return answer()
    return await run_in_threadpool(answer)
