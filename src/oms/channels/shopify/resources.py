"""Shopify's order and refund resources as its webhooks send them (REST Admin API shapes), read with
the fields the OMS uses; anything else Shopify sends is ignored. A field that does not read is a 422
naming it as Shopify does (`line_items.0.quantity`), and nothing is stored."""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from oms.services.errors import FieldError, ValidationFailed

ORDER_TOPICS = ("orders/create", "orders/updated", "orders/cancelled")  # their body is an order resource
REFUND_TOPIC = "refunds/create"  # its body is a refund resource
CENT = Decimal("0.01")
Resource = TypeVar("Resource", bound=BaseModel)


class _Resource(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ShopifyAddress(_Resource):
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    address1: str | None = None
    address2: str | None = None
    zip: str | None = None
    city: str | None = None
    country_code: str | None = None
    phone: str | None = None

    def person(self) -> str | None:
        return (self.name or " ".join(filter(None, (self.first_name, self.last_name)))).strip() or None


class ShopifyCustomer(_Resource):
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None

    def person(self) -> str | None:
        return " ".join(filter(None, (self.first_name, self.last_name))).strip() or None


class DiscountAllocation(_Resource):
    amount: Decimal


class ShopifyLineItem(_Resource):
    id: int
    sku: str | None = None
    variant_id: int | None = None
    name: str | None = None
    quantity: int = Field(ge=0)
    current_quantity: int | None = Field(default=None, ge=0)  # quantity less units refunded or edited out
    fulfillable_quantity: int | None = Field(default=None, ge=0)  # ... and less units fulfilled
    price: Decimal = Field(ge=0)
    requires_shipping: bool = True
    gift_card: bool = False
    discount_allocations: list[DiscountAllocation] = []

    def open_quantity(self) -> int:
        """Units Shopify still has to fulfil: the most precise of the quantities it sent."""
        for quantity in (self.fulfillable_quantity, self.current_quantity):
            if quantity is not None:
                return quantity
        return self.quantity

    def unit_paid(self) -> Decimal:
        """The price paid for one unit: the price less the line's share of discounts."""
        discount = sum((d.amount for d in self.discount_allocations), Decimal(0))
        paid = self.price - (discount / self.quantity if self.quantity else Decimal(0))
        return max(paid, Decimal(0)).quantize(CENT, ROUND_HALF_UP)

    def label(self) -> str:
        return self.name or self.sku or f"line item {self.id}"


class ShippingLine(_Resource):
    code: str | None = None
    title: str | None = None


class RefundLineItem(_Resource):
    line_item_id: int
    quantity: int = Field(ge=0)
    restock_type: str | None = None  # cancel, return, no_restock, legacy_restock


class ShopifyRefund(_Resource):
    id: int = Field(gt=0)
    order_id: int = Field(gt=0)
    note: str | None = None
    refund_line_items: list[RefundLineItem] = []


class ShopifyOrder(_Resource):
    id: int = Field(gt=0)
    name: str | None = None  # what the shop and its customer call it: #1001
    email: str | None = None
    contact_email: str | None = None
    phone: str | None = None
    customer: ShopifyCustomer | None = None
    shipping_address: ShopifyAddress | None = None
    billing_address: ShopifyAddress | None = None
    line_items: list[ShopifyLineItem] = Field(min_length=1)
    shipping_lines: list[ShippingLine] = []
    financial_status: str | None = None
    tags: str | None = None  # comma-separated
    note: str | None = None
    currency: str | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str | None = None
    updated_at: datetime | None = None
    location_id: int | None = None  # where a point-of-sale or pickup order was placed
    refunds: list[ShopifyRefund] = []

    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in (self.tags or "").split(",") if tag.strip()]


def read(model: type[Resource], body: bytes) -> Resource:
    """The resource in a webhook's raw body, or 422 naming each field at fault (`body` when it is no JSON
    object at all)."""
    try:
        return model.model_validate_json(body)
    except ValidationError as error:
        raise ValidationFailed([FieldError(tuple(e["loc"]) or ("body",), e["msg"], e["type"])
                                for e in error.errors()]) from None  # fmt: skip
