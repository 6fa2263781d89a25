"""Carrier tracking: what a carrier's event does to its shipment.

Events arrive late, twice and out of order, so a shipment's status follows when things happened, not
when they were heard of: an event moves it only if it happened at or after what set the current status.
Delivered and returned to sender end the journey: they apply whenever they happened, and nothing moves
a shipment out of them (a late "in transit" is kept in the history and changes nothing). The times an
event proves (first in transit, first out for delivery, latest exception, returned) are recorded
whether or not it moves the status: they are facts either way.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class TrackingStatus(StrEnum):
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    EXCEPTION = "exception"
    RETURNED_TO_SENDER = "returned_to_sender"


SHIPPED = "shipped"  # a shipment's status from the moment it leaves the node until the carrier reports
FINAL = frozenset({TrackingStatus.DELIVERED, TrackingStatus.RETURNED_TO_SENDER})


@dataclass(frozen=True, slots=True)
class TrackingState:
    status: str  # the shipment's status: shipped, or a TrackingStatus
    status_at: datetime | None  # when what set it happened; None: the carrier has reported nothing yet


def moves(state: TrackingState, event: TrackingStatus, occurred_at: datetime) -> bool:
    """Whether an event of `event` that happened at `occurred_at` sets the shipment's status."""
    if state.status in FINAL:
        return False
    if event in FINAL or state.status_at is None:
        return True
    return occurred_at >= state.status_at


class Keep(StrEnum):
    EARLIEST = "least"
    LATEST = "greatest"


# The shipment's time column an event proves, and which of several such events it keeps. Delivery is
# recorded by the delivery itself (oms.services.shipment_progress), once.
TIMES: dict[TrackingStatus, tuple[str, Keep]] = {
    TrackingStatus.IN_TRANSIT: ("in_transit_at", Keep.EARLIEST),
    TrackingStatus.OUT_FOR_DELIVERY: ("out_for_delivery_at", Keep.EARLIEST),
    TrackingStatus.EXCEPTION: ("exception_at", Keep.LATEST),
    TrackingStatus.RETURNED_TO_SENDER: ("returned_at", Keep.EARLIEST),
}
