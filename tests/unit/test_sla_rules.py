"""Ship-by and deliver-by rules: cut-offs in the node's time zone, weekends, acknowledgement, transit."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from oms.domain.alerts import AlertKind
from oms.domain.sla import (
    NodeClock,
    OpenFulfilment,
    ParcelInFlight,
    SlaPolicy,
    ack_deadline,
    deliver_by_finding,
    ship_by_finding,
)

PARIS = NodeClock("Europe/Paris", time(14, 0), "FR")
POLICY = SlaPolicy(cutoff_window=timedelta(hours=2), ack_hours=4)
MONDAY = date(2026, 3, 16)  # Paris is UTC+1 in March until the 29th


def utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def fulfilment(
    ship_by=MONDAY, released_at=None, acknowledged=True, has_wms=True, node=PARIS
) -> OpenFulfilment:
    released_at = released_at or utc(ship_by - timedelta(days=3), 9)
    return OpenFulfilment(ship_by, released_at, acknowledged, has_wms, node)


def kind(finding) -> AlertKind | None:
    return finding.kind if finding else None


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(MONDAY, 10, 59), None),  # 11:59 in Paris: the 14:00 cut-off is 2 h 01 away
        (utc(MONDAY, 11, 0), AlertKind.SHIP_BY_AT_RISK),  # 12:00 in Paris: 2 h to go
        (utc(MONDAY, 14, 0), AlertKind.SHIP_BY_AT_RISK),  # cut-off past, the day not over
        (utc(MONDAY, 22, 59), AlertKind.SHIP_BY_AT_RISK),  # 23:59 in Paris
        (utc(MONDAY, 23, 0), AlertKind.SHIP_BY_BREACHED),  # midnight in Paris, still Monday in UTC
    ],
)
def test_a_fulfilment_order_is_at_risk_near_the_cutoff_and_breached_after_its_ship_by_day_in_the_nodes_zone(
    now, expected
):
    assert kind(ship_by_finding(fulfilment(), now, POLICY)) == expected


def test_the_cutoff_is_the_nodes_local_time_so_the_same_instant_differs_by_node():
    new_york = NodeClock("America/New_York", time(14, 0), "US")
    noon_in_paris = utc(MONDAY, 11)  # 07:00 in New York
    assert kind(ship_by_finding(fulfilment(), noon_in_paris, POLICY)) == AlertKind.SHIP_BY_AT_RISK
    assert ship_by_finding(fulfilment(node=new_york), noon_in_paris, POLICY) is None


def test_a_friday_evening_is_not_a_risk_for_an_order_due_on_monday_and_a_weekend_does_not_breach_it():
    friday, sunday = MONDAY - timedelta(days=3), MONDAY - timedelta(days=1)
    assert ship_by_finding(fulfilment(), utc(friday, 13), POLICY) is None  # 14:00 cut-off on Friday
    assert ship_by_finding(fulfilment(), utc(sunday, 22, 30), POLICY) is None  # 23:30 Sunday in Paris


def test_an_order_due_on_friday_is_breached_on_saturday():
    friday = MONDAY - timedelta(days=3)
    finding = ship_by_finding(fulfilment(ship_by=friday), utc(friday + timedelta(days=1), 8), POLICY)
    assert finding.kind == AlertKind.SHIP_BY_BREACHED
    assert finding.details == {"ship_by": "2026-03-13"}


def test_a_wider_window_raises_the_risk_earlier():
    wide = SlaPolicy(cutoff_window=timedelta(hours=4), ack_hours=4)
    at_ten = utc(MONDAY, 9)
    assert ship_by_finding(fulfilment(), at_ten, POLICY) is None
    assert kind(ship_by_finding(fulfilment(), at_ten, wide)) == AlertKind.SHIP_BY_AT_RISK


def test_an_unacknowledged_release_is_at_risk_after_the_acknowledgement_hours_of_working_days():
    tuesday = MONDAY + timedelta(days=1)
    fo = fulfilment(ship_by=tuesday + timedelta(days=2), released_at=utc(tuesday, 8), acknowledged=False)
    assert ship_by_finding(fo, utc(tuesday, 11, 59), POLICY) is None
    finding = ship_by_finding(fo, utc(tuesday, 12), POLICY)
    assert (finding.kind, finding.reason) == (AlertKind.SHIP_BY_AT_RISK, "not_acknowledged")


def test_acknowledgement_is_not_expected_of_a_manual_node_or_once_given():
    fo = fulfilment(ship_by=MONDAY + timedelta(days=3), released_at=utc(MONDAY, 8), acknowledged=False)
    later = utc(MONDAY, 20)
    assert ship_by_finding(fo, later, POLICY).reason == "not_acknowledged"
    assert ship_by_finding(fulfilment(MONDAY + timedelta(days=3), utc(MONDAY, 8), has_wms=False, acknowledged=False),
                           later, POLICY) is None  # fmt: skip
    assert ship_by_finding(fulfilment(MONDAY + timedelta(days=3), utc(MONDAY, 8)), later, POLICY) is None


def test_acknowledgement_hours_skip_the_weekend_and_public_holidays():
    friday = MONDAY - timedelta(days=3)
    # Released Friday 22:00 in Paris: 2 h left on Friday, the other 2 h on Monday from midnight.
    assert ack_deadline(utc(friday, 21), 4, PARIS) == utc(MONDAY - timedelta(days=1), 23) + timedelta(hours=2)
    # Released Saturday noon: nothing counts before Monday 00:00 Paris.
    assert ack_deadline(utc(friday + timedelta(days=1), 11), 4, PARIS) == utc(MONDAY, 3)
    # 1 May is a public holiday in France (a Friday in 2026).
    monday_4_may = datetime(2026, 5, 3, 22, tzinfo=UTC)  # midnight in Paris, UTC+2
    assert ack_deadline(datetime(2026, 4, 30, 20, tzinfo=UTC), 4, PARIS) == monday_4_may + timedelta(hours=2)


def test_acknowledgement_hours_are_real_hours_across_a_change_to_summer_time():
    # 29 March 2026 is a Sunday: Monday 30 starts at 22:00 UTC on the 29th.
    friday = datetime(2026, 3, 27, 21, tzinfo=UTC)  # 22:00 Paris, UTC+1
    assert ack_deadline(friday, 4, PARIS) == datetime(2026, 3, 29, 22, tzinfo=UTC) + timedelta(hours=2)


# Deliveries ------------------------------------------------------------------------------------------

WEDNESDAY = MONDAY + timedelta(days=2)


def parcel(deliver_by=WEDNESDAY, shipped_at=None, status="in_transit", transit_days=2) -> ParcelInFlight:
    return ParcelInFlight(
        deliver_by, shipped_at or utc(MONDAY, 15), status, transit_days, "Europe/Paris", "FR"
    )


def test_a_parcel_whose_transit_lands_it_on_its_deliver_by_date_is_fine():
    assert deliver_by_finding(parcel(), utc(MONDAY, 16)) is None


def test_a_parcel_shipped_too_late_for_its_transit_is_at_risk_with_its_estimated_arrival():
    finding = deliver_by_finding(parcel(shipped_at=utc(MONDAY + timedelta(days=1), 9)), utc(MONDAY, 16))
    assert (finding.kind, finding.reason) == (AlertKind.DELIVER_BY_AT_RISK, "transit_too_long")
    assert finding.details["estimated_arrival"] == "2026-03-19"


def test_transit_counts_delivery_days_so_saturday_counts_and_sunday_does_not():
    friday = MONDAY + timedelta(days=4)
    shipped_friday = parcel(deliver_by=friday + timedelta(days=3), shipped_at=utc(friday, 15))  # due Monday
    assert deliver_by_finding(shipped_friday, utc(friday, 16)) is None  # Saturday, then Monday
    due_saturday = parcel(deliver_by=friday + timedelta(days=1), shipped_at=utc(friday, 15))
    assert deliver_by_finding(due_saturday, utc(friday, 16)).details["estimated_arrival"] == "2026-03-23"


def test_a_parcel_overdue_on_its_transit_is_expected_today_at_the_earliest():
    late = parcel(deliver_by=WEDNESDAY + timedelta(days=1))  # planned Wednesday, still travelling Thursday
    assert deliver_by_finding(late, utc(WEDNESDAY + timedelta(days=1), 9)) is None
    assert deliver_by_finding(parcel(), utc(WEDNESDAY, 21)) is None  # 22:00 Paris on its deliver-by day


def test_an_exception_puts_a_delivery_at_risk_and_the_end_of_its_deliver_by_day_breaches_it():
    assert deliver_by_finding(parcel(status="exception"), utc(MONDAY, 16)).reason == "carrier_exception"
    breached = deliver_by_finding(parcel(status="exception"), utc(WEDNESDAY, 23))  # Thursday 00:00 Paris
    assert breached.kind == AlertKind.DELIVER_BY_BREACHED


def test_an_unknown_transit_raises_no_risk_from_transit():
    assert (
        deliver_by_finding(parcel(shipped_at=utc(WEDNESDAY, 9), transit_days=None), utc(WEDNESDAY, 10))
        is None
    )
