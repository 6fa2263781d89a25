"""Channel protection: stock held back from one channel (a quantity, or a share of sellable stock), for
every SKU and node or for one of each. ATP applies the most specific rule (oms.domain.atp), so there is
one rule per scope: setting a rule for a scope replaces the one there."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import delete, insert, select, text, update

from oms.db.tables import channel_protections as protections
from oms.services.actor import Actor, Permission
from oms.services.bulk import without_index
from oms.services.errors import NotFound, ValidationFailed
from oms.services.fields import AsNumber, Quantity
from oms.services.pagination import DEFAULT_LIMIT, Page, fetch_page
from oms.services.references import unknown_references
from oms.services.uow import UnitOfWork


class ChannelProtectionSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: str = Field(min_length=1, max_length=40)
    sku: str | None = Field(default=None, max_length=64, description="None: every SKU")
    node: str | None = Field(default=None, max_length=40, description="None: every node")
    quantity: Quantity | None = Field(default=None, description="Units held back; give this or share")
    share: Annotated[Decimal, Field(ge=0, le=1, decimal_places=4), AsNumber] | None = Field(
        default=None, description="Share of sellable stock (on hand less safety stock) held back, 0 to 1"
    )

    @model_validator(mode="after")
    def _quantity_or_share(self):
        if (self.quantity is None) == (self.share is None):
            raise PydanticCustomError(
                "quantity_or_share", "give either quantity or share, not both or neither"
            )
        return self


class ChannelProtectionPublic(BaseModel):
    id: int
    channel: str
    sku: str | None
    node: str | None
    quantity: int | None
    share: Annotated[Decimal, AsNumber] | None
    created_at: dt.datetime


class ChannelProtectionPage(Page[ChannelProtectionPublic]):
    """Channel protections in the order they were created."""


_VIEW = select(
    protections.c.id, protections.c.channel_id.label("channel"), protections.c.sku,
    protections.c.node_id.label("node"), protections.c.quantity, protections.c.share,
    protections.c.created_at,
)  # fmt: skip


def set_channel_protection(
    uow: UnitOfWork, actor: Actor, command: ChannelProtectionSet
) -> ChannelProtectionPublic:
    """Create the rule of this scope (channel, SKU, node) or replace the one there."""
    actor.require(Permission.INVENTORY_WRITE)
    scope = {"channel_id": command.channel, "sku": command.sku, "node_id": command.node}
    with uow:
        references = {"channel": command.channel, "sku": command.sku, "node": command.node}
        if errors := unknown_references(uow.conn, [references]):
            raise ValidationFailed(without_index(errors))
        before = _lock_scope(uow, scope)
        amount = {"quantity": command.quantity, "share": command.share}
        if before:
            stmt = update(protections).where(protections.c.id == before.id).values(amount)
        else:
            stmt = insert(protections).values(scope | amount)
        new_id = uow.conn.execute(stmt.returning(protections.c.id)).scalar_one()
        view = _load(uow, new_id)
        uow.record(
            actor, "channel_protection.set", "channel_protection", view.id,
            before=before.model_dump(mode="json") if before else None, after=view.model_dump(mode="json"),
            publish="channel_protection.set",
        )  # fmt: skip
        uow.commit()
    return view


def list_channel_protections(
    uow: UnitOfWork,
    actor: Actor,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
    channel: str | None = None,
    sku: str | None = None,
) -> ChannelProtectionPage:
    actor.require(Permission.INVENTORY_READ)
    query = _VIEW
    if channel:
        query = query.where(protections.c.channel_id == channel)
    if sku:
        query = query.where(protections.c.sku == sku)
    with uow.reading():
        return fetch_page(uow.conn, query, [protections.c.id], limit, cursor, ChannelProtectionPage, _public)


def delete_channel_protection(uow: UnitOfWork, actor: Actor, protection_id: int) -> None:
    actor.require(Permission.INVENTORY_WRITE)
    with uow:
        before = _load(uow, protection_id)
        uow.conn.execute(delete(protections).where(protections.c.id == protection_id))
        uow.record(
            actor, "channel_protection.deleted", "channel_protection", protection_id,
            before=before.model_dump(mode="json"), publish="channel_protection.deleted",
        )  # fmt: skip
        uow.commit()


def _lock_scope(uow: UnitOfWork, scope: dict) -> ChannelProtectionPublic | None:
    """The rule of `scope`, if any, with the scope locked for this transaction. NULL means "every", so no
    unique index can guard a scope: writers of one scope queue on an advisory lock instead."""
    uow.conn.execute(
        text("SELECT pg_advisory_xact_lock(hashtext(:scope))"), {"scope": repr(sorted(scope.items()))}
    )
    query = _VIEW.where(*(protections.c[name].is_not_distinct_from(value) for name, value in scope.items()))
    row = uow.conn.execute(query).first()
    return _public(row) if row else None


def _load(uow: UnitOfWork, protection_id: int) -> ChannelProtectionPublic:
    row = uow.conn.execute(_VIEW.where(protections.c.id == protection_id)).first()
    if row is None:
        raise NotFound(f"no channel protection {protection_id}")
    return _public(row)


def _public(row) -> ChannelProtectionPublic:
    return ChannelProtectionPublic.model_validate(row._mapping)
