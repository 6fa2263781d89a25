"""Order demand: how many orders each channel takes each day and hour, from whom, for what.

Volumes follow seasons.py; customers are drawn by propensity, SKUs by popularity in that month; sales
periods discount some lines, B2B accounts buy in quantity at trade prices.
"""

import math
import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from oms.services.demo.customers import Customer
from oms.services.demo.draw import Picker
from oms.services.demo.model import Line, Order
from oms.services.demo.products import Product
from oms.services.demo.seasons import BASE_PER_DAY, HOURS, WEEKDAY, demand_factor, is_peak

_PARIS = ZoneInfo("Europe/Paris")  # every market is on Central European Time
_LINE_COUNT = Picker.of(((1, 0.55), (2, 0.27), (3, 0.12), (4, 0.06)))
_QUANTITY = Picker.of(((1, 0.86), (2, 0.11), (3, 0.03)))
_HOUR = {channel: Picker(range(24), weights) for channel, weights in HOURS.items()}
_CENT = Decimal("0.01")


class Demand:
    def __init__(self, customers: list[Customer], products: list[Product], store_customers: list[Customer]):
        consumers = [c for c in customers if not c.is_business]
        businesses = [c for c in customers if c.is_business]
        self.customer = {
            "b2b": Picker(businesses, [c.propensity for c in businesses]),
            "store": Picker(store_customers, [c.propensity for c in store_customers]),
            "other": Picker(consumers, [c.propensity for c in consumers]),
        }
        self.sku_by_month = {m: Picker(products, [p.demand_in(m) for p in products]) for m in range(1, 13)}

    def orders_on(self, rng: random.Random, day: date, today: date) -> list[tuple[str, datetime]]:
        """(channel, created_at) of every order taken on `day`."""
        taken = []
        for channel, base in BASE_PER_DAY.items():
            mean = base * WEEKDAY[channel][day.weekday()] * demand_factor(day, today)
            for _ in range(max(0, round(rng.gauss(mean, math.sqrt(mean))))):
                hour = _HOUR[channel](rng)
                local = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)), _PARIS)
                taken.append((channel, local.astimezone(UTC)))
        return taken

    def lines(self, rng: random.Random, channel: str, when: datetime, first_id: int) -> list[Line]:
        pick = self.sku_by_month[when.month]
        count = rng.randint(2, 6) if channel == "b2b" else _LINE_COUNT(rng)
        chosen: dict[str, Product] = {}
        while len(chosen) < count:  # one line per SKU: duplicate SKUs are invalid orders
            product = pick(rng)
            chosen[product.sku] = product
        on_sale = is_peak(when.date())
        return [
            Line(first_id + i, i + 1, p, self._quantity(rng, channel), self._price(rng, p, channel, on_sale))
            for i, p in enumerate(chosen.values())
        ]

    @staticmethod
    def _quantity(rng: random.Random, channel: str) -> int:
        if channel == "b2b":
            return rng.choice((5, 6, 10, 12, 15, 20, 24, 30, 40))
        return _QUANTITY(rng)

    @staticmethod
    def _price(rng: random.Random, product: Product, channel: str, on_sale: bool) -> Decimal:
        if channel == "b2b":
            return (product.price * Decimal("0.70")).quantize(_CENT)
        if on_sale and rng.random() < 0.4:
            return (product.price * (1 - Decimal(rng.choice((20, 30, 40))) / 100)).quantize(_CENT)
        return product.price


def simulate_orders(rng: random.Random, demand: Demand, start: date, now: datetime) -> list[Order]:
    """Orders taken from `start` up to 45 minutes ago (anything later is not yet released)."""
    today, latest = now.date(), now - timedelta(minutes=45)
    taken = []
    for offset in range((today - start).days + 1):
        taken += demand.orders_on(rng, start + timedelta(days=offset), today)
    taken = sorted((t for t in taken if t[1] <= latest), key=lambda t: t[1])
    orders, line_id = [], 1
    for number, (channel, created_at) in enumerate(taken, start=1):
        kind = channel if channel in ("b2b", "store") else "other"
        customer = demand.customer[kind](rng)
        lines = demand.lines(rng, channel, created_at, line_id)
        line_id += len(lines)
        orders.append(Order(1000 + number, channel, external_id(channel, number, created_at), customer,
                            "standard", customer.address(), created_at, lines))
    return orders


def external_id(channel: str, number: int, created_at: datetime) -> str:
    """The id each channel gives its orders; unique per channel because `number` is."""
    if channel == "marketplace":
        return f"{402 + number % 7}-{number * 7919 % 9_999_991:07d}-{number:07d}"
    prefix = {"web": "W", "store": "S", "b2b": "PO", "call_center": "CC"}[channel]
    return f"{prefix}{created_at:%y%m}-{number:06d}"
