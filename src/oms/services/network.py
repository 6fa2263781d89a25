"""The fulfilment network: warehouses, 3PLs, stores and drop-ship suppliers, each with where it is, when
it works and what it can do. Upserts are validated and audited; lists are keyset-paginated by id."""

import datetime as dt
import re
import zoneinfo
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError
from sqlalchemy import Connection, select

from oms.db.tables import nodes
from oms.domain.countries import ISO_COUNTRIES
from oms.services.actor import Actor, Permission
from oms.services.bulk import Progress, duplicate_errors, upsert_audited
from oms.services.errors import NotFound, ValidationFailed
from oms.services.fields import MAX_QUANTITY, AsNumber, NodeId, Text
from oms.services.pagination import DEFAULT_LIMIT, Page, fetch_page
from oms.services.uow import UnitOfWork

NodeType = Literal["warehouse", "3pl", "store", "dropship"]
FulfilmentType = Literal["ship", "ship_from_store", "pickup"]


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    # "localtime" names whatever zone this machine is set to, which differs between machines.
    return frozenset(zoneinfo.available_timezones() - {"localtime"})


def _timezone(name: str) -> str:
    if name not in _zones():
        raise PydanticCustomError("timezone", "not an IANA time zone such as 'Europe/Paris'")
    return name


def _country(code: str) -> str:
    if code not in ISO_COUNTRIES:
        raise PydanticCustomError("country", "an ISO 3166-1 alpha-2 code in capitals, such as FR")
    return code


def _hh_mm(value):
    if isinstance(value, str) and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
        raise PydanticCustomError("cutoff_time", "a time of day as HH:MM, such as 14:00")
    return value


def _degrees(limit: int):
    # Six decimals (about 10 cm) is what the table keeps; finer GPS readings are rounded, not refused.
    return Annotated[Decimal, Field(ge=-limit, le=limit), AfterValidator(lambda d: round(d, 6)), AsNumber]


Latitude = _degrees(90)
Longitude = _degrees(180)
HhMm = PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str, when_used="json")
CutoffTime = Annotated[dt.time, BeforeValidator(_hh_mm), HhMm]


class NodeBody(BaseModel):
    """A node as PUT /nodes/{node_id} takes it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Text
    type: NodeType
    line1: Text
    postal_code: str = Field(min_length=1, max_length=20)
    city: str = Field(min_length=1, max_length=100)
    country: Annotated[str, AfterValidator(_country)]
    lat: Latitude
    lon: Longitude
    timezone: Annotated[str, AfterValidator(_timezone)]
    processing_days: int = Field(default=1, ge=0, le=365)
    cutoff_time: CutoffTime = Field(
        default=dt.time(14, 0), description="Orders released by then leave that day"
    )
    daily_capacity: int = Field(default=1000, ge=0, le=MAX_QUANTITY)
    priority: int = Field(default=100, ge=0, le=1_000_000, description="Lower is tried first")
    fulfilment_types: list[FulfilmentType] = Field(default=["ship"], min_length=1)
    active: bool = True

    @field_validator("fulfilment_types")
    @classmethod
    def _only_stores_ship_from_store(cls, types: list[str], info: ValidationInfo) -> list[str]:
        if "ship_from_store" in types and info.data.get("type", "store") != "store":
            raise PydanticCustomError("fulfilment_types", "ship_from_store is for nodes of type store")
        return sorted(set(types))  # a set: order and repeats carry no meaning


class NodeUpsert(NodeBody):
    id: NodeId


class NodePublic(BaseModel):
    """A node as stored. Plain types: a view never re-applies input rules to stored data."""

    id: str
    name: str
    type: str
    line1: str
    postal_code: str
    city: str
    country: str
    lat: Annotated[Decimal, AsNumber]
    lon: Annotated[Decimal, AsNumber]
    timezone: str
    processing_days: int
    cutoff_time: Annotated[dt.time, HhMm]
    daily_capacity: int
    priority: int
    fulfilment_types: list[str]
    active: bool
    created_at: dt.datetime


class NodePage(Page[NodePublic]):
    """Nodes in id order."""


def upsert_nodes(
    uow: UnitOfWork, actor: Actor, items: list[NodeUpsert], progress: Progress | None = None
) -> int:
    """Create or replace nodes by id, all or none; returns how many were created or changed."""
    actor.require(Permission.NETWORK_WRITE)
    with uow:
        if errors := duplicate_errors([i.id for i in items], "id", "node id"):
            raise ValidationFailed(errors)
        count = _write(uow, actor, items, progress)
        uow.commit()
    return count


def put_node(uow: UnitOfWork, actor: Actor, item: NodeUpsert) -> NodePublic:
    """Create or replace one node and answer it as stored."""
    actor.require(Permission.NETWORK_WRITE)
    with uow:
        _write(uow, actor, [item], None)
        view = load_node(uow.conn, item.id)
        uow.commit()
    return view


def get_node(uow: UnitOfWork, actor: Actor, node_id: str) -> NodePublic:
    actor.require(Permission.NETWORK_READ)
    with uow.reading():
        return load_node(uow.conn, node_id)


def list_nodes(
    uow: UnitOfWork,
    actor: Actor,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
    type: NodeType | None = None,
    country: str | None = None,
) -> NodePage:
    actor.require(Permission.NETWORK_READ)
    query = select(nodes)
    if type:
        query = query.where(nodes.c.type == type)
    if country:
        query = query.where(nodes.c.country == country.upper())
    with uow.reading():
        return fetch_page(uow.conn, query, [nodes.c.id], limit, cursor, NodePage, _public)


def _write(uow: UnitOfWork, actor: Actor, items: list[NodeUpsert], progress: Progress | None) -> int:
    return upsert_audited(
        uow, actor, nodes, [i.model_dump() for i in items], "node", progress=progress, publish="node.updated"
    )


def load_node(conn: Connection, node_id: str) -> NodePublic:
    row = conn.execute(select(nodes).where(nodes.c.id == node_id)).first()
    if row is None:
        raise NotFound(f"unknown node '{node_id}'")
    return _public(row)


def _public(row) -> NodePublic:
    return NodePublic.model_validate(row._mapping)
