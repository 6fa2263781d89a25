"""Shopify: order webhooks in (signed by Shopify, no API key), the SKU -> inventory item mapping, stock out."""

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Response

from oms.api.deps import ActorDep, UowDep
from oms.api.paging import Limit
from oms.api.problems import problem_responses
from oms.api.raw_body import body_at_most, too_large
from oms.api.responses import view_response
from oms.services import channel_shopify, channel_shopify_stock
from oms.services.channel_shopify import MAX_BODY_BYTES, Delivery, WebhookAnswer
from oms.services.channel_shopify_stock import (
    InventoryItemPublic,
    InventoryItemsIn,
    InventoryItemsSaved,
    StockPush,
)

router = APIRouter(tags=["shopify"])
ERRORS = problem_responses(404, 422)
_ANY_JSON = {"content": {"application/json": {"schema": {"type": "object"}}}, "required": True}


@router.post(
    "/channels/{channel_id}/shopify/webhooks",
    status_code=201,
    response_model=WebhookAnswer,
    responses={200: {"model": WebhookAnswer, "description": "A duplicate delivery, or a topic not handled"},
               **problem_responses(401, 404, 409, 422), **too_large(MAX_BODY_BYTES)},
    openapi_extra={"requestBody": _ANY_JSON},
)  # fmt: skip
def receive_webhook(
    channel_id: str,
    uow: UowDep,
    body: Annotated[bytes, Depends(body_at_most(MAX_BODY_BYTES))],  # read here: the signature is over it
    topic: Annotated[str | None, Header(alias="X-Shopify-Topic")] = None,
    signature: Annotated[str | None, Header(alias="X-Shopify-Hmac-Sha256")] = None,
    shop_domain: Annotated[str | None, Header(alias="X-Shopify-Shop-Domain")] = None,
    webhook_id: Annotated[str | None, Header(alias="X-Shopify-Webhook-Id", max_length=200)] = None,
) -> Response:
    """Shopify's orders/create, orders/updated, orders/cancelled and refunds/create (the REST Admin API's
    order and refund JSON). Authenticated by X-Shopify-Hmac-Sha256 over the raw body with the channel
    integration's secret (401 otherwise, nothing stored); 404 for a channel without an enabled Shopify
    integration. 201 when the delivery was taken (an order captured, changed, or the message recorded);
    200 for a delivery of a webhook handled before (by X-Shopify-Webhook-Id: nothing changes) and for
    other topics (ignored, not stored). A malformed order answers 422 naming Shopify's field; a body over
    4 MiB 413, before it is read whole."""
    delivery = Delivery(body, topic, signature, shop_domain, webhook_id)
    answer = channel_shopify.receive_webhook(uow, channel_id, delivery)
    return view_response(answer, 200 if answer.result in ("duplicate", "ignored") else 201)


@router.get("/channels/{channel_id}/shopify/inventory-items", responses=ERRORS)
def read_inventory_items(
    channel_id: str, actor: ActorDep, uow: UowDep, limit: Limit = 100,
    after: Annotated[str | None, Query(max_length=64, description="The last SKU of the previous page")] = None,
) -> list[InventoryItemPublic]:  # fmt: skip
    """The Shopify inventory item (and variant) of each SKU, with the stock last sent per location."""
    return channel_shopify_stock.list_inventory_items(uow, actor, channel_id, after, limit)


@router.put("/channels/{channel_id}/shopify/inventory-items", responses=ERRORS)
def write_inventory_items(channel_id: str, body: InventoryItemsIn, actor: ActorDep, uow: UowDep) -> InventoryItemsSaved:
    """Replace the SKU -> inventory item mapping (admins). Stock is pushed for mapped SKUs only; a line
    item without a SKU is read by its variant."""
    return channel_shopify_stock.set_inventory_items(uow, actor, channel_id, body)


@router.post("/channels/{channel_id}/shopify/inventory/push", responses=ERRORS)
def push_inventory(channel_id: str, actor: ActorDep, uow: UowDep) -> StockPush:
    """Push now what changed of the channel's stock at its Shopify locations (the worker does it every 30 s)."""
    return channel_shopify_stock.push_now(uow, actor, channel_id)
