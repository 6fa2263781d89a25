"""Shopify's order webhooks: verified, deduplicated, captured or applied, kept as received.

`POST /channels/{id}/shopify/webhooks` carries no API key: Shopify signs the raw body with the app's
secret (the channel integration's `secret`) and the signature is the authentication; the request acts
as the channel (a channel-role actor named after the shop, granted what the shop's changes need: edits
and payment-review holds, which channel keys may not do). Then:
- A delivery is known by X-Shopify-Webhook-Id (the same on every retry): one handled already answers
  200 `duplicate` with what it did and changes nothing, also when two deliveries race.
- orders/create captures the order with its payload (oms.services.order_capture, one statement).
- orders/updated and orders/cancelled of an order never captured capture it first (an update may
  overtake the creation it follows; a cancelled order is captured, then cancelled, so that a creation
  arriving late finds it), then apply what they say, as does orders/create of an order captured already
  (oms.services.channel_shopify_apply: one transaction; what changed since the Shopify state applied
  before; an update older than that state is recorded, not applied).
- refunds/create cancels the units refunded with restock type `cancel` of an order not yet released;
  a refund already reflected by an update changes nothing; one of an order never captured is recorded.
- An order with nothing left to ship (gift cards, digital items) is recorded, not captured.
Any other topic answers 200 `ignored` and is not stored: Shopify deletes a subscription whose
deliveries keep failing, and a topic subscribed by mistake should not cost the others.
"""

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import Connection, text

from oms.channels.shopify.changes import OrderState, Plan, plan_cancel, plan_refund, plan_update
from oms.channels.shopify.mapping import MappedOrder, map_order, on_line_items, unknown_skus
from oms.channels.shopify.resources import ORDER_TOPICS, REFUND_TOPIC, ShopifyOrder, ShopifyRefund, read
from oms.channels.shopify.settings import ShopifySettings
from oms.channels.shopify.signature import verify
from oms.services.actor import SHOP_INTEGRATION, Actor, Role
from oms.services.channel_integrations import load_integration
from oms.services.channel_shopify_apply import Applied, History, Message, apply_message, store_once
from oms.services.errors import Conflict, FieldError, NotFound, Unauthorized, ValidationFailed
from oms.services.inbound import AlreadyReceived, OrderSource, Payload, Received, find_received
from oms.services.order_capture import capture_order
from oms.services.order_models import OrderPublic
from oms.services.uow import UnitOfWork

CREATE, _, CANCEL = ORDER_TOPICS
TOPICS = (*ORDER_TOPICS, REFUND_TOPIC)
ATTEMPTS = 3  # a delivery racing its duplicate goes round again to answer as the winner did
# Read before the signature is checked, so bounded: Shopify's largest orders (hundreds of line items) are far
# smaller.
MAX_BODY_BYTES = 4 * 1024 * 1024
_ORDER = text("SELECT id FROM orders WHERE channel_id = :channel AND external_id = :external_id")
_VARIANTS = text(
    "SELECT variant_id, sku FROM shopify_inventory_items WHERE channel_id = :channel AND variant_id = ANY(:ids)"
)
_ACTIVE = text("SELECT sku FROM products WHERE sku = ANY(:skus) AND active")


@dataclass(frozen=True, slots=True)
class Delivery:
    """A webhook request as received: the raw body and Shopify's headers (any may be missing)."""

    body: bytes
    topic: str | None = None
    signature: str | None = None  # X-Shopify-Hmac-Sha256
    shop_domain: str | None = None
    webhook_id: str | None = None


class WebhookAnswer(BaseModel):
    result: Literal["captured", "applied", "recorded", "duplicate", "ignored"] = Field(
        description="captured: a new order; applied: the order changed; recorded: stored, nothing to change;"
        " duplicate: this delivery was handled before; ignored: a topic the OMS does not handle"
    )
    topic: str | None
    webhook_id: str | None
    order_id: int | None
    payload_id: int | None = Field(description="The payload as received: GET /inbound-payloads/{payload_id}")
    outcome: dict | None = Field(description="What was applied, and what not and why")


def receive_webhook(uow: UnitOfWork, channel_id: str, delivery: Delivery) -> WebhookAnswer:
    settings = _authenticate(uow, channel_id, delivery)
    if delivery.topic not in TOPICS:
        return WebhookAnswer(result="ignored", topic=delivery.topic, webhook_id=delivery.webhook_id, order_id=None,
                             payload_id=None, outcome=None)  # fmt: skip
    if not delivery.webhook_id:
        raise ValidationFailed([FieldError(("header", "X-Shopify-Webhook-Id"), "missing", "missing")])
    actor = Actor(name=f"shopify:{settings.shop_domain}", role=Role.CHANNEL, channel_id=channel_id,
                  grants=SHOP_INTEGRATION)  # fmt: skip
    payload = Payload("shopify", "application/json", delivery.body, delivery.topic, delivery.webhook_id)
    handler = _Handler(Message(uow, actor, channel_id, payload), settings)
    for _ in range(ATTEMPTS):
        try:
            return handler.handle()
        except (AlreadyReceived, _CapturedMeanwhile):
            continue  # another delivery got there first: go round again, to answer as it did or act on its order
    raise Conflict(f"webhook {delivery.webhook_id} is being handled by another delivery; try again")


def _authenticate(uow: UnitOfWork, channel_id: str, delivery: Delivery) -> ShopifySettings:
    with uow.reading():
        integration = load_integration(uow.conn, channel_id, "shopify")
    if integration is None:
        raise NotFound(f"channel '{channel_id}' has no enabled Shopify integration")
    if not integration.secret or not verify(integration.secret, delivery.body, delivery.signature):
        raise Unauthorized("X-Shopify-Hmac-Sha256 does not sign this body with the channel's secret")
    settings: ShopifySettings = integration.settings
    if delivery.shop_domain and delivery.shop_domain.strip().lower() != settings.shop_domain:
        raise Unauthorized(f"X-Shopify-Shop-Domain is not this channel's shop ({settings.shop_domain})")
    return settings


class _CapturedMeanwhile(Exception):
    """The order was captured by another message (or delivery) while this one was capturing it."""


class _Handler:
    """One delivery, handled; `handle` may run again when a racing duplicate was stored first."""

    def __init__(self, message: Message, settings: ShopifySettings):
        self.message = message
        self.settings = settings
        self.uow = message.uow
        self.topic = message.payload.topic
        self.captured_meanwhile = False

    def handle(self) -> WebhookAnswer:
        with self.uow.reading():
            received = find_received(self.uow.conn, self.message.channel, "shopify", self.message.webhook_id)
        if self.topic == REFUND_TOPIC:
            return self._refund(read(ShopifyRefund, self.message.payload.body), received)
        order = read(ShopifyOrder, self.message.payload.body)
        cancelled = order.cancelled_at is not None or self.topic == CANCEL
        # A creation is done once its order is captured (with it); any other message once it has an outcome.
        if received and (received.outcome is not None or (self.topic == CREATE and not cancelled)):
            return self._answer("duplicate", received.order_id, received.payload_id, received.outcome)
        order_id = received.order_id if received else self._order_of(order.id, self.topic == CREATE and not cancelled)
        # An order cancelled before the OMS heard of it is captured as ordered, then cancelled.
        mapped = self._map(order, as_ordered=cancelled and order_id is None)
        if order_id is None:
            if mapped.command is None:
                return self._record({"shopify_order_id": order.id, "captured": False, "skipped": mapped.skipped,
                                     "not_applied": ["nothing left for the OMS to ship"]})  # fmt: skip
            order_id, payload_id = self._capture(mapped)
            if self.topic == CREATE and not cancelled:
                return self._answer("captured", order_id, payload_id, None)
            return self._apply_order(order_id, order, mapped, cancelled).model_copy(update={"result": "captured"})
        return self._apply_order(order_id, order, mapped, cancelled)

    def _capture(self, mapped: MappedOrder) -> tuple[int, int]:
        """The ids of the order captured with this payload, and of the payload."""
        command = mapped.command
        try:
            order, created = capture_order(self.uow, self.message.actor, command,
                                           OrderSource(payload=self.message.payload))  # fmt: skip
        except ValidationFailed as error:
            raise on_line_items(error, [line.sku for line in command.lines], mapped.line_items) from None
        except Conflict:  # captured meanwhile from another state of the order, so with other content
            if self._order_id(int(command.external_id)) is None:
                raise
            self.captured_meanwhile = True
            raise _CapturedMeanwhile() from None
        if not created:  # captured before with this very content
            self.captured_meanwhile = True
            raise _CapturedMeanwhile()
        return order.id, order.source.payload_id

    def _apply_order(self, order_id: int, order: ShopifyOrder, mapped: MappedOrder, cancelled: bool) -> WebhookAnswer:
        after = OrderState.of_command(mapped.command, cancelled)
        outcome = {"shopify_order_id": order.id, "name": order.name, "skipped": mapped.skipped,
                   "updated_at": order.updated_at.isoformat() if order.updated_at else None}  # fmt: skip

        def decide(conn: Connection, current: OrderPublic, history: History) -> tuple[Plan, dict]:
            baseline = history.baseline
            if cancelled:
                return plan_cancel(current), outcome | {"applied": True}
            if baseline and baseline.updated_at and order.updated_at and order.updated_at < baseline.updated_at:
                stale = f"older than the Shopify state applied already ({baseline.updated_at.isoformat()})"
                return Plan(not_applied=[stale]), outcome | {"applied": False}
            plan = plan_update(self._state(conn, baseline) or OrderState.of_order(current), after, current)
            self._check_added(conn, plan, mapped)
            return plan, outcome | {"applied": not plan.not_applied}

        what = f"cancelled ({order.cancel_reason or 'no reason given'})" if cancelled else \
            f"payment {order.financial_status}"
        return self._applied(order_id, apply_message(self.message, order_id, decide, f"Shopify {order.name}: {what}"))

    def _refund(self, refund: ShopifyRefund, received: Received | None) -> WebhookAnswer:
        if received is not None:
            return self._answer("duplicate", received.order_id, received.payload_id, received.outcome)
        outcome = {"refund_id": refund.id, "shopify_order_id": refund.order_id}
        order_id = self._order_id(refund.order_id)
        if order_id is None:
            return self._record(outcome | {"changes": [], "not_applied": ["the order was never captured"]})

        def decide(conn: Connection, current: OrderPublic, history: History) -> tuple[Plan, dict]:
            if refund.id in history.refunds:
                return Plan(not_applied=["reflected already by an update of the order"]), outcome
            return plan_refund(refund, current), outcome

        return self._applied(order_id, apply_message(self.message, order_id, decide, f"Shopify refund {refund.id}"))

    def _map(self, order: ShopifyOrder, conn: Connection | None = None, as_ordered: bool = False) -> MappedOrder:
        """`order` as a capture command; line items that carry no SKU take their variant's (read on `conn`,
        else on a connection of its own)."""
        ids = sorted({item.variant_id for item in order.line_items if not (item.sku or "").strip() and item.variant_id})
        if not ids:
            return map_order(order, self.message.channel, self.settings, {}, as_ordered)
        if conn is None:
            with self.uow.reading():
                return self._map(order, self.uow.conn, as_ordered)
        variants = dict(conn.execute(_VARIANTS, {"channel": self.message.channel, "ids": ids}).all())
        return map_order(order, self.message.channel, self.settings, variants, as_ordered)

    def _state(self, conn: Connection, baseline: ShopifyOrder | None) -> OrderState | None:
        """The baseline as the OMS reads it now; None when it no longer maps (settings changed since)."""
        if baseline is None:
            return None
        try:
            return OrderState.of_command(self._map(baseline, conn).command, baseline.cancelled_at is not None)
        except ValidationFailed:
            return None

    @staticmethod
    def _check_added(conn: Connection, plan: Plan, mapped: MappedOrder) -> None:
        """A line added in Shopify must be of a SKU the OMS sells: 422 naming the line item otherwise."""
        added = [line.sku for line in plan.edit.add_lines] if plan.edit else []
        known = set(conn.execute(_ACTIVE, {"skus": added}).scalars()) if added else set()
        if errors := unknown_skus([sku for sku in added if sku not in known], mapped.line_items):
            raise ValidationFailed(errors)

    def _record(self, outcome: dict) -> WebhookAnswer:
        """Store a message that acts on no order."""
        with self.uow:
            payload_id = store_once(self.uow.conn, self.message, outcome)
            self.uow.record(self.message.actor, f"shopify.{self.topic}", "inbound_payload", payload_id, after=outcome)
            self.uow.commit()
        return self._answer("recorded", None, payload_id, outcome)

    def _applied(self, order_id: int, applied: Applied | None) -> WebhookAnswer:
        if applied is None:  # a duplicate delivery applied it while this one waited for the order
            raise AlreadyReceived(self.message.webhook_id)
        return self._answer("applied" if applied.changed else "recorded", order_id, applied.payload_id,
                            applied.outcome)  # fmt: skip

    def _order_of(self, shopify_id: int, creation: bool) -> int | None:
        """The order captured from this Shopify order, if any. A creation does not look (capture finds an
        order captured before), unless its capture found one."""
        return None if creation and not self.captured_meanwhile else self._order_id(shopify_id)

    def _order_id(self, shopify_id: int) -> int | None:
        with self.uow.reading():
            return self.uow.conn.execute(_ORDER, {"channel": self.message.channel,
                                                  "external_id": str(shopify_id)}).scalar()  # fmt: skip

    def _answer(self, result: str, order_id: int | None, payload_id: int | None, outcome: dict | None):
        return WebhookAnswer(result=result, topic=self.topic, webhook_id=self.message.webhook_id, order_id=order_id,
                             payload_id=payload_id, outcome=outcome)  # fmt: skip
