"""Seeded routing instances with real-looking geography: warehouses, 3PLs and stores in French, German
and Benelux cities (real coordinates), customers around the same cities, a SKU catalogue, stock, daily
capacity, and rate cards of two carriers with distance bands, weight breaks and a fee per shipment."""

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from oms.domain.geo import Point, haversine_km
from oms.domain.promise_model import Destination
from oms.domain.routing.model import Candidate, OrderFacts, OrderLine
from oms.domain.routing.profiles import Strategy
from oms.domain.routing.rates import RateCard, RateTable
from oms.domain.routing.reliability import region_of

TODAY = date(2026, 3, 9)  # a Monday
CITIES = {  # name: (country, lat, lon, weight as a destination)
    "Paris": ("FR", 48.857, 2.352, 10), "Lyon": ("FR", 45.764, 4.836, 4), "Marseille": ("FR", 43.296, 5.370, 4),
    "Toulouse": ("FR", 43.605, 1.444, 3), "Nice": ("FR", 43.710, 7.262, 2), "Nantes": ("FR", 47.218, -1.554, 2),
    "Strasbourg": ("FR", 48.573, 7.752, 2), "Montpellier": ("FR", 43.611, 3.877, 2),
    "Bordeaux": ("FR", 44.838, -0.579, 3), "Lille": ("FR", 50.629, 3.057, 3), "Rennes": ("FR", 48.117, -1.678, 2),
    "Reims": ("FR", 49.258, 4.032, 1), "Dijon": ("FR", 47.322, 5.041, 1), "Metz": ("FR", 49.119, 6.175, 1),
    "Rouen": ("FR", 49.443, 1.099, 1), "Grenoble": ("FR", 45.188, 5.724, 1), "Tours": ("FR", 47.394, 0.685, 1),
    "Clermont-Ferrand": ("FR", 45.778, 3.087, 1),
    "Berlin": ("DE", 52.520, 13.405, 6), "Hamburg": ("DE", 53.551, 9.994, 4), "München": ("DE", 48.137, 11.575, 4),
    "Köln": ("DE", 50.938, 6.960, 3), "Frankfurt": ("DE", 50.110, 8.682, 3), "Stuttgart": ("DE", 48.776, 9.183, 2),
    "Düsseldorf": ("DE", 51.227, 6.773, 2), "Dortmund": ("DE", 51.514, 7.468, 2), "Essen": ("DE", 51.456, 7.012, 2),
    "Leipzig": ("DE", 51.340, 12.375, 2), "Bremen": ("DE", 53.079, 8.802, 1), "Dresden": ("DE", 51.050, 13.738, 1),
    "Hannover": ("DE", 52.375, 9.732, 2), "Nürnberg": ("DE", 49.452, 11.077, 2), "Mannheim": ("DE", 49.487, 8.466, 1),
    "Bruxelles": ("BE", 50.850, 4.352, 3), "Antwerpen": ("BE", 51.219, 4.402, 2), "Gent": ("BE", 51.054, 3.717, 1),
    "Liège": ("BE", 50.633, 5.567, 1), "Amsterdam": ("NL", 52.370, 4.895, 3), "Rotterdam": ("NL", 51.924, 4.478, 2),
    "Den Haag": ("NL", 52.078, 4.288, 2), "Utrecht": ("NL", 52.091, 5.122, 2), "Eindhoven": ("NL", 51.441, 5.470, 1),
    "Groningen": ("NL", 53.219, 6.567, 1), "Luxembourg": ("LU", 49.611, 6.130, 1),
}  # fmt: skip
POSTAL = {  # each city's postal code prefix: its region for the reliability table (region_of)
    "Paris": "75", "Lyon": "69", "Marseille": "13", "Toulouse": "31", "Nice": "06", "Nantes": "44",
    "Strasbourg": "67", "Montpellier": "34", "Bordeaux": "33", "Lille": "59", "Rennes": "35", "Reims": "51",
    "Dijon": "21", "Metz": "57", "Rouen": "76", "Grenoble": "38", "Tours": "37", "Clermont-Ferrand": "63",
    "Berlin": "10", "Hamburg": "20", "München": "80", "Köln": "50", "Frankfurt": "60", "Stuttgart": "70",
    "Düsseldorf": "40", "Dortmund": "44", "Essen": "45", "Leipzig": "04", "Bremen": "28", "Dresden": "01",
    "Hannover": "30", "Nürnberg": "90", "Mannheim": "68", "Bruxelles": "10", "Antwerpen": "20", "Gent": "90",
    "Liège": "40", "Amsterdam": "10", "Rotterdam": "30", "Den Haag": "25", "Utrecht": "35", "Eindhoven": "56",
    "Groningen": "97", "Luxembourg": "14",
}  # fmt: skip
WAREHOUSES = [  # id, type, country, lat, lon, priority, daily capacity
    ("wh-paris-bondoufle", "warehouse", "FR", 48.613, 2.380, 10, 450),
    ("wh-lyon-saint-priest", "warehouse", "FR", 45.696, 4.944, 20, 300),
    ("wh-marseille-vitrolles", "warehouse", "FR", 43.460, 5.248, 30, 200),
    ("wh-lille-lesquin", "warehouse", "FR", 50.589, 3.118, 25, 250),
    ("wh-duisburg", "warehouse", "DE", 51.434, 6.762, 15, 400),
    ("wh-leipzig", "warehouse", "DE", 51.340, 12.375, 35, 250),
    ("wh-nuernberg", "warehouse", "DE", 49.452, 11.077, 40, 200),
    ("3pl-venlo", "3pl", "NL", 51.370, 6.172, 50, 300),
    ("3pl-antwerpen", "3pl", "BE", 51.219, 4.402, 55, 200),
    ("3pl-orleans", "3pl", "FR", 47.902, 1.909, 60, 150),
]
CARRIERS = {  # carrier: (base fee, price per break, factor per distance band, cross-border surcharge)
    "parcelco": (2.4, ((1, 2.9), (2, 3.6), (5, 5.1), (10, 7.4), (20, 11.8), (30, 15.9)), 0.35),
    "expressline": (3.1, ((2, 2.6), (5, 4.2), (10, 6.3), (20, 10.9), (31.5, 14.2)), 0.25),
}
BANDS = ((150, 1.0), (500, 1.18), (None, 1.35))
COUNTRIES = ("FR", "DE", "BE", "NL", "LU")
MAX_ORDER_KG = 30.0

STRATEGY = Strategy.model_validate({
    "name": "cost-first", "max_split": 3, "allow_line_split": True,
    "partial_fulfilment": "ship_available_backorder_rest",
    "objective": {"shipping_cost": 1.0, "sla_risk": 3.0, "split": 1.0},
})  # fmt: skip


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    type: str
    country: str
    point: Point
    priority: int
    daily_capacity: int
    remaining: int
    processing_days: int
    stock: dict[str, int]


@dataclass(frozen=True, slots=True)
class Order:
    id: str
    facts: OrderFacts
    lines: tuple[OrderLine, ...]
    destination: Destination


@dataclass(frozen=True, slots=True)
class Instance:
    nodes: tuple[Node, ...]
    orders: tuple[Order, ...]
    rates: RateTable
    strategy: Strategy


def generate(
    seed: int = 7, n_orders: int = 1200, n_nodes: int = 50, n_skus: int = 300, orders_seed: int | None = None
) -> Instance:
    """`orders_seed` draws the orders from their own seed, on the nodes and catalogue of `seed`: another
    day's orders on the same network."""
    rng = random.Random(seed)
    weights = {f"SKU-{i:04d}": round(min(14.0, rng.lognormvariate(0.2, 0.9)), 2) for i in range(n_skus)}
    skus = list(weights)
    popularity = [1 / (i + 1) ** 0.9 for i in range(n_skus)]
    demand = {s: p / sum(popularity) * n_orders * 3.2 for s, p in zip(skus, popularity, strict=True)}
    nodes = _nodes(rng, skus, n_nodes, demand)
    order_rng = rng if orders_seed is None else random.Random(orders_seed)
    orders = tuple(_order(order_rng, i, skus, popularity, weights) for i in range(n_orders))
    return Instance(nodes, orders, RateTable(_rate_cards()), STRATEGY)


def _nodes(rng: random.Random, skus: list[str], n_nodes: int, demand: dict[str, float]) -> tuple[Node, ...]:
    """Warehouses hold most SKUs, about in proportion to demand; stores a few units of a third of them."""
    nodes = []
    for node_id, kind, country, lat, lon, priority, daily in WAREHOUSES[: min(n_nodes // 3, len(WAREHOUSES))]:
        held = {s: int(rng.choice([0.1, 0.2, 0.3, 0.5]) * demand[s]) + rng.choice([0, 2, 5, 10]) for s in skus
                if rng.random() < 0.75}  # fmt: skip
        remaining = int(daily * rng.uniform(0.6, 1.0))
        nodes.append(Node(node_id, kind, country, Point(lat, lon), priority, daily, remaining, 0, held))
    cities = sorted(CITIES, key=lambda c: -CITIES[c][3])
    for i in range(n_nodes - len(nodes)):
        city = cities[i % len(cities)]
        country, lat, lon, _ = CITIES[city]
        point = Point(lat + rng.uniform(-0.05, 0.05), lon + rng.uniform(-0.05, 0.05))
        held = {s: rng.randint(1, 4) for s in skus if rng.random() < 0.3}
        daily = rng.choice([8, 12, 15, 20, 25])
        store_id = f"store-{city.lower().replace(' ', '-')}-{i // len(cities) + 1}"
        nodes.append(Node(store_id, "store", country, point, 100 + i, daily, daily, 1, held))
    return tuple(nodes)


def _order(rng: random.Random, i: int, skus, popularity, weights) -> Order:
    city = rng.choices(list(CITIES), weights=[c[3] for c in CITIES.values()])[0]
    country, lat, lon, _ = CITIES[city]
    destination = Destination(country, Point(lat + rng.gauss(0, 0.12), lon + rng.gauss(0, 0.12)))
    n_lines = rng.choices([1, 2, 3, 4, 5], weights=[40, 25, 15, 12, 8])[0]
    chosen: list[str] = []
    while len(chosen) < n_lines:
        sku = rng.choices(skus, weights=popularity)[0]
        if sku not in chosen:
            chosen.append(sku)
    lines, room = [], MAX_ORDER_KG  # an order fits one parcel of the heaviest break
    for sku in chosen:
        quantity = min(rng.choices([1, 2, 3, 4], weights=[70, 20, 6, 4])[0], int(room // weights[sku]))
        if quantity:
            lines.append(OrderLine(len(lines) + 1, sku, quantity, weights[sku]))
            room -= quantity * weights[sku]
    lines = tuple(lines)
    value = Decimal(sum(line.quantity for line in lines) * rng.randint(15, 80))
    region = region_of(country, POSTAL[city])
    facts = OrderFacts("web", country, "standard", "standard", value, TODAY + timedelta(days=3), region)
    return Order(f"O{i:05d}", facts, lines, destination)


def _rate_cards() -> list[RateCard]:
    cards = []
    for carrier, (base, breaks, cross) in CARRIERS.items():
        for origin in COUNTRIES:
            for dest in COUNTRIES:
                if origin == dest:
                    for band, factor in BANDS:
                        priced = tuple((w, round(p * factor, 2)) for w, p in breaks)
                        cards.append(RateCard(carrier, "standard", origin, dest, band, priced, base, 0.6))
                else:
                    priced = tuple((w, round(p * (1.35 + cross), 2)) for w, p in breaks)
                    cards.append(RateCard(carrier, "standard", origin, dest, None, priced, base + 1.5, 0.9))
    return cards


def transit_days(node: Node, destination: Destination) -> int:
    distance = haversine_km(node.point, destination.point)
    days = 1 if distance <= 150 else 2 if distance <= 500 else 3
    return days + (node.country != destination.country)


def candidates(inst: Instance, order: Order, stock, remaining) -> list[Candidate]:
    """The nodes as they stand for `order`: `stock[i]` and `remaining[i]` are node i's current figures."""
    wanted = [line.sku for line in order.lines]
    result = []
    for i, node in enumerate(inst.nodes):
        held = {s: stock[i][s] for s in wanted if stock[i].get(s, 0) > 0}
        days = transit_days(node, order.destination)
        delivery = TODAY + timedelta(days=node.processing_days + days)
        types = frozenset({"ship_from_store"} if node.type == "store" else {"ship"})
        result.append(Candidate(node.id, node.type, node.country, node.point, node.priority, types,
                                node.daily_capacity, remaining[i], held, days, delivery))  # fmt: skip
    return result


def with_orders(inst: Instance, orders) -> Instance:
    return replace(inst, orders=tuple(orders))
