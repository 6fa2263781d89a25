"""Today's stock: positions at every node sized on recent sales, open inbound supply, and one channel
protection (a fifth of sellable stock held back from the marketplaces).

Warehouses hold weeks of cover, stores a few units of what they carry, some positions are out of stock,
fast movers keep a safety stock. Stock reserved by open orders (in payment review, or released and
not yet handed over) is on hand.
"""

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from oms.services.demo.model import Order
from oms.services.demo.network import NODES, STORES, WAREHOUSES, Node
from oms.services.demo.products import Product

_VELOCITY_DAYS = 28


def store_assortments(rng: random.Random, products: list[Product]) -> dict[str, set[str]]:
    """Stores carry every fast mover and a random part of the rest."""
    top = max(p.popularity for p in products)
    return {
        s.id: {p.sku for p in products if rng.random() < 0.35 + 0.65 * min(1.0, 2.5 * p.popularity / top)}
        for s in STORES
    }


def _daily_sales(orders: list[Order], now: datetime) -> Counter:
    """Units per (node, sku) per day over the last four weeks."""
    since, units = now - timedelta(days=_VELOCITY_DAYS), Counter()
    for order in orders:
        if order.created_at >= since:
            for s in order.shipments:
                for line in s.lines:
                    units[(s.node.id, line.product.sku)] += line.quantity / _VELOCITY_DAYS
    return units


@dataclass(frozen=True, slots=True)
class Position:
    node: Node
    sku: str
    on_hand: int
    reserved: int
    safety_stock: int


def build_positions(rng: random.Random, products: list[Product], assortments: dict[str, set[str]],
                    orders: list[Order], reserved: Counter, now: datetime) -> list[Position]:
    sales = _daily_sales(orders, now)
    fast = {p.sku for p in sorted(products, key=lambda p: -p.popularity)[: len(products) // 5]}
    positions = []
    for node in NODES:
        for sku in sorted(_carried(rng, node, products, assortments) | _skus_held_at(node, reserved)):
            held = reserved[(node.id, sku)]
            on_hand, safety = _depth(rng, node, sales[(node.id, sku)], sku in fast)
            positions.append(Position(node, sku, max(on_hand, held + safety), held, safety))
    return positions


def _carried(rng: random.Random, node: Node, products: list[Product],
             assortments: dict[str, set[str]]) -> set[str]:
    if node.id in assortments:
        return assortments[node.id]
    share = 0.6 if node.capacity < 150 else 1.0  # the small 3PL carries part of the range
    return {p.sku for p in products if rng.random() < share}


def _skus_held_at(node: Node, reserved: Counter) -> set[str]:
    return {sku for (node_id, sku), units in reserved.items() if node_id == node.id and units}


def _depth(rng: random.Random, node: Node, per_day: float, fast: bool) -> tuple[int, int]:
    if node.is_store:
        on_hand = 0 if rng.random() < 0.10 else rng.randint(1, 8 if fast else 4)
        return on_hand, 1 if fast and on_hand > 2 else 0
    if rng.random() < 0.04:  # out of stock, waiting for its purchase order
        return 0, 0
    on_hand = round(per_day * rng.uniform(15, 60)) + rng.randint(2, 20)
    return on_hand, max(5, round(per_day * 3)) if fast else 0


POSITION_COLUMNS = ("node_id", "sku", "on_hand", "reserved", "safety_stock")


def position_rows(positions: list[Position]) -> list[tuple]:
    return [(p.node.id, p.sku, p.on_hand, p.reserved, p.safety_stock) for p in positions]


def inbound_rows(rng: random.Random, positions: list[Position], today: date) -> list[tuple]:
    """Purchase orders to warehouses running low (one per product family and warehouse; an ASN once
    the supplier has shipped it) and transfers from the nearest warehouse to stores' empty shelves."""
    rows, orders = [], {}
    for p in positions:
        if p.node.is_store:
            if p.on_hand == 0 and rng.random() < 0.5:
                source = min(WAREHOUSES, key=lambda w: w.km_to(p.node.lat, p.node.lon)).id
                rows.append((p.node.id, p.sku, "transfer", f"TR-{source}-{p.node.id}-{today:%m%d}",
                             rng.randint(2, 6), today + timedelta(days=rng.randint(2, 6))))
        elif p.on_hand <= p.safety_stock + 10 or rng.random() < 0.12:
            key = (p.node.id, p.sku.split("-")[0])
            if key not in orders:
                days = rng.randint(3, 42)
                kind = "asn" if days <= 7 else "purchase_order"
                reference = f"{'ASN' if kind == 'asn' else 'PO'}-{today:%Y}-{len(orders) + 1:05d}"
                orders[key] = (kind, reference, today + timedelta(days=days))
            kind, reference, expected = orders[key]
            rows.append((p.node.id, p.sku, kind, reference, rng.choice((24, 48, 60, 96, 120, 200)), expected))
    return rows


INBOUND_COLUMNS = ("node_id", "sku", "type", "reference", "quantity", "expected_date")
PROTECTION_ROWS = [("marketplace", None, None, None, "0.20")]
PROTECTION_COLUMNS = ("channel_id", "sku", "node_id", "quantity", "share")
