"""Order and line state machine.

An order's status is derived from its lines (allocated, partially allocated, backordered, ...) except
while a hold sits on it. Actions are allowed only from the statuses listed in ALLOWED_FROM.
"""

from collections.abc import Iterable
from enum import StrEnum

from oms.domain.errors import IllegalTransition


class OrderStatus(StrEnum):
    RECEIVED = "received"
    ON_HOLD = "on_hold"
    ALLOCATED = "allocated"
    PARTIALLY_ALLOCATED = "partially_allocated"
    BACKORDERED = "backordered"
    RELEASED = "released"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class LineStatus(StrEnum):
    ALLOCATED = "allocated"
    PARTIALLY_ALLOCATED = "partially_allocated"
    BACKORDERED = "backordered"
    RELEASED = "released"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


# Lines still waiting to be released: their reservations may change (edit, cancel, allocate again).
OPEN_LINE_STATUSES = frozenset({LineStatus.ALLOCATED, LineStatus.PARTIALLY_ALLOCATED, LineStatus.BACKORDERED})


class HoldType(StrEnum):
    MANUAL = "manual"
    PAYMENT_REVIEW = "payment_review"
    FRAUD_REVIEW = "fraud_review"


_OPEN = frozenset(
    {
        OrderStatus.RECEIVED,
        OrderStatus.ALLOCATED,
        OrderStatus.PARTIALLY_ALLOCATED,
        OrderStatus.BACKORDERED,
    }
)

ALLOWED_FROM: dict[str, frozenset[OrderStatus]] = {
    "hold": _OPEN,
    "release_hold": frozenset({OrderStatus.ON_HOLD}),
    "cancel": _OPEN | {OrderStatus.ON_HOLD},
    "cancel_line": _OPEN | {OrderStatus.ON_HOLD},
    "edit": _OPEN | {OrderStatus.ON_HOLD},
    "reallocate": _OPEN,
    "reroute": _OPEN | {OrderStatus.ON_HOLD},
    "release": frozenset({OrderStatus.ALLOCATED, OrderStatus.PARTIALLY_ALLOCATED}),
}


def check_action(action: str, status: str) -> None:
    """Raise IllegalTransition unless `action` may be taken on an order in `status`."""
    if OrderStatus(status) not in ALLOWED_FROM[action]:
        raise IllegalTransition(action, status)


def line_status(quantity: int, allocated: int) -> LineStatus:
    if allocated >= quantity:
        return LineStatus.ALLOCATED
    if allocated > 0:
        return LineStatus.PARTIALLY_ALLOCATED
    return LineStatus.BACKORDERED


def order_status_from_lines(statuses: Iterable[str]) -> OrderStatus:
    """The status an order (not on hold) has given the statuses of its lines."""
    live = {LineStatus(s) for s in statuses} - {LineStatus.CANCELLED}
    if not live:
        return OrderStatus.CANCELLED
    for whole in (LineStatus.DELIVERED, LineStatus.SHIPPED, LineStatus.RELEASED):
        if live == {whole}:
            return OrderStatus(whole.value)
    if live == {LineStatus.ALLOCATED}:
        return OrderStatus.ALLOCATED
    if live == {LineStatus.BACKORDERED}:
        return OrderStatus.BACKORDERED
    if live & {LineStatus.RELEASED, LineStatus.SHIPPED, LineStatus.DELIVERED}:
        return OrderStatus.RELEASED
    return OrderStatus.PARTIALLY_ALLOCATED
