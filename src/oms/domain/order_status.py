"""Order and line state machine.

An order's status is derived from its lines (allocated, partially allocated, backordered, released,
shipped, delivered, ...) except while a hold sits on it; a line's status from its units: reserved,
released to fulfilment, shipped and delivered. Actions are allowed only from the statuses listed in
ALLOWED_FROM.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from oms.domain.errors import IllegalTransition


class OrderStatus(StrEnum):
    RECEIVED = "received"
    ON_HOLD = "on_hold"
    ALLOCATED = "allocated"
    PARTIALLY_ALLOCATED = "partially_allocated"
    BACKORDERED = "backordered"
    RELEASED = "released"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    PARTIALLY_DELIVERED = "partially_delivered"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class LineStatus(StrEnum):
    ALLOCATED = "allocated"
    PARTIALLY_ALLOCATED = "partially_allocated"
    BACKORDERED = "backordered"
    RELEASED = "released"
    PARTIALLY_SHIPPED = "partially_shipped"  # some units shipped, others not yet
    SHIPPED = "shipped"
    PARTIALLY_DELIVERED = "partially_delivered"  # every unit shipped, some delivered
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

# Orders in fulfilment that may still hold units waiting for stock (after a short pick found no node).
IN_FULFILMENT = frozenset({OrderStatus.RELEASED, OrderStatus.PARTIALLY_SHIPPED})

ALLOWED_FROM: dict[str, frozenset[OrderStatus]] = {
    "hold": _OPEN,
    "release_hold": frozenset({OrderStatus.ON_HOLD}),
    "cancel": _OPEN | {OrderStatus.ON_HOLD},
    "cancel_line": _OPEN | {OrderStatus.ON_HOLD} | IN_FULFILMENT,
    "edit": _OPEN | {OrderStatus.ON_HOLD},
    "reallocate": _OPEN | IN_FULFILMENT,
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


@dataclass(frozen=True, slots=True)
class LineUnits:
    """Where a line's units are: reserved and not yet released, released to fulfilment and not yet
    shipped, shipped (delivered ones included), delivered."""

    quantity: int
    allocated: int = 0
    released: int = 0
    shipped: int = 0
    delivered: int = 0


def line_progress(units: LineUnits) -> LineStatus:
    """The status of a line that is not cancelled. Until a unit is released, it follows its allocation;
    then shipping, as long as a unit is still to ship; then delivery."""
    if units.shipped == 0:
        return LineStatus.RELEASED if units.released else line_status(units.quantity, units.allocated)
    if units.shipped < units.quantity:
        return LineStatus.PARTIALLY_SHIPPED
    if units.delivered >= units.quantity:
        return LineStatus.DELIVERED
    return LineStatus.PARTIALLY_DELIVERED if units.delivered else LineStatus.SHIPPED


_SHIPPED_WHOLE = frozenset({LineStatus.SHIPPED, LineStatus.PARTIALLY_DELIVERED, LineStatus.DELIVERED})
_SHIPPED_SOME = _SHIPPED_WHOLE | {LineStatus.PARTIALLY_SHIPPED}


def order_status_from_lines(statuses: Iterable[str]) -> OrderStatus:
    """The status an order (not on hold) has given the statuses of its lines."""
    live = {LineStatus(s) for s in statuses} - {LineStatus.CANCELLED}
    if not live:
        return OrderStatus.CANCELLED
    if live <= _SHIPPED_WHOLE:  # every unit has shipped: what counts now is delivery
        if live == {LineStatus.DELIVERED}:
            return OrderStatus.DELIVERED
        return OrderStatus.SHIPPED if live == {LineStatus.SHIPPED} else OrderStatus.PARTIALLY_DELIVERED
    if live & _SHIPPED_SOME:
        return OrderStatus.PARTIALLY_SHIPPED
    if live == {LineStatus.ALLOCATED}:
        return OrderStatus.ALLOCATED
    if live == {LineStatus.BACKORDERED}:
        return OrderStatus.BACKORDERED
    if LineStatus.RELEASED in live:
        return OrderStatus.RELEASED
    return OrderStatus.PARTIALLY_ALLOCATED
