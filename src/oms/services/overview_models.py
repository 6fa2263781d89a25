"""The managers' overview: what it is asked (a period and a channel) and what it answers."""

import datetime as dt
from datetime import UTC, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from oms.services.order_models import Command

DEFAULT_DAYS = 14
MAX_DAYS = 92


def _today() -> dt.date:
    return datetime.now(UTC).date()


class OverviewQuery(Command):
    """The period is UTC days, both ends included: by default the last 14 days up to today."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    # `to` comes first so that the check of `from` (which defaults from it) can read it.
    # The period's end is the instant after `to`: 9999-12-31 would end in the year 10000.
    to: dt.date = Field(default_factory=_today, le=dt.date.max - dt.timedelta(days=1),
                        description="Last day of the period (included); today by default")
    from_: dt.date | None = Field(default=None, alias="from", validate_default=True,
                                  description=f"First day of the period; {DEFAULT_DAYS} days before `to` by default")  # fmt: skip
    channel: str | None = Field(default=None, min_length=1, max_length=40, description="Only this channel's orders")

    @field_validator("from_", "channel", mode="before")
    @classmethod
    def _blank_is_absent(cls, value):
        """An empty field of the console's filter form means its default."""
        return None if value == "" else value

    @field_validator("to", mode="before")
    @classmethod
    def _to_default(cls, value):
        return _today() if value in (None, "") else value

    @field_validator("from_")
    @classmethod
    def _period(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        to = info.data.get("to")
        if to is None:  # `to` itself is invalid: its own error says so
            return value
        if value is None:  # no earlier than the calendar's first day
            return dt.date.fromordinal(max(to.toordinal() - (DEFAULT_DAYS - 1), 1))
        if value > to:
            raise ValueError("the first day is after the last day (`to`)")
        if (to - value).days >= MAX_DAYS:
            raise ValueError(f"a period of at most {MAX_DAYS} days")
        return value

    @property
    def days(self) -> list[dt.date]:
        return [self.from_ + dt.timedelta(days=n) for n in range((self.to - self.from_).days + 1)]


class ChannelDay(BaseModel):
    day: dt.date
    channel: str
    currency: str
    orders: int = Field(description="Orders captured that day (cancelled ones included)")
    value: Decimal = Field(description="Their order value in `currency`; currencies are never added up")


class LeadTime(BaseModel):
    shipments: int = Field(description="Shipments that left a node")
    to_ship_hours_p50: float | None = Field(description="Order capture to shipment, median, in hours")
    to_ship_hours_p90: float | None
    delivered: int = Field(description="Of those, delivered so far")
    to_delivery_hours_p50: float | None = Field(description="Order capture to delivery, median, in hours")
    to_delivery_hours_p90: float | None
    shipped_late: int = Field(description="Shipped after their ship-by date (node's time zone)")
    delivered_late: int = Field(description="Delivered after their promised delivery date")
    late: int = Field(description="Shipped late, delivered late, or both")


class DayLeadTime(LeadTime):
    day: dt.date = Field(description="The UTC day the shipments left")


class NodeLeadTime(LeadTime):
    node_id: str


class LateOrder(BaseModel):
    id: int
    channel: str
    status: str
    promised_delivery_date: dt.date
    days_late: int = Field(description="Days since the promised delivery date")


class Lateness(BaseModel):
    open_past_promise: int = Field(description="Open orders (not delivered nor cancelled) past their promised "
                                   "delivery date now: the console's late filter")  # fmt: skip
    worst: list[LateOrder] = Field(description="The longest overdue of them, the oldest promise first")


class StockOut(BaseModel):
    sku: str
    name: str
    network_out: bool = Field(description="No active node has ATP for it")
    out_nodes: list[str] = Field(description="Active nodes whose position has ATP at or under zero")
    waiting_units: int = Field(description="Units of open lines neither reserved nor shipped (backordered)")
    waiting_lines: int


class BackorderDay(BaseModel):
    day: dt.date
    lines: int = Field(description="Order lines that went (further) backordered that UTC day")
    units: int


class StockOuts(BaseModel):
    skus: int = Field(description="SKUs with at least one position out, or with demand and no position")
    network_out: int = Field(description="Of those, SKUs no active node has ATP for")
    positions: int = Field(description="SKU x node positions with ATP at or under zero")
    worst: list[StockOut] = Field(description="Network-wide stock-outs first, then the most units waiting")
    backordered_by_day: list[BackorderDay]


class Overview(BaseModel):
    from_: dt.date = Field(serialization_alias="from")
    to: dt.date
    channel: str | None
    channels: list[str] = Field(description="Every channel, for a filter")
    as_of: datetime
    orders: list[ChannelDay] = Field(description="Per UTC day of capture, channel and currency")
    lead_times_by_day: list[DayLeadTime]
    lead_times_by_node: list[NodeLeadTime]
    late: Lateness
    stock_outs: StockOuts
