"""Applying a Shopify message to an order the OMS holds, all of it in one transaction with the order row
locked: what the message changes is decided from the order as it is and from the Shopify messages
applied before (`History`), carried out through the order actions (edit, hold, release the hold,
cancel), and the message stored with its outcome. An interruption anywhere leaves nothing, so a retry
does all of it; messages about one order take turns; a duplicate that waited for the lock finds the
message stored and changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from oms.channels.shopify.changes import Plan
from oms.channels.shopify.resources import ORDER_TOPICS, ShopifyOrder
from oms.domain.order_status import HoldType
from oms.services import order_actions, promise_listener
from oms.services.actor import Actor
from oms.services.errors import NotFound
from oms.services.inbound import (
    AlreadyReceived,
    Payload,
    find_received,
    is_duplicate,
    set_outcome,
    store_payload,
)
from oms.services.order_models import HoldCommand, OrderPublic, ReasonCommand
from oms.services.order_queries import fetch_order
from oms.services.uow import JoinedUnitOfWork, UnitOfWork

_HISTORY = text(
    """
    SELECT p.id, p.topic, p.body, p.outcome, p.id = o.source_payload_id AS captured
    FROM orders o JOIN inbound_payloads p ON p.order_id = o.id OR p.id = o.source_payload_id
    WHERE o.id = :order AND p.channel_id = :channel AND p.source = 'shopify'
    ORDER BY p.id
    """
)


@dataclass(frozen=True, slots=True)
class Message:
    """A Shopify message as it is being handled: who it acts as, on which channel, and its payload."""

    uow: UnitOfWork
    actor: Actor
    channel: str
    payload: Payload

    @property
    def webhook_id(self) -> str:
        return self.payload.dedupe_key or ""


@dataclass(frozen=True, slots=True)
class History:
    """The Shopify messages about an order stored so far: the order states applied (the first is the one
    it was captured from), and the refunds already taken into account."""

    states: list[ShopifyOrder]
    refunds: frozenset[int]

    @classmethod
    def load(cls, conn: Connection, channel: str, order_id: int) -> "History":
        states, refunds = [], set()
        for row in conn.execute(_HISTORY, {"channel": channel, "order": order_id}):
            outcome = row.outcome or {}
            if "refund_id" in outcome:
                refunds.add(outcome["refund_id"])
            elif row.topic in ORDER_TOPICS and (row.captured or outcome.get("applied")):
                state = ShopifyOrder.model_validate_json(bytes(row.body))
                states.append(state)
                refunds.update(refund.id for refund in state.refunds)
        return cls(states, frozenset(refunds))

    @property
    def baseline(self) -> ShopifyOrder | None:
        return self.states[-1] if self.states else None


# Decides, in the transaction, for the order as it is and its history, the plan and the outcome to store.
Decide = Callable[[Connection, OrderPublic, History], tuple[Plan, dict]]


@dataclass(frozen=True, slots=True)
class Applied:
    payload_id: int
    outcome: dict
    changed: bool


def apply_message(message: Message, order_id: int, decide: Decide, reason: str) -> Applied | None:
    """Apply `message` to the order; None when a delivery of it was applied meanwhile (a duplicate).
    `reason` goes with holds and cancellations."""
    with message.uow as uow:
        if uow.conn.execute(order_actions.LOCK_ORDER, {"id": order_id}).first() is None:
            raise NotFound(f"no order {order_id}")
        received = find_received(uow.conn, message.channel, "shopify", message.webhook_id)
        if received is not None and received.outcome is not None:
            return None
        order = fetch_order(uow.conn, order_id)
        plan, outcome = decide(uow.conn, order, History.load(uow.conn, message.channel, order_id))
        _carry_out(JoinedUnitOfWork(uow), message.actor, order_id, plan, reason)
        outcome |= {"changes": plan.changes, "not_applied": plan.not_applied}
        if received is not None:  # stored with the order it captured: now it is done
            payload_id = received.payload_id
            set_outcome(uow.conn, payload_id, outcome)
        else:
            payload_id = store_once(uow.conn, message, outcome, order_id)
        uow.record(message.actor, f"shopify.{message.payload.topic}", "order", order_id, after=outcome,
                   order_id=order_id)  # fmt: skip
        uow.commit()
    # The actions announced their reservations before this commit; again now that others can see them.
    promise_listener.reserved(uow.engine, [line.sku for line in order.lines] + _added(plan))
    return Applied(payload_id, outcome, bool(plan.changes))


def store_once(conn: Connection, message: Message, outcome: dict, order_id: int | None = None) -> int:
    """Store the message's payload in the caller's transaction; AlreadyReceived when a racing delivery
    of it was stored first."""
    try:
        return store_payload(conn, message.actor, message.channel, message.payload, order_id, outcome)
    except IntegrityError as error:
        if is_duplicate(error):
            raise AlreadyReceived(message.webhook_id) from error
        raise


def _carry_out(uow: UnitOfWork, actor: Actor, order_id: int, plan: Plan, reason: str) -> None:
    if plan.edit:
        order_actions.edit(uow, actor, order_id, plan.edit)
    if plan.hold:
        order_actions.hold(uow, actor, order_id, HoldCommand(type=HoldType.PAYMENT_REVIEW, reason=reason))
    elif plan.hold is False:
        order_actions.release_hold(uow, actor, order_id, ReasonCommand(reason=reason))
    if plan.cancel:
        order_actions.cancel(uow, actor, order_id, ReasonCommand(reason=reason))


def _added(plan: Plan) -> list[str]:
    return [line.sku for line in plan.edit.add_lines] if plan.edit else []
