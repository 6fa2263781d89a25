import pytest

from oms.domain.errors import IllegalTransition
from oms.domain.order_status import (
    LineUnits,
    OrderStatus,
    check_action,
    line_progress,
    line_status,
    order_status_from_lines,
)


def test_a_line_is_allocated_partially_allocated_or_backordered_by_what_it_got():
    assert line_status(3, 3) == "allocated"
    assert line_status(3, 1) == "partially_allocated"
    assert line_status(3, 0) == "backordered"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["allocated", "allocated"], "allocated"),
        (["allocated", "backordered"], "partially_allocated"),
        (["partially_allocated"], "partially_allocated"),
        (["backordered", "cancelled"], "backordered"),
        (["cancelled", "cancelled"], "cancelled"),
        (["released", "cancelled"], "released"),
        (["released", "backordered"], "released"),
        (["shipped", "shipped"], "shipped"),
        (["delivered"], "delivered"),
        (["shipped", "released"], "partially_shipped"),
        (["partially_shipped", "cancelled"], "partially_shipped"),
        (["delivered", "backordered"], "partially_shipped"),  # units still to ship come first
        (["delivered", "shipped"], "partially_delivered"),
        (["partially_delivered"], "partially_delivered"),
        (["delivered", "cancelled"], "delivered"),
    ],
)
def test_the_order_status_follows_from_its_lines(lines, expected):
    assert order_status_from_lines(lines) == expected


@pytest.mark.parametrize("status", ["released", "shipped", "delivered", "cancelled"])
def test_orders_past_release_cannot_be_cancelled_held_or_edited(status):
    for action in ("cancel", "hold", "edit"):
        with pytest.raises(IllegalTransition, match=f"that is {status}"):
            check_action(action, status)


def test_only_an_order_on_hold_can_have_its_hold_released():
    check_action("release_hold", OrderStatus.ON_HOLD)
    with pytest.raises(IllegalTransition):
        check_action("release_hold", OrderStatus.ALLOCATED)


def test_an_order_on_hold_can_be_cancelled_and_edited_but_not_released_to_fulfilment():
    check_action("cancel", "on_hold")
    check_action("edit", "on_hold")
    with pytest.raises(IllegalTransition):
        check_action("release", "on_hold")


def test_a_backordered_order_cannot_be_released_to_fulfilment():
    with pytest.raises(IllegalTransition, match="cannot release an order that is backordered"):
        check_action("release", "backordered")


@pytest.mark.parametrize(
    ("units", "expected"),
    [
        (LineUnits(3, allocated=3), "allocated"),
        (LineUnits(3, allocated=1), "partially_allocated"),
        (LineUnits(3), "backordered"),
        (LineUnits(3, released=2), "released"),  # the third unit waits for stock
        (LineUnits(3, released=2, shipped=1), "partially_shipped"),
        (LineUnits(3, shipped=1, delivered=1), "partially_shipped"),
        (LineUnits(3, shipped=3), "shipped"),
        (LineUnits(3, shipped=3, delivered=1), "partially_delivered"),
        (LineUnits(3, shipped=3, delivered=3), "delivered"),
    ],
)
def test_a_line_status_follows_its_units_from_allocation_to_delivery(units, expected):
    assert line_progress(units) == expected


def test_an_order_in_fulfilment_may_allocate_backorders_again_and_cancel_a_waiting_line():
    for status in ("released", "partially_shipped"):
        check_action("reallocate", status)
        check_action("cancel_line", status)
    with pytest.raises(IllegalTransition):
        check_action("reallocate", "shipped")
