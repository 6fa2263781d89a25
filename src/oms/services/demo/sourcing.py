"""How each history order was sourced: service level, ship-from node(s), carrier, promise, release.

A simplified routing of the kind a mid-market retailer runs: warehouses by destination country, ship
from a nearby store for some web orders (more during peaks, to relieve the warehouses), click & collect
at the nearest store, and a few orders split over two warehouses.
"""

import random
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from oms.services.demo.carriers import choose_carrier
from oms.services.demo.draw import Picker
from oms.services.demo.lateness import promise
from oms.services.demo.model import Line, Order, Shipment
from oms.services.demo.network import BY_ID, STORES, Node
from oms.services.demo.places import City
from oms.services.demo.seasons import is_peak
from oms.services.demo.workdays import Calendars

_WAREHOUSE_MIX = {
    "FR": (("WH-LYON", 88), ("3PL-LIEGE", 8), ("3PL-ERFURT", 4)),
    "DE": (("3PL-ERFURT", 85), ("WH-LYON", 15)),
    "BE": (("3PL-LIEGE", 70), ("WH-LYON", 20), ("3PL-ERFURT", 10)),
    "NL": (("3PL-LIEGE", 55), ("3PL-ERFURT", 35), ("WH-LYON", 10)),
}
_WAREHOUSE = {country: Picker.of(mix) for country, mix in _WAREHOUSE_MIX.items()}
_EXPRESS_SHARE = {"web": 0.12, "marketplace": 0.05, "store": 0.15, "b2b": 0.0, "call_center": 0.10}
PICKUP_RADIUS_KM = 45
CANCEL_RATE = 0.025


@cache
def nearest_store(city: City) -> tuple[Node, float]:
    return min(((s, s.km_to(city.lat, city.lon)) for s in STORES), key=lambda pair: pair[1])


class Sourcing:
    def __init__(self, assortments: dict[str, set[str]], calendars: Calendars):
        self.assortments, self.calendars = assortments, calendars

    def plan(self, rng: random.Random, order: Order) -> None:
        """Set the order's service level and shipments, or cancel it before release."""
        if rng.random() < CANCEL_RATE:  # changed mind, or failed the payment or fraud check
            order.cancelled_at = order.created_at + timedelta(minutes=rng.uniform(3, 40))
            return
        released = order.created_at + (timedelta(hours=rng.uniform(2, 20)) if rng.random() < 0.015
                                       else timedelta(minutes=rng.uniform(2, 30)))
        store, km = nearest_store(order.customer.city)
        local = km <= PICKUP_RADIUS_KM and self._stocks(store, order.lines)
        if order.channel == "web" and local and rng.random() < 0.12:
            order.service, order.pickup_node_id = "pickup", store.id
            order.shipments = [self._shipment(rng, order, store, order.lines, released)]
            return
        if rng.random() < _EXPRESS_SHARE[order.channel]:
            order.service = "express"
        from_store = rng.random() < (0.25 if is_peak(order.created_at.date()) else 0.10)
        if local and order.channel in ("web", "call_center") and from_store:
            order.shipments = [self._shipment(rng, order, store, order.lines, released)]
            return
        country = order.customer.city.country
        first = BY_ID[_WAREHOUSE[country](rng)]
        split = len(order.lines) > 1 and rng.random() < 0.07
        cut = rng.randint(1, len(order.lines) - 1) if split else len(order.lines)
        order.shipments = [self._shipment(rng, order, first, order.lines[:cut], released)]
        if split:  # the rest comes from another warehouse of the country's mix
            second = BY_ID[Picker.of(m for m in _WAREHOUSE_MIX[country] if m[0] != first.id)(rng)]
            order.shipments.append(self._shipment(rng, order, second, order.lines[cut:], released))

    def _stocks(self, store: Node, lines: list[Line]) -> bool:
        return all(line.product.sku in self.assortments[store.id] for line in lines)

    def _shipment(self, rng: random.Random, order: Order, node: Node, lines: list[Line],
                  released: datetime) -> Shipment:
        city = order.customer.city
        pickup = order.service == "pickup"
        carrier = None if pickup else choose_carrier(rng, node.country, city.country, order.service)
        km = 0.0 if pickup else node.km_to(city.lat, city.lon)
        created_local = order.created_at.astimezone(ZoneInfo(node.timezone))
        ship, delivery = promise(
            created_local, node, carrier, order.service, node.country != city.country, km,
            self.calendars.of(node.country, node.is_store),
            None if pickup else self.calendars.of(city.country, carrier.saturday),
        )
        return Shipment(node, carrier, order.service, city, order.customer.postal_code, lines, km, ship,
                        delivery, released)
