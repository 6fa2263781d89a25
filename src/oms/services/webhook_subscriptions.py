"""Webhook subscriptions: a URL, the event types it wants (from oms.services.event_types, or "*") and the
secret its deliveries are signed with. The secret is shown once, when the subscription is created; it is
never listed, logged or written to the audit trail.

Only admins manage webhooks (webhooks:manage): a subscription sends order and customer data to any URL
it names, so creating one is as sensitive as reading everything.
"""

import datetime as dt
import secrets
from typing import Annotated
from urllib.parse import urlsplit

import httpx
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError
from sqlalchemy import Select, delete, func, insert, select, update

from oms.db.tables import webhook_deliveries as deliveries
from oms.db.tables import webhook_subscriptions as subscriptions
from oms.services.actor import Actor, Permission
from oms.services.errors import NotFound
from oms.services.event_types import EventTypeName
from oms.services.uow import UnitOfWork


def _http_url(url: str) -> str:
    parts = urlsplit(url)
    if (parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url)
            or not _sendable(url)):  # fmt: skip
        raise PydanticCustomError("url", "an absolute http:// or https:// URL with a host")
    return url


def _sendable(url: str) -> bool:
    """Whether the sender can send to it: a port in range, and a URL its HTTP client parses (a valid IDNA
    host, no control character)."""
    try:
        urlsplit(url).port  # noqa: B018 - raises for a port out of range
        httpx.URL(url)
    except (ValueError, httpx.InvalidURL):
        return False
    return True


def _unique(names: list[str]) -> list[str]:
    return sorted(set(names))


WebhookUrl = Annotated[str, Field(max_length=2000), AfterValidator(_http_url)]
EventTypes = Annotated[list[EventTypeName], Field(min_length=1, max_length=100), AfterValidator(_unique)]
Secret = Annotated[str, Field(min_length=16, max_length=200, description="Signing key; generated if absent")]


class SubscriptionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: WebhookUrl
    event_types: EventTypes
    description: str = Field(default="", max_length=500)
    enabled: bool = True
    secret: Secret | None = None


class SubscriptionUpdate(BaseModel):
    """The fields to change; the others stay. A change also retries at once what was waiting on a
    failure (the receiver may have been fixed)."""

    model_config = ConfigDict(extra="forbid")

    url: WebhookUrl | None = None
    event_types: EventTypes | None = None
    description: str | None = Field(default=None, max_length=500)
    enabled: bool | None = None
    secret: Secret | None = None


class SubscriptionPublic(BaseModel):
    id: int
    url: str
    description: str
    event_types: list[str]
    enabled: bool
    created_by: str
    created_at: dt.datetime
    updated_at: dt.datetime
    paused_until: dt.datetime | None = Field(description="After a failed delivery: when it is tried again")
    pending: int = Field(description="Deliveries waiting to be sent")
    dead: int = Field(description="Deliveries given up (the dead-letter list)")


class SubscriptionCreated(SubscriptionPublic):
    secret: str = Field(description="The signing secret: shown this once")


class SubscriptionList(BaseModel):
    items: list[SubscriptionPublic]


def _count(status: str):
    return (select(func.count()).where(deliveries.c.subscription_id == subscriptions.c.id,
                                       deliveries.c.status == status).scalar_subquery())  # fmt: skip


_VIEW: Select = select(
    *(subscriptions.c[name] for name in SubscriptionPublic.model_fields if name in subscriptions.c),
    _count("pending").label("pending"), _count("dead").label("dead"),
)  # fmt: skip


def create_subscription(uow: UnitOfWork, actor: Actor, command: SubscriptionCreate) -> SubscriptionCreated:
    actor.require(Permission.WEBHOOKS_MANAGE)
    secret = command.secret or "whsec_" + secrets.token_urlsafe(32)
    with uow:
        values = command.model_dump(exclude={"secret"}) | {"secret": secret, "created_by": actor.name}
        new_id = uow.conn.execute(insert(subscriptions).values(values).returning(subscriptions.c.id)).scalar_one()
        view = _load(uow, new_id)
        uow.record(actor, "webhook_subscription.created", "webhook_subscription", new_id,
                   after=view.model_dump(mode="json"))  # fmt: skip
        uow.commit()
    return SubscriptionCreated(**view.model_dump(), secret=secret)


def update_subscription(
    uow: UnitOfWork, actor: Actor, subscription_id: int, command: SubscriptionUpdate
) -> SubscriptionPublic:
    actor.require(Permission.WEBHOOKS_MANAGE)
    changes = command.model_dump(exclude_unset=True)
    with uow:
        before = _load(uow, subscription_id, lock=True)
        uow.conn.execute(update(subscriptions).where(subscriptions.c.id == subscription_id)
                         .values(changes | {"updated_at": func.now(), "paused_until": None}))  # fmt: skip
        after = _load(uow, subscription_id)
        audited = {"secret_changed": "secret" in changes}
        uow.record(actor, "webhook_subscription.updated", "webhook_subscription", subscription_id,
                   before=before.model_dump(mode="json"), after=after.model_dump(mode="json") | audited)  # fmt: skip
        uow.commit()
    return after


def delete_subscription(uow: UnitOfWork, actor: Actor, subscription_id: int) -> None:
    """Delete the subscription with its delivery history; what was pending is not sent."""
    actor.require(Permission.WEBHOOKS_MANAGE)
    with uow:
        # The delivery job locks a pending delivery, then its subscription: so does this, not the reverse.
        uow.conn.execute(select(deliveries.c.id).where(deliveries.c.subscription_id == subscription_id,
                                                       deliveries.c.status == "pending").with_for_update())  # fmt: skip
        before = _load(uow, subscription_id, lock=True)
        uow.conn.execute(delete(subscriptions).where(subscriptions.c.id == subscription_id))
        uow.record(actor, "webhook_subscription.deleted", "webhook_subscription", subscription_id,
                   before=before.model_dump(mode="json"))  # fmt: skip
        uow.commit()


def get_subscription(uow: UnitOfWork, actor: Actor, subscription_id: int) -> SubscriptionPublic:
    actor.require(Permission.WEBHOOKS_MANAGE)
    with uow.reading():
        return _load(uow, subscription_id)


def list_subscriptions(uow: UnitOfWork, actor: Actor) -> SubscriptionList:
    """Every subscription, oldest first (there are a handful, not thousands)."""
    actor.require(Permission.WEBHOOKS_MANAGE)
    with uow.reading():
        rows = uow.conn.execute(_VIEW.order_by(subscriptions.c.id)).all()
    return SubscriptionList(items=[SubscriptionPublic.model_validate(row._mapping) for row in rows])


def _load(uow: UnitOfWork, subscription_id: int, lock: bool = False) -> SubscriptionPublic:
    if lock:  # writers of one subscription queue here; the view's counts cannot be locked FOR UPDATE
        uow.conn.execute(select(subscriptions.c.id).where(subscriptions.c.id == subscription_id).with_for_update())
    row = uow.conn.execute(_VIEW.where(subscriptions.c.id == subscription_id)).first()
    if row is None:
        raise NotFound(f"no webhook subscription {subscription_id}")
    return SubscriptionPublic.model_validate(row._mapping)
