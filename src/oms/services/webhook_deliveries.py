"""Webhook deliveries: the history of each subscription, the dead-letter list, and replay.

A replay queues the same delivery again (same event id, same body), as if it were new: attempts start
over and it goes out before the subscription's later events. A delivered event may be replayed too (a
receiver that lost it asks for it again); one still pending may not, it is already queued.
"""

import datetime as dt
import uuid
from enum import StrEnum

from pydantic import BaseModel, Field
from sqlalchemy import Select, func, select, update

from oms.db.tables import outbox
from oms.db.tables import webhook_deliveries as deliveries
from oms.db.tables import webhook_subscriptions as subscriptions
from oms.services.actor import Actor, Permission
from oms.services.errors import Conflict, NotFound
from oms.services.pagination import DEFAULT_LIMIT, Page, fetch_page
from oms.services.uow import UnitOfWork


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"


class DeliveryPublic(BaseModel):
    id: int
    subscription_id: int
    event_id: uuid.UUID = Field(description="The id every attempt of this event carries (OMS-Event-Id)")
    event_type: str
    status: DeliveryStatus
    attempts: int = Field(description="Attempts since it was queued (or last replayed)")
    created_at: dt.datetime
    queued_at: dt.datetime = Field(description="When it was queued, or last replayed")
    next_attempt_at: dt.datetime | None = Field(description="While pending: not before this")
    last_attempt_at: dt.datetime | None
    last_status_code: int | None = Field(description="The receiver's last HTTP status; none if no answer")
    last_error: str | None
    delivered_at: dt.datetime | None


class DeliveryPage(Page[DeliveryPublic]):
    """Deliveries in the order they were queued."""


class ReplayReport(BaseModel):
    subscription_id: int
    replayed: int = Field(description="Dead deliveries queued again")


_VIEW: Select = select(
    deliveries.c.id, deliveries.c.subscription_id, outbox.c.event_id, outbox.c.event_type, deliveries.c.status,
    deliveries.c.attempts, deliveries.c.created_at, deliveries.c.queued_at,
    func.greatest(deliveries.c.next_attempt_at, subscriptions.c.paused_until).label("next_attempt_at"),
    deliveries.c.last_attempt_at, deliveries.c.last_status_code, deliveries.c.last_error,
    deliveries.c.delivered_at,
).select_from(deliveries.join(outbox).join(subscriptions))  # fmt: skip
_REQUEUE = {"status": "pending", "attempts": 0, "queued_at": func.now(), "next_attempt_at": func.now(),
            "delivered_at": None}  # fmt: skip


def list_deliveries(
    uow: UnitOfWork, actor: Actor, limit: int = DEFAULT_LIMIT, cursor: str | None = None,
    status: DeliveryStatus | None = None, subscription_id: int | None = None,
) -> DeliveryPage:  # fmt: skip
    actor.require(Permission.WEBHOOKS_MANAGE)
    query = _VIEW
    if status:
        query = query.where(deliveries.c.status == status.value)
    if subscription_id is not None:
        query = query.where(deliveries.c.subscription_id == subscription_id)
    with uow.reading():
        return fetch_page(uow.conn, query, [deliveries.c.id], limit, cursor, DeliveryPage, _public)


def get_delivery(uow: UnitOfWork, actor: Actor, delivery_id: int) -> DeliveryPublic:
    actor.require(Permission.WEBHOOKS_MANAGE)
    with uow.reading():
        return _load(uow, delivery_id)


def replay_delivery(uow: UnitOfWork, actor: Actor, delivery_id: int) -> DeliveryPublic:
    """Queue a dead or delivered delivery again; 409 if it is still pending."""
    actor.require(Permission.WEBHOOKS_MANAGE)
    with uow:
        uow.conn.execute(select(deliveries.c.id).where(deliveries.c.id == delivery_id).with_for_update())
        before = _load(uow, delivery_id)
        if before.status == DeliveryStatus.PENDING:
            raise Conflict(f"delivery {delivery_id} is pending: it is already queued")
        uow.conn.execute(update(deliveries).where(deliveries.c.id == delivery_id).values(_REQUEUE))
        _resume(uow, before.subscription_id)
        after = _load(uow, delivery_id)
        uow.record(actor, "webhook_delivery.replayed", "webhook_delivery", delivery_id,
                   before=before.model_dump(mode="json"), after=after.model_dump(mode="json"))  # fmt: skip
        uow.commit()
    return after


def replay_dead(uow: UnitOfWork, actor: Actor, subscription_id: int) -> ReplayReport:
    """Queue every dead delivery of the subscription again."""
    actor.require(Permission.WEBHOOKS_MANAGE)
    with uow:
        if uow.conn.execute(select(subscriptions.c.id).where(subscriptions.c.id == subscription_id)
                            .with_for_update()).first() is None:  # fmt: skip
            raise NotFound(f"no webhook subscription {subscription_id}")
        replayed = uow.conn.execute(
            update(deliveries).where(deliveries.c.subscription_id == subscription_id,
                                     deliveries.c.status == DeliveryStatus.DEAD.value)
            .values(_REQUEUE).returning(deliveries.c.id)
        ).scalars().all()  # fmt: skip
        _resume(uow, subscription_id)
        uow.record(actor, "webhook_subscription.dead_replayed", "webhook_subscription", subscription_id,
                   after={"deliveries": sorted(replayed)})  # fmt: skip
        uow.commit()
    return ReplayReport(subscription_id=subscription_id, replayed=len(replayed))


def _resume(uow: UnitOfWork, subscription_id: int) -> None:
    """An operator replays once the receiver works again: what waits goes out now, not after the backoff."""
    uow.conn.execute(update(subscriptions).where(subscriptions.c.id == subscription_id).values(paused_until=None))


def _load(uow: UnitOfWork, delivery_id: int) -> DeliveryPublic:
    row = uow.conn.execute(_VIEW.where(deliveries.c.id == delivery_id)).first()
    if row is None:
        raise NotFound(f"no webhook delivery {delivery_id}")
    return _public(row)


def _public(row) -> DeliveryPublic:
    delivery = DeliveryPublic.model_validate(row._mapping)
    return delivery if delivery.status == DeliveryStatus.PENDING else delivery.model_copy(update={"next_attempt_at": None})
