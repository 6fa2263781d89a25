"""Marketplace orders: one order JSON in, its accepted lines captured, an acknowledgement owed back.

The channel's integration (adapter marketplace) maps the marketplace's JSON to the capture command
(oms.channels.marketplace). Each line is accepted or refused (oms.channels.marketplace.acknowledgement,
on stock read by oms.services.channel_marketplace_stock); the accepted ones are captured as the order,
its payload stored with it in capture's own statement; the acknowledgement is queued as a channel
document (kind marketplace_ack, subject order:<marketplace order id>) and kept as the payload's outcome.
When every line is refused, no order is captured: the payload, its outcome and the document are written
in one transaction.

The marketplace's order id is the payload's dedupe key: a delivery of an order already received answers
the first answer (the outcome, with the order as it is now). An order captured whose acknowledgement is
not written yet (a delivery racing it, or one stopped in between) is acknowledged by whichever delivery
locks its payload first, from the order's own lines; the other reads that outcome.
"""

from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from oms.channels.marketplace.acknowledgement import LineVerdict, Reason, document, judge
from oms.channels.marketplace.mapping import marketplace_order_id, parse, to_command
from oms.channels.marketplace.settings import MarketplaceSettings
from oms.db.engine import dumps_json
from oms.services.actor import Actor, Permission
from oms.services.channel_documents import queue_document
from oms.services.channel_integrations import load_integration
from oms.services.channel_marketplace_stock import line_facts
from oms.services.errors import Conflict, FieldError, NotFound, ValidationFailed
from oms.services.inbound import (
    AlreadyReceived,
    OrderSource,
    Payload,
    find_received,
    is_duplicate,
    set_outcome,
    store_payload,
)
from oms.services.order_capture import capture_order
from oms.services.order_models import OrderCreate, OrderPublic
from oms.services.order_queries import fetch_order
from oms.services.uow import UnitOfWork

KIND = "marketplace_ack"
SUBJECT = "order:"  # and the marketplace's order id: at most 100 characters (channel_documents.subject)
MAX_ORDER_ID = 100 - len(SUBJECT)
MAX_BODY_BYTES = 1024 * 1024  # one order; a marketplace's largest carry a few hundred lines
_LOCK_OUTCOME = text("SELECT outcome FROM inbound_payloads WHERE id = :id FOR UPDATE")


class LineAcknowledgement(BaseModel):
    id: str = Field(description="The marketplace's line id")
    sku: str
    quantity: int
    accepted: bool
    reason: Reason | None = Field(description="Why a line was refused: unknown_sku (unknown or inactive), no_stock")


class MarketplaceOrderAnswer(BaseModel):
    marketplace_order_id: str
    payload_id: int = Field(description="The order JSON as received: GET /inbound-payloads/{payload_id}")
    order: OrderPublic | None = Field(description="The order of the accepted lines; null when all were refused")
    lines: list[LineAcknowledgement]
    acknowledgement: dict = Field(description="The acknowledgement owed to the marketplace, in its format")
    document_id: int | None = Field(description="The acknowledgement queued: GET /channels/{id}/documents/{id}")


def receive_order(uow: UnitOfWork, actor: Actor, channel_id: str, body: bytes) -> tuple[MarketplaceOrderAnswer, bool]:
    """The answer, and whether this delivery was the order's first (False: a replay answering as the first)."""
    actor.require(Permission.ORDER_CAPTURE)
    actor.require_channel(channel_id)
    settings = _settings(uow, channel_id)
    if len(body) > MAX_BODY_BYTES:
        raise ValidationFailed([FieldError((), f"an order is at most {MAX_BODY_BYTES} bytes", "too_large")])
    order_json = parse(body)
    key = marketplace_order_id(order_json, settings.mapping(), MAX_ORDER_ID)
    if (replayed := _replay(uow, actor, channel_id, key, order_json, settings)) is not None:
        return replayed, False
    cmd = to_command(order_json, settings.mapping(), channel_id)
    with uow.reading():
        active, shippable = line_facts(uow.conn, cmd)
    verdicts = judge(cmd.lines, active, shippable if settings.refuse_unavailable else None)
    payload = Payload("marketplace", "application/json", body, topic="orders", dedupe_key=key)
    try:
        return _first(uow, actor, cmd, payload, verdicts, settings), True
    except (AlreadyReceived, Conflict):  # another delivery of the order may have got there first
        if (replayed := _replay(uow, actor, channel_id, key, order_json, settings)) is None:
            raise
        return replayed, False


class _CapturedElsewhere(Conflict):
    """Capture found the order there already (by its external id), without it being this payload's."""


def _settings(uow: UnitOfWork, channel_id: str) -> MarketplaceSettings:
    with uow.reading():
        integration = load_integration(uow.conn, channel_id, "marketplace")
    if integration is None:
        raise NotFound(f"channel '{channel_id}' has no enabled marketplace integration")
    return integration.settings


def _first(uow: UnitOfWork, actor: Actor, cmd: OrderCreate, payload: Payload, verdicts: list[LineVerdict],
           settings: MarketplaceSettings) -> MarketplaceOrderAnswer:  # fmt: skip
    if not any(verdict.accepted for verdict in verdicts):
        return _refuse(uow, actor, cmd.channel, payload, verdicts, settings)
    accepted = [line for line, verdict in zip(cmd.lines, verdicts, strict=True) if verdict.accepted]
    order, created = capture_order(uow, actor, cmd.model_copy(update={"lines": accepted}), OrderSource(payload=payload))
    if not created:
        raise _CapturedElsewhere(f"order '{cmd.external_id}' of channel '{cmd.channel}' was already captured")
    outcome = _acknowledge(uow, actor, cmd.channel, order.source.payload_id, payload.dedupe_key, verdicts, order.id,
                           settings.ack_format())  # fmt: skip
    return _answer(order.source.payload_id, outcome, order)


def _refuse(uow: UnitOfWork, actor: Actor, channel_id: str, payload: Payload, verdicts: list[LineVerdict],
            settings: MarketplaceSettings) -> MarketplaceOrderAnswer:  # fmt: skip
    """No line accepted: the payload, its acknowledgement and the outcome in one transaction."""
    try:
        with uow:
            payload_id = store_payload(uow.conn, actor, channel_id, payload)
            outcome = _write_acknowledgement(uow, actor, channel_id, payload_id, payload.dedupe_key, verdicts, None,
                                             settings.ack_format())  # fmt: skip
            uow.commit()
    except IntegrityError as error:
        if is_duplicate(error):
            raise AlreadyReceived(payload.dedupe_key) from error
        raise
    return _answer(payload_id, outcome, None)


def _acknowledge(uow: UnitOfWork, actor: Actor, channel_id: str, payload_id: int, key: str,
                 verdicts: list[LineVerdict], order_id: int | None, fmt: str) -> dict:  # fmt: skip
    """The payload's outcome: written now with its acknowledgement, unless another delivery did first."""
    with uow:
        stored = uow.conn.execute(_LOCK_OUTCOME, {"id": payload_id}).scalar_one()
        if stored is not None:
            return stored
        outcome = _write_acknowledgement(uow, actor, channel_id, payload_id, key, verdicts, order_id, fmt)
        uow.commit()
    return outcome


def _write_acknowledgement(uow: UnitOfWork, actor: Actor, channel_id: str, payload_id: int, key: str,
                           verdicts: list[LineVerdict], order_id: int | None, fmt: str) -> dict:  # fmt: skip
    acknowledgement = document(fmt, key, verdicts, order_id)
    document_id = queue_document(uow.conn, channel_id, KIND, SUBJECT + key, "application/json",
                                 dumps_json(acknowledgement).encode(), order_id=order_id)  # fmt: skip
    outcome = {"marketplace_order_id": key, "order_id": order_id, "document_id": document_id,
               "lines": [_line(verdict) for verdict in verdicts], "acknowledgement": acknowledgement}  # fmt: skip
    set_outcome(uow.conn, payload_id, outcome)
    uow.record(actor, "marketplace.order_acknowledged", "inbound_payload", payload_id, after=outcome,
               order_id=order_id)  # fmt: skip
    return outcome


def _replay(uow: UnitOfWork, actor: Actor, channel_id: str, key: str, order_json: dict,
            settings: MarketplaceSettings) -> MarketplaceOrderAnswer | None:  # fmt: skip
    """The first answer to this order, if it was received before (None: never)."""
    with uow.reading():
        received = find_received(uow.conn, channel_id, "marketplace", key)
        order = fetch_order(uow.conn, received.order_id) if received and received.order_id else None
    if received is None:
        return None
    outcome = received.outcome
    if outcome is None:  # captured, not acknowledged yet: acknowledge from the order's own lines
        cmd = to_command(order_json, settings.mapping(), channel_id)
        verdicts = _verdicts_of(uow, cmd, order)
        outcome = _acknowledge(uow, actor, channel_id, received.payload_id, key, verdicts,
                               order.id if order else None, settings.ack_format())  # fmt: skip
    return _answer(received.payload_id, outcome, order)


def _verdicts_of(uow: UnitOfWork, cmd: OrderCreate, order: OrderPublic | None) -> list[LineVerdict]:
    """The lines the order holds were accepted; the others were refused, for the reason they would be now
    (an inactive SKU, else stock)."""
    captured = {line.external_line_id for line in order.lines} if order else set()
    with uow.reading():
        active, _ = line_facts(uow.conn, cmd)
    refusals = judge(cmd.lines, active, {})
    return [LineVerdict(v.line_id, v.sku, v.quantity) if v.line_id in captured else v for v in refusals]


def _line(verdict: LineVerdict) -> dict:
    return {"id": verdict.line_id, "sku": verdict.sku, "quantity": verdict.quantity, "accepted": verdict.accepted,
            "reason": verdict.refused}  # fmt: skip


def _answer(payload_id: int, outcome: dict, order: OrderPublic | None) -> MarketplaceOrderAnswer:
    return MarketplaceOrderAnswer.model_validate({**outcome, "payload_id": payload_id, "order": order})
