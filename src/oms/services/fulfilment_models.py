"""Fulfilment orders as callers see them, and the queries over them."""

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from oms.domain.fulfilment import FulfilmentStatus
from oms.services.order_models import Command
from oms.services.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page
from oms.services.webhook_subscriptions import WebhookUrl  # the same sender posts releases


class FulfilmentLinePublic(BaseModel):
    line_no: int
    sku: str
    quantity: int = Field(description="Units released to the node")
    shipped_quantity: int
    short_quantity: int = Field(description="Units the node could not find (rerouted)")
    rejected_quantity: int = Field(description="Units the node rejected (rerouted)")
    open_quantity: int = Field(description="Units still to ship")


class SendingPublic(BaseModel):
    """Sending the release document to the node's WMS."""

    attempts: int
    next_attempt_at: dt.datetime | None = Field(description="When the worker tries again; null: nothing to send")
    last_error: str | None
    sent_at: dt.datetime | None
    wms_reference: str | None


class ShipmentLinePublic(BaseModel):
    line_no: int
    sku: str
    quantity: int


class ShipmentPublic(BaseModel):
    id: int
    order_id: int
    node_id: str
    fulfilment_order_id: int | None
    carrier: str
    carrier_service: str | None
    service_level: str
    tracking_number: str | None
    status: str
    units: int
    weight_kg: float
    parcels: list[dict]
    shipped_at: dt.datetime | None
    delivered_at: dt.datetime | None
    promised_delivery_date: dt.date | None
    lines: list[ShipmentLinePublic]


class WmsEventSummary(BaseModel):
    event_id: str
    type: str
    occurred_at: dt.datetime
    received_at: dt.datetime
    actor: str
    applied: bool


class FulfilmentOrderPublic(BaseModel):
    id: int
    order_id: int
    node_id: str
    status: FulfilmentStatus
    ship_by: dt.date | None
    deliver_by: dt.date | None
    rerouted_from_id: int | None = Field(description="The fulfilment order whose short or rejected units this one took")
    reason: str | None = Field(description="Why the WMS rejected it")
    sending: SendingPublic
    acknowledged_at: dt.datetime | None
    accepted_at: dt.datetime | None
    picked_at: dt.datetime | None
    packed_at: dt.datetime | None
    shipped_at: dt.datetime | None = Field(description="The first shipment")
    closed_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    lines: list[FulfilmentLinePublic]


class FulfilmentOrderDetail(FulfilmentOrderPublic):
    shipments: list[ShipmentPublic]
    events: list[WmsEventSummary]


class FulfilmentOrderPage(Page[FulfilmentOrderPublic]):
    pass


class FulfilmentOrderQuery(Command):
    node: str | None = None
    status: FulfilmentStatus | None = None
    order: int | None = Field(default=None, description="An order id")
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = Field(default=None, max_length=500)


class NodeIntegrationIn(Command):
    """How the node's WMS receives releases: POSTed to `endpoint_url` and signed with `secret` (http),
    written into `drop_dir` (file), or nothing sent: the node's staff work from the API (manual)."""

    transport: Literal["http", "file", "manual"]
    endpoint_url: WebhookUrl | None = Field(default=None, description="Checked as the sender parses it")
    secret: str | None = Field(default=None, min_length=16, max_length=200)
    drop_dir: str | None = Field(default=None, max_length=1000, pattern=r"^/")


class NodeIntegrationPublic(BaseModel):
    node_id: str
    transport: Literal["http", "file", "manual"]
    endpoint_url: str | None
    secret_set: bool = Field(description="The secret itself is never shown")
    drop_dir: str | None
    updated_by: str | None
    updated_at: dt.datetime | None
