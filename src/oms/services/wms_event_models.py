"""Events a WMS (or a node's staff, through the manual portal) reports about a fulfilment order, and the
answer each gets. One schema per event type, told apart by `type`."""

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints, model_validator

from oms.services.cost_fields import ChargeCurrency, ChargedCost
from oms.services.fields import AsNumber
from oms.services.order_models import Command
from oms.services.reported_times import ReportedAt

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


class EventLine(Command):
    """A line of the fulfilment order, by its order line number or its SKU (one of them)."""

    line_no: int | None = Field(default=None, gt=0)
    sku: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)] | None = None
    quantity: int = Field(gt=0, le=100_000)

    @model_validator(mode="after")
    def _one_reference(self) -> "EventLine":
        if (self.line_no is None) == (self.sku is None):
            raise ValueError("name the line by line_no or by sku, not both")
        return self


class Parcel(Command):
    tracking_number: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] | None = None
    weight_kg: Annotated[Decimal, Field(gt=0, max_digits=10, decimal_places=3), AsNumber]


class _Event(Command):
    event_id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] = Field(
        description="The WMS's id of the event: a retry with the same id and body gets the first answer"
    )
    fulfilment_order_id: int = Field(gt=0)
    occurred_at: ReportedAt = Field(description="When it happened at the node; events may arrive out of order")


class Acknowledged(_Event):
    type: Literal["acknowledged", "accepted"]
    wms_reference: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None = None


class Progressed(_Event):
    type: Literal["picked", "packed"]


class Shipped(_Event):
    type: Literal["shipped"]
    carrier: Name
    service: Name | None = Field(default=None, description="The carrier's service")
    tracking_number: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] | None = None
    parcels: list[Parcel] = Field(default=[], max_length=500)
    lines: list[EventLine] | None = Field(
        default=None, min_length=1, max_length=500,
        description="Units shipped per line; omitted: everything still open",
    )  # fmt: skip
    charged_cost: ChargedCost
    currency: ChargeCurrency


class ShortPicked(_Event):
    type: Literal["short_picked"]
    lines: list[EventLine] = Field(min_length=1, max_length=500, description="Units not found per line")


class Rejected(_Event):
    type: Literal["rejected"]
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


WmsEvent = Annotated[Acknowledged | Progressed | Shipped | ShortPicked | Rejected, Field(discriminator="type")]


class UnitsPublic(BaseModel):
    line_no: int
    sku: str
    quantity: int


class WmsEventOutcome(BaseModel):
    """What an event did. A retry of the same event gets this same answer."""

    event_id: str
    fulfilment_order_id: int
    type: str
    applied: bool = Field(description="False when the event told nothing new (e.g. picked after shipped)")
    status: str = Field(description="The fulfilment order's status after the event")
    order_status: str
    shipment_id: int | None = None
    released: list[int] = Field(default=[], description="Fulfilment orders that took over short or rejected units")
    backordered: list[UnitsPublic] = Field(default=[], description="Units no other node could take")
