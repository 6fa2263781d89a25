"""Tracking events move a shipment by when they happened: late and repeated events never move it back."""

from datetime import UTC, datetime, timedelta

import pytest

from oms.domain.tracking import SHIPPED, TrackingState, TrackingStatus, moves

T0 = datetime(2026, 3, 16, 9, tzinfo=UTC)
HOUR = timedelta(hours=1)


def test_the_first_event_of_a_shipped_parcel_moves_it_whenever_it_happened():
    assert moves(TrackingState(SHIPPED, None), TrackingStatus.IN_TRANSIT, T0 - 48 * HOUR)


@pytest.mark.parametrize("status", [TrackingStatus.DELIVERED, TrackingStatus.RETURNED_TO_SENDER])
@pytest.mark.parametrize("late", list(TrackingStatus))
def test_nothing_moves_a_delivered_or_returned_parcel_even_an_event_that_happened_later(status, late):
    assert not moves(TrackingState(status, T0), late, T0 + HOUR)


def test_a_late_in_transit_that_happened_before_out_for_delivery_does_not_move_it_back():
    state = TrackingState(TrackingStatus.OUT_FOR_DELIVERY, T0)
    assert not moves(state, TrackingStatus.IN_TRANSIT, T0 - HOUR)
    assert moves(state, TrackingStatus.IN_TRANSIT, T0 + HOUR)  # back to the depot: it did happen after


def test_delivery_ends_the_journey_even_if_the_carrier_clock_puts_it_before_the_last_scan():
    assert moves(TrackingState(TrackingStatus.OUT_FOR_DELIVERY, T0), TrackingStatus.DELIVERED, T0 - HOUR)


def test_an_exception_is_cleared_by_a_later_scan_but_not_an_earlier_one():
    state = TrackingState(TrackingStatus.EXCEPTION, T0)
    assert not moves(state, TrackingStatus.IN_TRANSIT, T0 - HOUR)
    assert moves(state, TrackingStatus.OUT_FOR_DELIVERY, T0 + HOUR)


def test_events_of_the_same_instant_take_the_one_heard_last():
    assert moves(TrackingState(TrackingStatus.IN_TRANSIT, T0), TrackingStatus.EXCEPTION, T0)
