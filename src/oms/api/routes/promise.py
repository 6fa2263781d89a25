from fastapi import APIRouter, Response
from starlette.concurrency import run_in_threadpool

from oms.api.deps import ActorDep, UowDep
from oms.api.problems import problem_responses
from oms.api.responses import view_response
from oms.services.promise import PromiseRequest, PromiseResponse, promise, promise_from_cache

router = APIRouter(tags=["promise"])


@router.post("/promise", response_model=PromiseResponse, responses=problem_responses(422))
async def promise_cart(request: PromiseRequest, actor: ActorDep, uow: UowDep) -> Response:
    """Delivery options for a cart: standard and express with their ship-from nodes, ship and delivery
    dates, and pickup at the nearest stores holding every line, with their ready dates."""
    # On cached stock the promise is a fraction of a millisecond of computation: a hop to the thread
    # pool would cost more than it spares the event loop. What needs a database read goes to the pool.
    answer = promise_from_cache(actor, request)
    if answer is None:
        answer = await run_in_threadpool(promise, uow, actor, request)
    return view_response(answer)
