"""The promise command and its answer, as HTTP clients and agent tools see them."""

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from oms.services.fields import MAX_QUANTITY

ServiceLevel = Literal["standard", "express", "pickup"]


class PromiseLine(BaseModel):
    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(gt=0, le=MAX_QUANTITY)


class PromiseDestination(BaseModel):
    postal_code: str = Field(min_length=1, max_length=20)
    country: str = Field(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2 code")

    @field_validator("country")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()


class PromiseRequest(BaseModel):
    lines: list[PromiseLine] = Field(min_length=1, max_length=100, description="One line per SKU")
    destination: PromiseDestination
    service_level: ServiceLevel | None = Field(default=None, description="Only this option; all by default")
    channel: str | None = Field(default=None, max_length=40, description="Net of stock held back from it")
    at: dt.datetime | None = Field(
        default=None, description="Order time to promise for (what-if); now by default; naive means UTC"
    )

    @field_validator("at")
    @classmethod
    def _plausible(cls, value: dt.datetime | None) -> dt.datetime | None:
        # Calendars and holiday tables stop somewhere; date arithmetic near year 1 or 9999 overflows.
        if value is not None and not 2000 <= value.year <= 2099:
            raise ValueError("must be a time between the years 2000 and 2099")
        return value


class PromiseLinePublic(BaseModel):
    sku: str
    quantity: int


class ShipFromPublic(BaseModel):
    node_id: str
    lines: list[PromiseLinePublic]
    ship_date: dt.date = Field(description="For pickup, the day the order is ready at the store")
    carrier: str | None
    delivery_date: dt.date | None


class PickupStorePublic(BaseModel):
    id: str
    name: str
    city: str
    distance_km: float


class PromiseOptionPublic(BaseModel):
    service_level: ServiceLevel
    available: bool
    reason: str | None = Field(description="Why the option is unavailable")
    ship_from: list[ShipFromPublic]
    carrier: str | None = Field(description="The carrier; a split shipment's carriers joined by ', '")
    delivery_date: dt.date | None = Field(description="When the last parcel arrives (not for pickup)")
    ready_date: dt.date | None = Field(description="Pickup: when the order is ready at the store")
    store: PickupStorePublic | None = Field(description="Pickup: the store")


class DestinationPublic(BaseModel):
    postal_code: str
    country: str
    area: str = Field(description="The reference area the postal code was placed in")


class PromiseResponse(BaseModel):
    at: dt.datetime
    destination: DestinationPublic
    options: list[PromiseOptionPublic]
