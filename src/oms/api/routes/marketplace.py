"""Marketplace orders: the marketplace's own order JSON in, the order of its accepted lines and the
acknowledgement owed back out (see oms.services.channel_marketplace)."""

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from oms.api.deps import ActorDep, UowDep
from oms.api.problems import problem_responses
from oms.api.raw_body import read_body, too_large
from oms.api.responses import view_response
from oms.services.channel_marketplace import MAX_BODY_BYTES, MarketplaceOrderAnswer, receive_order

router = APIRouter(tags=["channels"])
_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "description": "One order as the marketplace gives it (Amazon: getOrder's Order with "
    "getOrderItems' OrderItems; Mirakl: an OR11 order), read through the channel's mapping"}}}}}  # fmt: skip


@router.post(
    "/channels/{channel_id}/marketplace/orders",
    status_code=201,
    response_model=MarketplaceOrderAnswer,
    responses={200: {"model": MarketplaceOrderAnswer, "description": "Received before: the first answer"},
               **problem_responses(404, 409, 422), **too_large(MAX_BODY_BYTES)},
    openapi_extra=_BODY,
)
async def receive_marketplace_order(channel_id: str, request: Request, actor: ActorDep, uow: UowDep) -> Response:
    """Receive one marketplace order, as the marketplace sent it. Each line is accepted, or refused when its
    SKU is unknown or inactive or (setting refuse_unavailable) the channel's stock cannot ship it whole now;
    the accepted lines are captured as the order. The acknowledgement, in the marketplace's format, is in
    the answer and queued for the marketplace (document kind marketplace_ack, subject order:<its id>).
    The marketplace's order id deduplicates: a replay answers 200 with the first answer. A body that is not
    JSON, or lacks a mapped field, is refused with 422 naming the marketplace's path, and nothing is kept."""
    body = await read_body(request, MAX_BODY_BYTES)
    answer, first = await run_in_threadpool(receive_order, uow, actor, channel_id, body)
    return view_response(answer, 201 if first else 200)
