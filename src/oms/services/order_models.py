"""Order commands (what callers send) and views (what they get back). One schema validates an HTTP
request, a CLI call and an agent's tool call alike."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    field_validator,
    model_validator,
)

from oms.domain.countries import ISO_COUNTRIES
from oms.domain.order_status import HoldType

Money = Annotated[
    Decimal,
    Field(ge=0, max_digits=12, decimal_places=2),
    PlainSerializer(float, return_type=float, when_used="json"),
]
Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Sku = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
ServiceLevel = Literal["standard", "express", "pickup"]


def _known_country(code: str) -> str:
    if code not in ISO_COUNTRIES:
        raise ValueError(f"'{code}' is not an ISO 3166-1 alpha-2 country code")
    return code


Country = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, min_length=2, max_length=2),
    AfterValidator(_known_country),
]


class Command(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FilterForm(Command):
    """A query a filter form sends: an empty field means no filter (its default)."""

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_absent(cls, value):
        return None if value == "" else value


class CustomerIn(Command):
    name: Text200
    email: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, to_lower=True, max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
        ),
    ]
    phone: Annotated[str, StringConstraints(max_length=40)] | None = None


class Address(Command):
    name: Text200
    line1: Text200
    line2: Annotated[str, StringConstraints(max_length=200)] | None = None
    postal_code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]
    city: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    country: Country
    phone: Annotated[str, StringConstraints(max_length=40)] | None = None


class LineIn(Command):
    sku: Sku
    quantity: int = Field(gt=0, le=100_000)
    unit_price: Money
    external_line_id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None = (
        Field(default=None, description="The channel's own reference of the line, quoted back in acknowledgements")
    )


def _no_duplicate_skus(lines: list[LineIn]) -> list[LineIn]:
    seen: dict[str, int] = {}
    for index, line in enumerate(lines):
        if line.sku in seen:
            raise ValueError(f"lines[{index}] repeats SKU '{line.sku}' of lines[{seen[line.sku]}]")
        seen[line.sku] = index
    return lines


class OrderCreate(Command):
    channel: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    external_id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    customer: CustomerIn
    ship_to: Address
    service_level: ServiceLevel = "standard"
    pickup_node_id: Annotated[str, StringConstraints(max_length=40)] | None = Field(
        default=None, description="The store collecting the order; required for pickup"
    )
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "EUR"
    lines: Annotated[list[LineIn], Field(min_length=1, max_length=500), AfterValidator(_no_duplicate_skus)]
    hold: HoldType | None = Field(default=None, description="Capture the order on hold (e.g. payment review)")
    promised_delivery_date: dt.date | None = Field(
        default=None, description="The date promised at checkout; computed from the allocation when absent"
    )
    notes: Annotated[str, StringConstraints(max_length=2000)] | None = None


class HoldCommand(Command):
    type: HoldType = HoldType.MANUAL
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class ReasonCommand(Command):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None


class LineQuantity(Command):
    line_no: int = Field(gt=0)
    quantity: int = Field(gt=0, le=100_000)


class OrderEdit(Command):
    """Changes to an order not yet released; changed lines are re-reserved."""

    expected_version: int | None = Field(default=None, description="Refuse with 409 if the order moved on")
    ship_to: Address | None = None
    set_quantities: list[LineQuantity] = Field(default=[], max_length=500)
    add_lines: Annotated[list[LineIn], Field(max_length=500), AfterValidator(_no_duplicate_skus)] = []
    remove_lines: list[Annotated[int, Field(gt=0)]] = Field(default=[], max_length=500)

    @model_validator(mode="after")
    def _changes_something(self) -> "OrderEdit":
        if not (self.ship_to or self.set_quantities or self.add_lines or self.remove_lines):
            raise ValueError("an edit must change the address or at least one line")
        return self


class OrderListQuery(Command):
    status: str | None = None
    channel: str | None = None
    customer_email: str | None = None
    external_id: str | None = None
    sku: str | None = None
    created_from: dt.datetime | None = None
    created_to: dt.datetime | None = None
    limit: int = Field(default=50, ge=1, le=500)
    cursor: int | None = Field(default=None, description="next_cursor of the previous page")


class AllocationPublic(BaseModel):
    node_id: str
    quantity: int


class OrderLinePublic(BaseModel):
    line_no: int
    sku: str
    quantity: int
    unit_price: Money
    status: str
    allocated_quantity: int
    backordered_quantity: int
    shipped_quantity: int = 0
    delivered_quantity: int = 0
    allocations: list[AllocationPublic]
    external_line_id: str | None = None


class CustomerPublic(BaseModel):
    id: int
    name: str
    email: str


class OrderSourcePublic(BaseModel):
    source: str = Field(description="How the order arrived: api, shopify, marketplace, edi, bulk, document")
    payload_id: int | None = Field(description="The payload as received: GET /inbound-payloads/{payload_id}")
    reference: str | None = Field(description="Where in that payload, when it holds several orders")


class OrderPublic(BaseModel):
    id: int
    channel: str
    external_id: str
    status: str
    hold_type: str | None
    hold_reason: str | None
    customer: CustomerPublic
    ship_to: dict
    service_level: str
    currency: str
    total_amount: Money
    promised_ship_date: dt.date | None
    promised_delivery_date: dt.date | None
    notes: str | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    lines: list[OrderLinePublic]
    source: OrderSourcePublic


class OrderSummary(BaseModel):
    id: int
    channel: str
    external_id: str
    status: str
    customer_name: str
    customer_email: str
    ship_to_country: str
    service_level: str
    currency: str
    total_amount: Money
    promised_delivery_date: dt.date | None
    created_at: dt.datetime


class OrdersPage(BaseModel):
    items: list[OrderSummary]
    next_cursor: int | None


class OrderEventPublic(BaseModel):
    id: int
    action: str
    actor: str
    actor_role: str
    on_behalf_of: str | None
    before: dict | None
    after: dict | None
    created_at: dt.datetime
