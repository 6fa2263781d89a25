from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from oms.api.deps import ActorDep, UowDep, unit_of_work
from oms.api.lean_route import api_key_actor, documented, json_body
from oms.api.problems import problem_responses
from oms.api.responses import view_response
from oms.services import order_actions
from oms.services.order_capture import capture_order
from oms.services.order_models import (
    HoldCommand,
    OrderCreate,
    OrderEdit,
    OrderEventPublic,
    OrderListQuery,
    OrderPublic,
    OrdersPage,
    ReasonCommand,
)
from oms.services.order_queries import get_order, list_orders, order_events
from oms.services.reroute_models import RerouteCommand, RerouteResult
from oms.services.routing_decisions import RoutingDecisionRecord, routing_decisions

router = APIRouter(prefix="/orders", tags=["orders"])
ERRORS = problem_responses(404, 409, 422)


@router.post(
    "",
    status_code=201,
    response_model=OrderPublic,
    responses={200: {"model": OrderPublic, "description": "Already captured (idempotent retry)"}, **ERRORS},
    openapi_extra=documented(OrderCreate),
)
async def create_order(request: Request) -> Response:
    """Capture an order and reserve its stock. Idempotent on (channel, external_id): a retry answers 200
    with the order already captured; the same key with different content answers 409."""
    # The hottest write of the API: served without FastAPI's parameters, as the promise is (lean_route).
    actor = await api_key_actor(request)
    cmd = await json_body(request, OrderCreate)
    on_loop = request.app.state.capture
    if on_loop is None:  # an app whose lifespan has not run (some tests)
        order, created = await run_in_threadpool(capture_order, await unit_of_work(request), actor, cmd)
    else:
        order, created = await on_loop.capture(actor, cmd)
    return view_response(order, 201 if created else 200)


@router.get("", responses=ERRORS)
def search_orders(query: Annotated[OrderListQuery, Query()], actor: ActorDep, uow: UowDep) -> OrdersPage:
    """Orders, newest first; pass `next_cursor` back as `cursor` for the next page."""
    return list_orders(uow, actor, query)


@router.get("/{order_id}", response_model=OrderPublic, responses=ERRORS)
def read_order(order_id: int, actor: ActorDep, uow: UowDep) -> Response:
    return view_response(get_order(uow, actor, order_id))


@router.get("/{order_id}/events", responses=ERRORS)
def read_order_events(order_id: int, actor: ActorDep, uow: UowDep) -> list[OrderEventPublic]:
    """The order's append-only audit trail: who did what, on whose behalf, before and after."""
    return order_events(uow, actor, order_id)


@router.get("/{order_id}/routing-decision", responses=ERRORS)
def read_routing_decision(order_id: int, actor: ActorDep, uow: UowDep) -> RoutingDecisionRecord:
    """The order's latest routing: every candidate node with why it was filtered out or how it scores,
    the chosen plan with its score per criterion, the strategies tried, and the versions of the routing
    profiles and rates it was decided with."""
    return routing_decisions(uow, actor, order_id)[0]


@router.get("/{order_id}/routing-decisions", responses=ERRORS)
def read_routing_history(
    order_id: int, actor: ActorDep, uow: UowDep, limit: Annotated[int, Query(ge=1, le=100)] = 20
) -> list[RoutingDecisionRecord]:
    """Every routing of the order (capture, reroutes, batch re-optimisation), newest first."""
    return routing_decisions(uow, actor, order_id, limit)


@router.patch("/{order_id}", responses=ERRORS)
def edit_order(order_id: int, cmd: OrderEdit, actor: ActorDep, uow: UowDep) -> OrderPublic:
    """Change the address or lines of an order not yet released; changed lines are re-reserved."""
    return order_actions.edit(uow, actor, order_id, cmd)


@router.post("/{order_id}/hold", responses=ERRORS)
def hold_order(order_id: int, cmd: HoldCommand, actor: ActorDep, uow: UowDep) -> OrderPublic:
    return order_actions.hold(uow, actor, order_id, cmd)


@router.post("/{order_id}/release-hold", responses=ERRORS)
def release_hold(order_id: int, cmd: ReasonCommand, actor: ActorDep, uow: UowDep) -> OrderPublic:
    return order_actions.release_hold(uow, actor, order_id, cmd)


@router.post("/{order_id}/cancel", responses=ERRORS)
def cancel_order(order_id: int, cmd: ReasonCommand, actor: ActorDep, uow: UowDep) -> OrderPublic:
    """Cancel the order and give its reserved stock back."""
    return order_actions.cancel(uow, actor, order_id, cmd)


@router.post("/{order_id}/lines/{line_no}/cancel", responses=ERRORS)
def cancel_line(order_id: int, line_no: int, cmd: ReasonCommand, actor: ActorDep, uow: UowDep) -> OrderPublic:
    """Cancel a line not yet released (its stock given back), or, once in fulfilment, its units waiting for
    stock after a short pick: the line then asks only for what shipped or is held."""
    return order_actions.cancel_line(uow, actor, order_id, line_no, cmd)


@router.post("/{order_id}/allocate", responses=ERRORS)
def allocate_order(order_id: int, actor: ActorDep, uow: UowDep) -> OrderPublic:
    """Try again to reserve stock for backordered quantities."""
    return order_actions.reallocate(uow, actor, order_id)


@router.post("/{order_id}/reroute", responses=ERRORS)
def reroute_order(order_id: int, cmd: RerouteCommand, actor: ActorDep, uow: UowDep) -> RerouteResult:
    """Give back the order's allocations (all, or those at `node_id` and/or of `lines`) and route them
    again without `exclude_nodes`, and without `node_id` for a node outage or a stock discrepancy. What
    finds no node is backordered, except that a manual reroute which would reserve fewer units than it
    gives back is refused with 409 and changes nothing. The decision is stored with reason reroute:<reason>."""
    return order_actions.reroute(uow, actor, order_id, cmd)


@router.post("/{order_id}/release", responses=ERRORS)
def release_order(order_id: int, actor: ActorDep, uow: UowDep) -> OrderPublic:
    """Release the allocated order to fulfilment; it can no longer be edited."""
    return order_actions.release(uow, actor, order_id)
