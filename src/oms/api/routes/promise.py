from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from oms.api.deps import unit_of_work
from oms.api.lean_route import api_key_actor, documented, json_body
from oms.api.problems import problem_responses
from oms.api.responses import view_response
from oms.services.promise import PromiseRequest, PromiseResponse, promise, promise_from_cache

router = APIRouter(tags=["promise"])


@router.post(
    "/promise",
    response_model=PromiseResponse,
    responses=problem_responses(422),
    openapi_extra=documented(PromiseRequest),
)
async def promise_cart(request: Request) -> Response:
    """Delivery options for a cart: standard and express with their ship-from nodes, ship and delivery
    dates, and pickup at the nearest stores holding every line, with their ready dates."""
    # The hottest read of the API: no FastAPI parameters to solve (lean_route). On cached stock the
    # promise is a fraction of a millisecond of computation: a hop to the thread pool would cost more than
    # it spares the event loop. What needs a database read goes to the pool.
    actor = await api_key_actor(request)
    cart = await json_body(request, PromiseRequest)
    answer = promise_from_cache(actor, cart)
    if answer is None:
        answer = await run_in_threadpool(promise, await unit_of_work(request), actor, cart)
    return view_response(answer)
