"""Return commands (what callers send) and views (what they get back): RMAs, receipts, inspections,
refunds. One schema validates an HTTP request, a CLI call and an agent's tool call alike."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, model_validator

from oms.domain.returns import Condition, Disposition, ReasonCode, Resolution, ReturnPolicy, ReturnStatus
from oms.services.fields import AsNumber, NodeId, Sku
from oms.services.order_models import Command, Money

Units = Annotated[int, Field(gt=0, le=100_000)]
LineNo = Annotated[int, Field(gt=0, description="The order line's number")]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] | None
Amount = Annotated[Decimal, AsNumber]


class ReturnLineIn(Command):
    line_no: LineNo
    quantity: Units
    reason_code: ReasonCode
    comment: Note = None


class ExchangeLineIn(Command):
    sku: Sku
    quantity: Units
    unit_price: Money | None = Field(
        default=None, description="The replacement's price; the catalogue price when absent (e.g. a size swap "
        "of an item bought on sale is priced as paid)")


ExternalId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class ReturnCreate(Command):
    order_id: int = Field(gt=0)
    external_id: ExternalId | None = Field(default=None, description=(
        "The channel's own reference of the return request, unique per channel: a retry with it answers 200 "
        "with the RMA already authorised, the same reference with a different request 409"))
    lines: list[ReturnLineIn] = Field(min_length=1, max_length=500)
    resolution: Resolution = Resolution.REFUND
    exchange_lines: list[ExchangeLineIn] = Field(default=[], max_length=500, description=(
        "What the customer gets instead (exchange only): a new order of the same channel, customer and address, "
        "paid by the returned units, so worth no more than them"))

    @model_validator(mode="after")
    def _exchange_lines_with_an_exchange_only(self) -> "ReturnCreate":
        if (self.resolution is Resolution.EXCHANGE) != bool(self.exchange_lines):
            raise ValueError("exchange_lines are required for an exchange, and only for one")
        return self


class ReturnTransit(Command):
    tracking_number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    carrier: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)] | None = None


class ReceiptLineIn(Command):
    line_no: LineNo
    quantity: Units


class ReceiptCreate(Command):
    node_id: NodeId = Field(description="Where the units arrived: any node, e.g. a store for a web order")
    lines: list[ReceiptLineIn] = Field(min_length=1, max_length=500)


class InspectionLineIn(Command):
    line_no: LineNo
    quantity: Units
    condition: Condition
    disposition: Disposition
    note: Note = None


class InspectionCreate(Command):
    node_id: NodeId = Field(description="The node that received the units")
    lines: list[InspectionLineIn] = Field(min_length=1, max_length=500)


class ReturnListQuery(Command):
    status: ReturnStatus | None = None
    channel: str | None = None
    order_id: int | None = Field(default=None, description="Returns of this order, or that it was the exchange of")
    customer_id: int | None = None
    rma_number: str | None = None
    external_id: str | None = Field(default=None, description="The channel's reference of the return request")
    created_from: dt.datetime | None = None
    created_to: dt.datetime | None = None
    limit: int = Field(default=50, ge=1, le=500)
    cursor: int | None = Field(default=None, description="next_cursor of the previous page")


class ReturnLinePublic(BaseModel):
    line_no: int
    sku: str
    quantity: int
    unit_price: Amount
    reason_code: ReasonCode
    comment: str | None
    received_quantity: int
    inspected_quantity: int
    settled_quantity: int = Field(description="Units refunded, credited or paying for the exchange")


class _Movement(BaseModel):
    """Units of a return line at a node."""

    line_no: int
    node_id: str
    quantity: int
    created_at: dt.datetime


class ReceiptPublic(_Movement):
    received_by: str


class InspectionPublic(_Movement):
    condition: Condition
    disposition: Disposition
    refundable: bool = Field(description="False for a unit the customer damaged: it is not refunded")
    note: str | None
    inspected_by: str


class RefundPublic(BaseModel):
    id: int
    return_id: int
    rma_number: str
    order_id: int
    customer_id: int
    method: str = Field(description="original_payment, or store_credit")
    status: str
    amount: Amount
    currency: str
    shipping: Amount
    breakdown: dict
    created_by: str
    created_at: dt.datetime


class RefundsPage(BaseModel):
    items: list[RefundPublic]
    next_cursor: int | None


class _ReturnHead(BaseModel):
    """What a list shows of a return, and its view starts with."""

    id: int
    rma_number: str
    external_id: str | None
    order_id: int
    channel: str
    customer_id: int
    status: ReturnStatus
    resolution: Resolution
    currency: str
    value: Amount = Field(description="What the authorised units were paid")
    exchange_order_id: int | None
    created_at: dt.datetime


class ReturnPublic(_ReturnHead):
    return_carrier: str | None
    return_tracking_number: str | None
    exchange_lines: list[dict] | None
    status_reason: str | None
    policy: ReturnPolicy = Field(description="The channel's policy when the return was authorised")
    created_by: str
    updated_at: dt.datetime
    version: int
    lines: list[ReturnLinePublic]
    receipts: list[ReceiptPublic]
    inspections: list[InspectionPublic]
    refunds: list[RefundPublic]


class ReturnSummary(_ReturnHead):
    units: int


class ReturnsPage(BaseModel):
    items: list[ReturnSummary]
    next_cursor: int | None
