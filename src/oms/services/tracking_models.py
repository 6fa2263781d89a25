"""Carrier tracking events (what carriers and aggregators send), the answer each gets, and shipments as
seen with their tracking history."""

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from oms.domain.tracking import TrackingStatus
from oms.services.cost_fields import ChargeCurrency, ChargedCost
from oms.services.fulfilment_models import ShipmentPublic
from oms.services.order_models import Command, Text200
from oms.services.reported_times import ReportedAt

Text40 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Text64 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Text100 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Text2000 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class TrackingEventIn(Command):
    event_id: Text100 = Field(
        description="The carrier's id of the event: the same id again with the same content gets the first answer"
    )
    carrier: Text40 = Field(description="As the shipment names it (case does not matter)")
    tracking_number: Text64
    status: TrackingStatus
    occurred_at: ReportedAt = Field(description="When it happened; events may arrive late and out of order")
    location: Text200 | None = None
    detail: Text2000 | None = Field(default=None, description="The carrier's words, e.g. why an exception")
    charged_cost: ChargedCost
    currency: ChargeCurrency


class TrackingBatch(Command):
    events: list[TrackingEventIn] = Field(min_length=1, max_length=500)


class TrackingOutcome(BaseModel):
    """What an event did. A retry of the same event gets this same answer."""

    event_id: str
    carrier: str
    tracking_number: str
    status: TrackingStatus
    occurred_at: dt.datetime
    shipment_id: int
    order_id: int
    applied: bool = Field(description="False when it moved nothing (e.g. an in-transit scan heard after delivery); "
                                      "it is kept in the shipment's history all the same")  # fmt: skip
    shipment_status: str = Field(description="The shipment's status after the event")
    parcel_status: str | None = Field(default=None, description="The parcel's status after the event, when it names "
                                      "one parcel of the shipment rather than its main tracking number")  # fmt: skip
    order_status: str
    alerts_raised: list[int] = []


class TrackingBatchOutcome(BaseModel):
    outcomes: list[TrackingOutcome] = Field(description="One per event, in the order sent")


class TrackingEventPublic(BaseModel):
    event_id: str
    status: TrackingStatus
    occurred_at: dt.datetime
    location: str | None
    detail: str | None
    received_at: dt.datetime
    actor: str
    applied: bool


class ShipmentDetail(ShipmentPublic):
    """A shipment with what its carrier reported, oldest event first."""

    in_transit_at: dt.datetime | None = Field(description="The first in-transit scan")
    out_for_delivery_at: dt.datetime | None = Field(description="The first time out for delivery")
    exception_at: dt.datetime | None = Field(description="The latest exception")
    returned_at: dt.datetime | None = Field(description="When the carrier started returning it to the sender")
    tracking: list[TrackingEventPublic]
