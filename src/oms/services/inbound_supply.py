"""Inbound supply: purchase orders, transfers and advance shipping notices expected at a node. ATP by a
date counts the open ones due by then (oms.services.availability)."""

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import insert, select

from oms.db.tables import inbound_supply
from oms.services.actor import Actor, Permission
from oms.services.bulk import without_index
from oms.services.errors import ValidationFailed
from oms.services.fields import MAX_QUANTITY
from oms.services.pagination import DEFAULT_LIMIT, Page, fetch_page
from oms.services.references import unknown_references
from oms.services.uow import UnitOfWork

SupplyType = Literal["purchase_order", "transfer", "asn"]


class InboundSupplyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    node_id: str = Field(min_length=1, max_length=40)
    sku: str = Field(min_length=1, max_length=64)
    type: SupplyType
    reference: str = Field(min_length=1, max_length=64, description="PO, transfer or ASN number")
    quantity: int = Field(gt=0, le=MAX_QUANTITY)
    expected_date: dt.date


class InboundSupplyPublic(BaseModel):
    id: int
    node_id: str
    sku: str
    type: str
    reference: str
    quantity: int
    expected_date: dt.date
    status: str
    created_at: dt.datetime


class InboundSupplyPage(Page[InboundSupplyPublic]):
    """Inbound supply in the order it was recorded."""


def add_inbound_supply(uow: UnitOfWork, actor: Actor, command: InboundSupplyCreate) -> InboundSupplyPublic:
    """Record supply on its way to a node; 422 with a pointer for an unknown node or SKU."""
    actor.require(Permission.INVENTORY_WRITE)
    with uow:
        if errors := unknown_references(uow.conn, [{"node_id": command.node_id, "sku": command.sku}]):
            raise ValidationFailed(without_index(errors))
        stmt = insert(inbound_supply).values(command.model_dump()).returning(inbound_supply)
        view = _public(uow.conn.execute(stmt).one())
        uow.record(
            actor, "inbound_supply.created", "inbound_supply", view.id,
            after=view.model_dump(mode="json"), publish="inbound_supply.created",
        )  # fmt: skip
        uow.commit()
    return view


def list_inbound_supply(
    uow: UnitOfWork,
    actor: Actor,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
    sku: str | None = None,
    node: str | None = None,
) -> InboundSupplyPage:
    """Supply in the order it was recorded, optionally of one SKU and/or one node."""
    actor.require(Permission.INVENTORY_READ)
    filters = {"sku": sku, "node_id": node}
    query = select(inbound_supply).where(
        *(inbound_supply.c[name] == value for name, value in filters.items() if value is not None)
    )
    with uow.reading():
        key = [inbound_supply.c.id]
        return fetch_page(uow.conn, query, key, limit, cursor, InboundSupplyPage, _public)


def _public(row) -> InboundSupplyPublic:
    return InboundSupplyPublic.model_validate(row._mapping)
