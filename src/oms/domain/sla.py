"""Service levels: when a fulfilment order is at risk of shipping late or has, and the same for a parcel's
delivery.

Dates are the node's: a fulfilment order ships on time if it ships on or before its ship-by date in the
node's time zone, and its carrier collects at the node's cut-off, so that is the moment that matters on
the ship-by day. It is at risk on that day once the cut-off is within `cutoff_window` (or past), or at
any time when the node's WMS has not acknowledged it within `ack_hours` of its release, counting only the
node's working days (a release on Saturday is not expected to be seen before Monday). It is breached
once its ship-by date has ended.

A parcel with the carrier is at risk when the carrier reports an exception, or when it cannot land by
its deliver-by date: the carrier's transit days after the day it shipped, counted in delivery days of
the destination (Monday to Saturday, not public holidays), and never before today; breached once its
deliver-by date has ended (in the shipping node's time zone: the system does not know the customer's).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from oms.domain.alerts import AlertKind, Severity
from oms.domain.calendar import add_delivery_days, is_working_day, local_date
from oms.domain.tracking import TrackingStatus


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    cutoff_window: timedelta = timedelta(hours=2)
    ack_hours: float = 4.0


@dataclass(frozen=True, slots=True)
class NodeClock:
    timezone: str
    cutoff: time
    country: str


@dataclass(frozen=True, slots=True)
class OpenFulfilment:
    """A fulfilment order with units still to ship."""

    ship_by: date
    released_at: datetime
    acknowledged: bool
    has_wms: bool  # a manual node has no WMS to acknowledge: its staff work from the API
    node: NodeClock


@dataclass(frozen=True, slots=True)
class ParcelInFlight:
    """A shipment the carrier has not delivered or returned yet."""

    deliver_by: date
    shipped_at: datetime
    status: str
    transit_days: int | None  # the carrier's nominal days on this lane; None: unknown
    timezone: str  # the shipping node's
    dest_country: str


@dataclass(frozen=True, slots=True)
class Finding:
    kind: AlertKind
    severity: Severity
    reason: str  # machine-readable, kept in the alert's details
    message: str
    details: dict


def ship_by_finding(fo: OpenFulfilment, now: datetime, policy: SlaPolicy) -> Finding | None:
    """Breached, at risk, or nothing to say about an open fulfilment order at `now`."""
    tz = ZoneInfo(fo.node.timezone)
    local = now.astimezone(tz)
    details = {"ship_by": fo.ship_by.isoformat()}
    if local.date() > fo.ship_by:
        return Finding(AlertKind.SHIP_BY_BREACHED, Severity.CRITICAL, "ship_by_passed",
                       f"not shipped by its ship-by date {fo.ship_by}", details)  # fmt: skip
    cutoff_at = datetime.combine(fo.ship_by, fo.node.cutoff, tz)
    if local.date() == fo.ship_by and cutoff_at - local <= policy.cutoff_window:
        reason = "cutoff_passed" if local >= cutoff_at else "cutoff_near"
        return Finding(AlertKind.SHIP_BY_AT_RISK, Severity.WARNING, reason,
                       f"not shipped, and today's cut-off ({fo.node.cutoff:%H:%M}) is {_near(reason)}",
                       {**details, "cutoff_at": cutoff_at.isoformat()})  # fmt: skip
    if fo.has_wms and not fo.acknowledged:
        due = ack_deadline(fo.released_at, policy.ack_hours, fo.node)
        if now >= due:
            return Finding(AlertKind.SHIP_BY_AT_RISK, Severity.WARNING, "not_acknowledged",
                           f"the node's WMS has not acknowledged it within {policy.ack_hours:g} working hours",
                           {**details, "acknowledge_by": due.isoformat()})  # fmt: skip
    return None


def _near(reason: str) -> str:
    return "past" if reason == "cutoff_passed" else "near"


def ack_deadline(released_at: datetime, hours: float, node: NodeClock) -> datetime:
    """`hours` after `released_at`, counting only the hours of the node's working days (local time)."""
    tz = ZoneInfo(node.timezone)
    at, left = released_at.astimezone(UTC), timedelta(hours=hours)
    while True:
        day = at.astimezone(tz).date()
        midnight = datetime.combine(day + timedelta(days=1), time(0), tz).astimezone(UTC)
        if is_working_day(day, node.country):
            if left <= midnight - at:
                return at + left
            left -= midnight - at
        at = midnight


def deliver_by_finding(parcel: ParcelInFlight, now: datetime) -> Finding | None:
    """Breached, at risk, or nothing to say about a parcel still with the carrier at `now`."""
    today = local_date(now, parcel.timezone)
    details = {"deliver_by": parcel.deliver_by.isoformat()}
    if today > parcel.deliver_by:
        return Finding(AlertKind.DELIVER_BY_BREACHED, Severity.CRITICAL, "deliver_by_passed",
                       f"not delivered by its deliver-by date {parcel.deliver_by}", details)  # fmt: skip
    if parcel.status == TrackingStatus.EXCEPTION:
        return Finding(AlertKind.DELIVER_BY_AT_RISK, Severity.WARNING, "carrier_exception",
                       "the carrier reports an exception", details)  # fmt: skip
    arrival = estimated_arrival(parcel, today)
    if arrival is not None and arrival > parcel.deliver_by:
        return Finding(AlertKind.DELIVER_BY_AT_RISK, Severity.WARNING, "transit_too_long",
                       f"the carrier's transit lands it on {arrival}, after {parcel.deliver_by}",
                       {**details, "estimated_arrival": arrival.isoformat()})  # fmt: skip
    return None


def estimated_arrival(parcel: ParcelInFlight, today: date) -> date | None:
    """The carrier's transit days after the day it shipped, and not before today's next delivery day."""
    if parcel.transit_days is None:
        return None
    shipped = local_date(parcel.shipped_at, parcel.timezone)
    planned = add_delivery_days(shipped, parcel.transit_days, parcel.dest_country)
    return max(planned, add_delivery_days(today, 0, parcel.dest_country))
