"""Fulfilment orders: what one node is asked to ship of an order, and how far it has got.

A WMS reports milestones (acknowledged, accepted, picked, packed) and quantities (shipped, short, rejected).
Events may arrive out of order, so the status is never stored as a step taken but derived from what is
known: the furthest milestone reached (a shipment implies the pick and the pack), and the units still open.
A late event can add what it knows but can never move the status back.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum


class FulfilmentStatus(StrEnum):
    RELEASED = "released"
    ACKNOWLEDGED = "acknowledged"
    ACCEPTED = "accepted"
    PICKED = "picked"
    PACKED = "packed"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"  # closed, at least one unit shipped
    REJECTED = "rejected"  # closed by the WMS's rejection, nothing shipped
    CANCELLED = "cancelled"  # closed, every unit short picked


CLOSED = frozenset({FulfilmentStatus.SHIPPED, FulfilmentStatus.REJECTED, FulfilmentStatus.CANCELLED})


class Milestone(IntEnum):
    """WMS milestones in the order they happen; each implies those before it."""

    ACKNOWLEDGED = 1
    ACCEPTED = 2
    PICKED = 3
    PACKED = 4
    SHIPPED = 5

    @property
    def column(self) -> str:
        return f"{self.name.lower()}_at"


@dataclass(frozen=True, slots=True)
class Units:
    """A fulfilment order's (or one line's) units: released, and of those shipped, short picked, rejected."""

    quantity: int
    shipped: int = 0
    short: int = 0
    rejected: int = 0

    @property
    def open(self) -> int:
        return self.quantity - self.shipped - self.short - self.rejected


def status(reached: Milestone | None, units: Units) -> FulfilmentStatus:
    """The status of a fulfilment order that has reached `reached` (None: nothing reported yet)."""
    if units.open > 0:
        if units.shipped:
            return FulfilmentStatus.PARTIALLY_SHIPPED
        if reached is None:
            return FulfilmentStatus.RELEASED
        return FulfilmentStatus(min(reached, Milestone.PACKED).name.lower())
    if units.shipped:
        return FulfilmentStatus.SHIPPED
    return FulfilmentStatus.REJECTED if units.rejected else FulfilmentStatus.CANCELLED


def furthest(times: dict[Milestone, datetime | None]) -> Milestone | None:
    """The furthest milestone with a time."""
    return max((m for m, at in times.items() if at is not None), default=None)


def implied(milestone: Milestone) -> list[Milestone]:
    """The milestones an event of `milestone` proves: itself and every one before it."""
    return [m for m in Milestone if m <= milestone]

