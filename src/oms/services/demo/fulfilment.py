"""What really happened to each shipment: picking (with short picks), the node's daily hand-over
capacity, the carrier's transit, and the resulting timestamps. The rules are in lateness.py."""

import random
from collections import defaultdict, deque
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from oms.services.demo.lateness import ready_day, transit_days
from oms.services.demo.model import Shipment
from oms.services.demo.places import TIMEZONES, region
from oms.services.demo.workdays import Calendars

_SHORT_PICK = {"warehouse": 0.003, "3pl": 0.006, "store": 0.03}


def fulfil(rng: random.Random, shipments: list[Shipment], calendars: Calendars) -> None:
    """Fill in ready day, shipped_at, delivered_at, tracking and short picks of `shipments` (in
    release order). Times may lie in the future: those parcels are still on their way."""
    for s in shipments:
        zone = ZoneInfo(s.node.timezone)
        s.ready_day = ready_day(rng, s.released_at.astimezone(zone), s.node,
                                calendars.of(s.node.country, s.node.is_store))
        _short_pick(rng, s)
    by_node: dict[str, list[Shipment]] = defaultdict(list)
    for s in shipments:
        by_node[s.node.id].append(s)
    for node_shipments in by_node.values():
        _hand_over(rng, node_shipments, calendars)
    for s in shipments:
        _deliver(rng, s, calendars)


def _short_pick(rng: random.Random, s: Shipment) -> None:
    """A line the node cannot find is cancelled; a parcel always keeps at least one line."""
    for line in s.lines[1:]:
        line.short_picked = rng.random() < _SHORT_PICK[s.node.type]


def _hand_over(rng: random.Random, shipments: list[Shipment], calendars: Calendars) -> None:
    """First in, first out: each working day the node hands over at most its capacity that day."""
    node = shipments[0].node
    days = calendars.of(node.country, node.is_store)
    by_ready = sorted(shipments, key=lambda s: (s.ready_day, s.released_at))
    queue: deque[Shipment] = deque()
    i, day = 0, by_ready[0].ready_day
    while i < len(by_ready) or queue:
        while i < len(by_ready) and by_ready[i].ready_day <= day:
            queue.append(by_ready[i])
            i += 1
        for _ in range(min(len(queue), round(node.capacity * rng.uniform(0.85, 1.05)))):
            s = queue.popleft()
            s.shipped_at = _at(day, node.cutoff, rng.uniform(90, 180), node.timezone)
            s.tracking_number = s.carrier.tracking_number(rng) if s.carrier else None
        day = days.after(day, 1)
        if not queue and i < len(by_ready):
            day = max(day, by_ready[i].ready_day)


def _deliver(rng: random.Random, s: Shipment, calendars: Calendars) -> None:
    if s.carrier is None:  # pickup: ready at the counter a little after the store's hand-over round
        s.delivered_at = s.shipped_at + timedelta(minutes=rng.uniform(10, 40))
        return
    city = s.city
    ship_day = s.shipped_at.astimezone(ZoneInfo(s.node.timezone)).date()
    cross_border = s.node.country != city.country
    transit = transit_days(rng, s.carrier, s.service, region(city.country, s.postal_code), cross_border,
                           s.km, ship_day)
    day = calendars.of(city.country, s.carrier.saturday).after(ship_day, transit)
    minutes = rng.uniform(8 * 60, 13 * 60) if s.service == "express" else rng.uniform(9 * 60, 19 * 60)
    s.delivered_at = _at(day, time(0), minutes, TIMEZONES[city.country])


def _at(day: date, start: time, minutes_after: float, zone: str) -> datetime:
    local = datetime.combine(day, start, ZoneInfo(zone)) + timedelta(minutes=minutes_after)
    return local.astimezone(ZoneInfo("UTC"))
