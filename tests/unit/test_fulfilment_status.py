"""A fulfilment order's status follows from the furthest milestone its WMS reported and its open units."""

from datetime import UTC, datetime, timedelta

import pytest

from oms.domain.fulfilment import FulfilmentStatus, Milestone, Units, furthest, implied, status

T = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("reached", "units", "expected"),
    [
        (None, Units(3), "released"),
        (Milestone.ACKNOWLEDGED, Units(3), "acknowledged"),
        (Milestone.PACKED, Units(3, short=1), "packed"),  # a short pick leaves the rest where it was
        (Milestone.SHIPPED, Units(3, shipped=1), "partially_shipped"),
        (Milestone.SHIPPED, Units(3, shipped=2, short=1), "shipped"),
        (Milestone.ACCEPTED, Units(3, rejected=3), "rejected"),
        (Milestone.SHIPPED, Units(3, shipped=1, rejected=2), "shipped"),
        (None, Units(3, short=3), "cancelled"),
    ],
)
def test_the_status_is_the_furthest_milestone_while_units_are_open_then_how_it_closed(reached, units, expected):
    assert status(reached, units) == expected


def test_a_late_milestone_never_moves_the_status_back():
    times = {Milestone.SHIPPED: T, Milestone.PICKED: T - timedelta(hours=1)}
    assert furthest(times) == Milestone.SHIPPED
    assert status(furthest(times), Units(1, shipped=1)) == FulfilmentStatus.SHIPPED


def test_a_shipment_implies_every_milestone_before_it():
    assert implied(Milestone.SHIPPED) == list(Milestone)
    assert implied(Milestone.ACCEPTED) == [Milestone.ACKNOWLEDGED, Milestone.ACCEPTED]



def test_open_units_are_those_neither_shipped_short_nor_rejected():
    assert Units(5, shipped=1, short=1, rejected=1).open == 2
