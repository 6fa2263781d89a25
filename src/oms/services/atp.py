"""Available-to-promise per node and network-wide, now or by a date, for a channel or for all."""

import datetime as dt

from pydantic import BaseModel, Field, field_validator
from sqlalchemy import select

from oms.db.tables import channels, nodes, products
from oms.domain.atp import held_back
from oms.services.actor import Actor, Permission
from oms.services.availability import load_protections, load_stock
from oms.services.errors import FieldError, NotFound, ValidationFailed
from oms.services.uow import UnitOfWork


class AtpQuery(BaseModel):
    sku: str = Field(min_length=1, max_length=64)
    node: str | None = Field(default=None, max_length=40, description="Only this node")
    channel: str | None = Field(default=None, max_length=40, description="Net of stock held back from it")
    date: dt.date | None = Field(default=None, description="Count inbound supply expected by this date")
    country: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$",
                                description="Only the nodes in this country (ISO 3166-1 alpha-2)")  # fmt: skip

    @field_validator("country")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        return value and value.upper()


class NodeAtpPublic(BaseModel):
    node_id: str
    node_type: str
    on_hand: int
    reserved: int
    safety_stock: int
    inbound: int = Field(description="Open inbound supply expected by the asked date (0 without a date)")
    held_back: int = Field(description="Units protected from the asking channel")
    atp: int


class AtpPublic(BaseModel):
    sku: str
    channel: str | None
    date: dt.date | None
    country: str | None = None
    total: int
    nodes: list[NodeAtpPublic]


def get_atp(uow: UnitOfWork, actor: Actor, query: AtpQuery) -> AtpPublic:
    actor.require(Permission.INVENTORY_READ)
    with uow.reading():
        conn = uow.conn
        _check_exists(conn, query)
        stock = load_stock(conn, [query.sku], query.node, query.country)
        protections = load_protections(conn, query.channel, [query.sku])
    rows = [
        NodeAtpPublic(
            node_id=s.position.node_id,
            node_type=s.node_type,
            on_hand=s.position.on_hand,
            reserved=s.position.reserved,
            safety_stock=s.position.safety_stock,
            inbound=s.inbound_by(query.date),
            held_back=held_back(s.position, query.channel, protections),
            atp=s.atp(query.channel, protections, query.date),
        )
        for s in stock
    ]
    return AtpPublic(
        sku=query.sku, channel=query.channel, date=query.date, country=query.country,
        total=sum(r.atp for r in rows), nodes=rows,
    )


def _check_exists(conn, query: AtpQuery) -> None:
    if conn.execute(select(products.c.sku).where(products.c.sku == query.sku)).first() is None:
        raise NotFound(f"unknown SKU '{query.sku}'")
    if query.node and conn.execute(select(nodes.c.id).where(nodes.c.id == query.node)).first() is None:
        raise NotFound(f"unknown node '{query.node}'")
    if query.channel and conn.execute(select(channels.c.id).where(channels.c.id == query.channel)).first() is None:
        raise ValidationFailed([FieldError(("channel",), f"unknown channel '{query.channel}'", "unknown")])
