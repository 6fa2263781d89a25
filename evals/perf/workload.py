"""The requests of a benchmark run: orders and promise carts over the system's own products.

Carts are built from SKUs that have stock, weighted by how much stock they have (the demo data stocks
best sellers deepest), with 1-4 lines of quantity 1-2, shipped to cities across France and Germany.
A fixed seed makes two runs send the same carts; a run id keeps external ids unique across runs, so a
second run against the same system captures new orders instead of replaying idempotent retries.
"""

import itertools
import random
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import httpx

# Real postal codes and cities, a mix of big and small places in both demo countries.
DESTINATIONS = [
    ("75011", "Paris", "FR"), ("69003", "Lyon", "FR"), ("13008", "Marseille", "FR"),
    ("31000", "Toulouse", "FR"), ("33000", "Bordeaux", "FR"), ("59000", "Lille", "FR"),
    ("44000", "Nantes", "FR"), ("67000", "Strasbourg", "FR"), ("35000", "Rennes", "FR"),
    ("10115", "Berlin", "DE"), ("80331", "München", "DE"), ("20095", "Hamburg", "DE"),
    ("50667", "Köln", "DE"), ("60311", "Frankfurt am Main", "DE"), ("70173", "Stuttgart", "DE"),
    ("04109", "Leipzig", "DE"), ("01067", "Dresden", "DE"), ("28195", "Bremen", "DE"),
]  # fmt: skip
FIRST_NAMES = ["Camille", "Lucas", "Léa", "Hugo", "Emma", "Jonas", "Mia", "Felix", "Chloé", "Lena"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Müller", "Schmidt", "Schneider", "Fischer", "Moreau"]
STREETS = {"FR": "rue de la République", "DE": "Hauptstraße"}


@dataclass(frozen=True)
class Catalog:
    """Sellable SKUs with their price and network-wide ATP at the start of the run."""

    prices: dict[str, Decimal]
    atp: dict[str, int]

    @property
    def stocked(self) -> list[str]:
        return sorted(sku for sku, units in self.atp.items() if units > 0 and sku in self.prices)


def load_catalog(client: httpx.Client) -> Catalog:
    """Products and stock positions read through the API (pages of 500), before the clock starts."""
    products = _all_items(client, "/api/v1/products")
    prices = {p["sku"]: Decimal(str(p["unit_price"])) for p in products if p.get("active", True)}
    atp: Counter = Counter()
    for position in _all_items(client, "/api/v1/inventory"):
        atp[position["sku"]] += max(position["atp"], 0)
    return Catalog(prices, dict(atp))


def _all_items(client: httpx.Client, path: str, max_pages: int = 200) -> list[dict]:
    items, cursor = [], None
    for _ in range(max_pages):  # bounded: 100,000 rows is far beyond any demo data set
        params = {"limit": 500} | ({"cursor": cursor} if cursor else {})
        response = client.get(path, params=params)
        response.raise_for_status()
        page = response.json()
        items += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            return items
    raise RuntimeError(f"{path}: more than {max_pages} pages")


class CartMaker:
    """Random but reproducible carts: SKUs drawn in proportion to their stock."""

    def __init__(self, catalog: Catalog, seed: int = 7):
        self.catalog = catalog
        self.skus = catalog.stocked
        if not self.skus:
            raise RuntimeError("no product has stock: seed demo data first")
        self.cum_weights = list(itertools.accumulate(catalog.atp[sku] for sku in self.skus))
        self.rng = random.Random(seed)

    def lines(self) -> list[tuple[str, int]]:
        count = self.rng.choices((1, 2, 3, 4), weights=(45, 30, 15, 10))[0]
        skus: list[str] = []
        for _ in range(20):  # bounded draws; duplicate SKUs are not allowed on one order
            sku = self.rng.choices(self.skus, cum_weights=self.cum_weights)[0]
            if sku not in skus:
                skus.append(sku)
            if len(skus) == min(count, len(self.skus)):
                break
        return [(sku, self.rng.choices((1, 2), weights=(80, 20))[0]) for sku in skus]

    def destination(self) -> tuple[str, str, str]:
        return self.rng.choice(DESTINATIONS)

    def person(self, n: int) -> tuple[str, str]:
        """A name and an email; the email repeats now and then, as returning customers do."""
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        customer = n if self.rng.random() < 0.7 else self.rng.randrange(max(n, 1))
        return f"{first} {last}", f"{first}.{last}.{customer}@example.org".lower()


def order_bodies(maker: CartMaker, count: int, run_id: str, channel: str = "web") -> list[dict]:
    bodies = []
    for n in range(count):
        postal_code, city, country = maker.destination()
        name, email = maker.person(n)
        street = f"{n % 180 + 1} {STREETS[country]}"
        lines = [
            {"sku": sku, "quantity": qty, "unit_price": float(maker.catalog.prices[sku])}
            for sku, qty in maker.lines()
        ]
        bodies.append(
            {
                "channel": channel,
                "external_id": f"BENCH-{run_id}-{n:06d}",
                "customer": {"name": name, "email": email},
                "ship_to": {
                    "name": name,
                    "line1": street,
                    "postal_code": postal_code,
                    "city": city,
                    "country": country,
                },
                "service_level": maker.rng.choices(("standard", "express"), weights=(85, 15))[0],
                "lines": lines,
            }
        )
    return bodies


def promise_bodies(maker: CartMaker, count: int, channel: str = "web") -> list[dict]:
    """Checkout-page carts: most ask for every option (no service level), some for one level."""
    bodies = []
    for _ in range(count):
        postal_code, _, country = maker.destination()
        body = {
            "lines": [{"sku": sku, "quantity": qty} for sku, qty in maker.lines()],
            "destination": {"postal_code": postal_code, "country": country},
            "channel": channel,
        }
        if maker.rng.random() < 0.2:
            body["service_level"] = maker.rng.choice(("standard", "express", "pickup"))
        bodies.append(body)
    return bodies
