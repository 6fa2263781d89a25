"""The latest routing reliability table as pages of cells (node, carrier, region, service level) with
their counts, on-time probability, transit percentiles and their lane's cost ratio, and the reliability of
the nodes."""

import base64
import binascii
import json
from dataclasses import asdict
from datetime import datetime

from pydantic import BaseModel, Field

from oms.domain.routing.reliability import Cell, Key, ReliabilityTable
from oms.services.actor import Actor, Permission
from oms.services.errors import FieldError, NotFound, ValidationFailed
from oms.services.order_models import Command
from oms.services.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, encode_cursor
from oms.services.routing_reliability import latest_reliability
from oms.services.uow import UnitOfWork


class ReliabilityQuery(Command):
    node: str | None = Field(default=None, max_length=40)
    carrier: str | None = Field(default=None, max_length=40)
    region: str | None = Field(
        default=None, max_length=20, description="Country and 2 postal characters: FR-75"
    )
    service_level: str | None = Field(default=None, max_length=16)
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = None


class CellPublic(BaseModel):
    node: str
    carrier: str
    region: str
    service_level: str
    shipments: int = Field(
        description="Delivered shipments of the cell itself (its estimates lean on its lane)"
    )
    on_time: float = Field(description="Probability of delivery by the promised day")
    transit_mean: float = Field(description="Business days from hand-over to delivery")
    transit_p50: int
    transit_p90: int
    cost_ratio: float = Field(
        description="What its carrier bills per unit the rate table quoted on its lane (charged / quoted)"
    )
    costed: int = Field(description="Shipments of the cell with both the quoted and the charged cost known")


class NodeReliabilityPublic(BaseModel):
    node: str
    node_type: str
    shipments: int
    on_time: float = Field(description="Its on-time rate, a thin history leaning on what its lanes predict")
    lane_odds_ratio: float = Field(
        description="Its on-time odds against its lanes' (below 1: it makes them late)"
    )
    short_pick_rate: float = Field(description="Share of shipments whose fulfilment order had a short pick")
    late_handover_rate: float = Field(
        description="Share handed over after the fulfilment order's ship-by date"
    )


class ReliabilityPage(Page[CellPublic]):
    version: int
    trained_at: datetime
    network_on_time: float
    nodes: list[NodeReliabilityPublic]


def reliability_page(uow: UnitOfWork, actor: Actor, query: ReliabilityQuery) -> ReliabilityPage:
    """One page of the cells matching the query, in key order; NotFound before the first learning."""
    actor.require(Permission.ROUTING_READ)
    latest = latest_reliability(uow)
    if latest is None:
        raise NotFound("no routing reliability learnt yet: run `oms routing learn`")
    info, table = latest
    keys = sorted(k for k in table.cells if _matches(k, query))
    after = _after(query.cursor)
    page = [k for k in keys if after is None or k > after][: query.limit + 1]
    more = len(page) > query.limit
    page = page[: query.limit]
    return ReliabilityPage(
        items=[_cell(k, table.cells[k]) for k in page], next_cursor=encode_cursor(page[-1]) if more else None,
        version=info.version, trained_at=info.trained_at, network_on_time=table.network.on_time,
        nodes=_nodes(table, query.node),
    )  # fmt: skip


def _matches(key: Key, query: ReliabilityQuery) -> bool:
    wanted = (query.node, query.carrier, query.region, query.service_level)
    return all(w is None or w == value for w, value in zip(wanted, key, strict=True))


def _after(cursor: str | None) -> Key | None:
    if cursor is None:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        key = None
    if not isinstance(key, list) or len(key) != 4 or not all(isinstance(part, str) for part in key):
        raise ValidationFailed(
            [FieldError(("cursor",), "not a cursor this list handed out", "invalid_cursor")]
        )
    return tuple(key)


def _cell(key: Key, cell: Cell) -> CellPublic:
    node, carrier, region, service = key
    return CellPublic(node=node, carrier=carrier, region=region, service_level=service, **asdict(cell))


def _nodes(table: ReliabilityTable, node: str | None) -> list[NodeReliabilityPublic]:
    return [
        NodeReliabilityPublic(node=n, **asdict(r))
        for n, r in sorted(table.nodes.items())
        if node is None or n == node
    ]
