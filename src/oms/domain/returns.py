"""Return rules: reason codes, a channel's return policy, which shipped units may still be returned, and
the status of a return (RMA) derived from its quantities.

A policy is data a business team edits per channel, validated here so that a mistake (a restocking fee
charged for a defective item) is refused with the path of the offending field.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, field_validator


class ReasonCode(StrEnum):
    DAMAGED = "damaged"
    DEFECTIVE = "defective"
    WRONG_ITEM = "wrong_item"
    NOT_AS_DESCRIBED = "not_as_described"
    TOO_SMALL = "too_small"
    TOO_LARGE = "too_large"
    CHANGED_MIND = "changed_mind"
    LATE_DELIVERY = "late_delivery"
    OTHER = "other"


# The item itself is at fault: such a unit may come back even when the item is not returnable (final
# sale): the seller's legal guarantee, not a goodwill return.
ITEM_FAULT = frozenset({ReasonCode.DAMAGED, ReasonCode.DEFECTIVE, ReasonCode.WRONG_ITEM, ReasonCode.NOT_AS_DESCRIBED})
# The retailer is at fault: no restocking fee, ever, and the original shipping is refunded.
RETAILER_FAULT = ITEM_FAULT | {ReasonCode.LATE_DELIVERY}


class Resolution(StrEnum):
    REFUND = "refund"
    STORE_CREDIT = "store_credit"
    EXCHANGE = "exchange"


class Condition(StrEnum):
    NEW = "new"  # new, unopened
    OPENED = "opened"
    DAMAGED = "damaged"
    DEFECTIVE = "defective"


class Disposition(StrEnum):
    RESTOCK = "restock"  # back to sellable stock at the receiving node
    QUARANTINE = "quarantine"  # counted at the node, kept out of ATP until released or written off
    WRITE_OFF = "write_off"


class ReturnStatus(StrEnum):
    AUTHORISED = "authorised"
    IN_TRANSIT = "in_transit"
    PARTIALLY_RECEIVED = "partially_received"
    RECEIVED = "received"
    INSPECTED = "inspected"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    REJECTED = "rejected"


# Nothing has arrived yet: the RMA may still be cancelled, rejected or marked in transit.
AWAITING = frozenset({ReturnStatus.AUTHORISED, ReturnStatus.IN_TRANSIT})
FINISHED = frozenset({ReturnStatus.CLOSED, ReturnStatus.CANCELLED, ReturnStatus.REJECTED})

_AS_NUMBER = PlainSerializer(float, return_type=float, when_used="json")  # as clients send them
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2), _AS_NUMBER]
Amount = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2), _AS_NUMBER]
ServiceLevel = Literal["standard", "express", "pickup"]


class ReturnPolicy(BaseModel):
    """A channel's return policy. Amounts are in the currency of the channel's orders."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    window_days: int = Field(default=30, ge=0, le=3650, description=(
        "Days a unit may be returned after its delivery, or after its shipment while its delivery is unknown; "
        "the last day counts"))
    non_returnable_skus: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        default=[], max_length=10_000,
        description="Never returned except when the item is at fault (as are products flagged final_sale)")
    restocking_fee_percent: dict[ReasonCode, Percent] = Field(default={}, description=(
        "Fee kept from a refund, as a percentage of the price paid, by reason; never for a reason that puts "
        "the retailer at fault, and never on an exchange"))
    refund_shipping_on_retailer_fault: bool = True
    refund_shipping_on_full_return: bool = True
    shipping_fees: dict[ServiceLevel, Amount] = Field(
        default={}, description="What the channel charges for shipping an order, by service level: the "
        "original shipping a refund gives back (orders do not record a shipping charge of their own)")
    store_credit_allowed: bool = True
    store_credit_bonus_percent: Percent = Field(default=Decimal(0), description="Added to store credit issued")
    exchange_allowed: bool = True
    refund_on_receipt_up_to: Amount | None = Field(default=None, description=(
        "Refund when the units arrive, without waiting for inspection, if the RMA is worth at most this"))

    @field_validator("restocking_fee_percent")
    @classmethod
    def _no_fee_when_retailer_at_fault(cls, fees: dict[ReasonCode, Decimal]) -> dict[ReasonCode, Decimal]:
        charged = sorted(reason.value for reason, pct in fees.items() if reason in RETAILER_FAULT and pct > 0)
        if charged:
            raise ValueError(f"no restocking fee may be charged when the retailer is at fault: {', '.join(charged)}")
        return fees

    def fee_percent(self, reason: ReasonCode) -> Decimal:
        return Decimal(0) if reason in RETAILER_FAULT else self.restocking_fee_percent.get(reason, Decimal(0))

    def last_return_day(self, returnable_from: dt.date) -> dt.date:
        return returnable_from + dt.timedelta(days=self.window_days)


DEFAULT_POLICY = ReturnPolicy()


@dataclass(frozen=True, slots=True)
class ShippedLine:
    """What of an order line may come back: units shipped, units already on other returns, and from when
    the window runs (the last delivery of the line, or its last shipment while delivery is unknown)."""

    line_no: int
    sku: str
    shipped: int
    on_other_returns: int
    final_sale: bool
    returnable_from: dt.date | None

    @property
    def returnable(self) -> int:
        return max(0, self.shipped - self.on_other_returns)


@dataclass(frozen=True, slots=True)
class Requested:
    line_no: int
    quantity: int
    reason: ReasonCode


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why requested line `index` may not come back; `field` names the field at fault."""

    index: int
    field: str
    code: str
    message: str


def refusals(policy: ReturnPolicy, lines: dict[int, ShippedLine], requested: list[Requested],
             today: dt.date) -> list[Refusal]:
    """Every reason the requested lines may not be returned under `policy` on `today` (none: all may)."""
    found: list[Refusal] = []
    seen: set[int] = set()
    for index, req in enumerate(requested):
        line = lines.get(req.line_no)
        if req.line_no in seen:
            found.append(Refusal(index, "line_no", "repeated", f"line {req.line_no} is requested twice"))
        elif line is None:
            found.append(Refusal(index, "line_no", "unknown_line", f"the order has no line {req.line_no}"))
        else:
            found.extend(_line_refusals(policy, line, req, index, today))
        seen.add(req.line_no)
    return found


def _line_refusals(policy: ReturnPolicy, line: ShippedLine, req: Requested, index: int,
                   today: dt.date) -> list[Refusal]:
    found = []
    if req.quantity > line.returnable:
        found.append(Refusal(index, "quantity", "over_returnable",
                             f"{line.returnable} unit(s) of line {line.line_no} may be returned: {line.shipped} "
                             f"shipped, {line.on_other_returns} on other returns"))
    if (line.final_sale or line.sku in policy.non_returnable_skus) and req.reason not in ITEM_FAULT:
        why = "a final-sale item" if line.final_sale else "not returnable on this channel"
        found.append(Refusal(index, "reason_code", "non_returnable",
                             f"{line.sku} is {why}: it comes back only when damaged, defective, wrong or "
                             "not as described"))
    if line.returnable_from is not None and today > policy.last_return_day(line.returnable_from):
        found.append(Refusal(index, "line_no", "outside_window",
                             f"the return window of line {line.line_no} closed on "
                             f"{policy.last_return_day(line.returnable_from).isoformat()}"))
    return found


@dataclass(frozen=True, slots=True)
class Progress:
    """Units of a return: authorised, received so far, inspected so far."""

    authorised: int
    received: int
    inspected: int


def status_after(current: ReturnStatus, progress: Progress) -> ReturnStatus:
    """The status a return has once `progress` is reached; a finished return keeps its status."""
    if current in FINISHED or progress.received == 0:
        return current
    if progress.received < progress.authorised:
        return ReturnStatus.PARTIALLY_RECEIVED
    if progress.inspected < progress.authorised:
        return ReturnStatus.RECEIVED
    return ReturnStatus.INSPECTED


def refund_eligible(reason: ReasonCode, condition: Condition) -> bool:
    """A unit that comes back damaged while its reason blames no fault of the item (the customer changed
    their mind, the size did not fit) was damaged by the customer: it is not refunded."""
    return not (condition is Condition.DAMAGED and reason not in ITEM_FAULT)
