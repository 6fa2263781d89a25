"""The promise rule, and the hidden mechanism that makes real deliveries deviate from it.

Promise (made at capture, what the customer is told): a parcel leaves the node on the first working day
whose cut-off (node time) is still ahead, plus the node's processing days; it arrives the carrier's
nominal transit days later (business days of the destination, Saturdays for carriers that deliver
then; +1 day beyond 750 km for standard; cross-border adds days). Pickup orders are promised for the
day the store has them ready.

What really happens (the agents must discover this from the data; it is never stored as such):
1. Release and cut-off: 1.5% of orders wait 2-20 h in payment review before release. Orders released
   in the last hour before the cut-off often miss it (up to two in five right at the cut-off) and leave
   one working day later. Friday after cut-off waits for Monday.
2. Node load: each node hands over at most its daily capacity (times 0.85-1.05, staff varies), first in
   first out. Mondays (the weekend's orders) and peaks overflow the capacity, so the rest waits.
3. Node type: stores are slower: one parcel in ten slips a day (one in four on Saturdays, when the
   staff is on the shop floor) on top of their processing day.
4. Carrier x region: each carrier has a base slip rate (GLS 7%, Colissimo and DPD 4%, DHL 3%, UPS and
   Chronopost 2%) and regions where it does badly (Corsica for everyone, GLS in Île-de-France and the
   Netherlands, DPD in the French South-West and East Germany, DHL in Wallonia, Colissimo in the
   South-East): REGION_SLIP below.
5. Distance and borders: +5% slip per 1,000 km, +4% cross-border.
6. Weekday: parcels handed over on Friday or Saturday sit in a depot over the weekend: +4% slip.
7. Peaks: during Black Friday week and the Christmas run (and less in the first days of the sales)
   carriers slip 14-20% more often.
8. Service level: standard promises carry slack (half the trips under 800 km arrive a day early),
   express none, so express is late more often when anything slips.
A slip adds one day; a second independent roll at a quarter of the rate adds another.
About 12% of delivered parcels end up late: 9-11% in ordinary months, 25-30% in the Black Friday and
Christmas weeks.
"""

import random
from datetime import date, datetime, timedelta

from oms.services.demo.carriers import Carrier
from oms.services.demo.network import Node
from oms.services.demo.seasons import carrier_congestion
from oms.services.demo.workdays import Workdays

REGION_SLIP = {
    ("Colissimo", "FR-CORSE"): 0.30, ("DPD", "FR-CORSE"): 0.45, ("GLS", "FR-CORSE"): 0.50,
    ("Chronopost", "FR-CORSE"): 0.35, ("UPS", "FR-CORSE"): 0.35,
    ("GLS", "FR-IDF"): 0.15, ("GLS", "NL"): 0.15,
    ("DPD", "FR-SW"): 0.12, ("DPD", "DE-EAST"): 0.10,
    ("DHL", "BE-WAL"): 0.12, ("Colissimo", "FR-SE"): 0.08,
}
NEAR_CUTOFF = timedelta(minutes=60)


def first_handover_day(local: datetime, node: Node, days: Workdays) -> date:
    """The first working day whose cut-off is still ahead of `local` (a time in the node's zone)."""
    today = local.date()
    if days.is_open(today) and local.time() < node.cutoff:
        return today
    return days.on_or_after(today + timedelta(days=1))


def promise(created_local: datetime, node: Node, carrier: Carrier | None, service: str, cross_border: bool,
            km: float, node_days: Workdays, carrier_days: Workdays | None) -> tuple[date, date]:
    """(promised ship date, promised delivery date); `carrier` is None for a pickup."""
    ship = node_days.after(first_handover_day(created_local, node, node_days), node.processing_days)
    if carrier is None:
        return ship, ship
    return ship, carrier_days.after(ship, carrier.nominal_days(service, cross_border, km))


def ready_day(rng: random.Random, released_local: datetime, node: Node, days: Workdays) -> date:
    """When the node has picked and packed the parcel (mechanisms 1 and 3); capacity comes after."""
    day = first_handover_day(released_local, node, days)
    if day == released_local.date():
        left = datetime.combine(day, node.cutoff, released_local.tzinfo) - released_local
        if left < NEAR_CUTOFF and rng.random() < 0.4 * (1 - left / NEAR_CUTOFF):
            day = days.after(day, 1)
    day = days.after(day, node.processing_days)
    if node.is_store and rng.random() < (0.25 if day.weekday() == 5 else 0.10):
        day = days.after(day, 1)
    return day


def transit_days(rng: random.Random, carrier: Carrier, service: str, region: str, cross_border: bool,
                 km: float, ship_day: date) -> int:
    """Business days the carrier really takes (mechanisms 4 to 8)."""
    days = carrier.nominal_days(service, cross_border, km)
    if service == "standard" and days >= 2 and km < 800 and rng.random() < 0.5:
        days -= 1
    slip = (carrier.slip + REGION_SLIP.get((carrier.name, region), 0.0) + 0.05 * km / 1000
            + (0.04 if cross_border else 0.0) + (0.04 if ship_day.weekday() >= 4 else 0.0)
            + carrier_congestion(ship_day))
    days += rng.random() < slip
    days += rng.random() < slip / 4
    return days
