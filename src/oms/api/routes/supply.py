"""Inbound supply and channel protections: the set-up that shapes ATP beyond stock on hand."""

from fastapi import APIRouter, Response

from oms.api.deps import ActorDep, UowDep
from oms.api.paging import Cursor, Limit
from oms.api.problems import problem_responses
from oms.services.channel_protections import (
    ChannelProtectionPage,
    ChannelProtectionPublic,
    ChannelProtectionSet,
    delete_channel_protection,
    list_channel_protections,
    set_channel_protection,
)
from oms.services.inbound_supply import (
    InboundSupplyCreate,
    InboundSupplyPage,
    InboundSupplyPublic,
    add_inbound_supply,
    list_inbound_supply,
)
from oms.services.pagination import DEFAULT_LIMIT

router = APIRouter(tags=["inventory"])
ERRORS = problem_responses(404, 422)


@router.post("/inbound-supply", status_code=201, responses=ERRORS)
def record_inbound_supply(body: InboundSupplyCreate, actor: ActorDep, uow: UowDep) -> InboundSupplyPublic:
    """Record a purchase order, transfer or ASN expected at a node; ATP by date counts it."""
    return add_inbound_supply(uow, actor, body)


@router.get("/inbound-supply", responses=ERRORS)
def search_inbound_supply(
    actor: ActorDep,
    uow: UowDep,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
    sku: str | None = None,
    node: str | None = None,
) -> InboundSupplyPage:
    return list_inbound_supply(uow, actor, limit, cursor, sku, node)


@router.post("/channel-protections", responses=ERRORS)
def write_channel_protection(
    body: ChannelProtectionSet, actor: ActorDep, uow: UowDep
) -> ChannelProtectionPublic:
    """Hold stock back from a channel, for every SKU and node or for one of each; replaces the rule of
    the same scope if there is one."""
    return set_channel_protection(uow, actor, body)


@router.get("/channel-protections", responses=ERRORS)
def search_channel_protections(
    actor: ActorDep,
    uow: UowDep,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
    channel: str | None = None,
    sku: str | None = None,
) -> ChannelProtectionPage:
    return list_channel_protections(uow, actor, limit, cursor, channel, sku)


@router.delete("/channel-protections/{protection_id}", status_code=204, responses=ERRORS)
def remove_channel_protection(protection_id: int, actor: ActorDep, uow: UowDep) -> Response:
    delete_channel_protection(uow, actor, protection_id)
    return Response(status_code=204)
