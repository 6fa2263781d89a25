"""A generated catalogue the documents order from: SKU, name, EAN-13 barcode and price, written as the CSV
`oms catalog import` takes, so a resolution evaluation can load the same products the documents print."""

import csv
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from oms.domain.gtin import check_digit

FAMILIES = {
    "PEN": ["Ballpoint pen", "Gel pen", "Fineliner", "Highlighter", "Permanent marker"],
    "PAP": ["Copy paper A4 80 g", "Recycled paper A4", "Notebook A5 ruled", "Sticky notes 76x76",
            "Envelopes C5 window"],
    "FIL": ["Lever arch file", "Document wallet", "Ring binder 2 rings", "Suspension files", "Archive box"],
    "DSK": ["Stapler", "Hole punch", "Tape dispenser", "Desk organiser", "Letter tray"],
    "TEC": ["USB-C cable 2 m", "Wireless mouse", "Keyboard", "Laptop stand", "Headset with microphone"],
    "CLN": ["Hand soap refill", "Paper towels", "Disinfectant wipes", "Bin liners 60 l", "Glass cleaner"],
}  # fmt: skip
COLOURS = [("BLU", "blue"), ("BLK", "black"), ("RED", "red"), ("GRN", "green"), ("WHT", "white"),
           ("YEL", "yellow")]  # fmt: skip
PACKS = [1, 5, 10, 12, 25, 50]
# Some names are long, so that tables wrap them over two lines.
DETAILS = [
    "",
    "",
    "",
    "with ergonomic grip, refillable, assorted",
    "FSC certified, for laser and inkjet printers",
]
CSV_COLUMNS = ["sku", "name", "description", "unit_price", "currency", "barcode", "weight_kg"]


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    barcode: str
    price: Decimal


def catalogue(seed: int = 7, size: int = 300) -> list[Product]:
    rng = random.Random(f"catalogue-{seed}")
    products, seen = [], set()
    while len(products) < size:
        product = _product(rng, len(products))
        if product.sku not in seen:
            seen.add(product.sku)
            products.append(product)
    return products


def _product(rng: random.Random, index: int) -> Product:
    family = rng.choice(list(FAMILIES))
    base = rng.choice(FAMILIES[family])
    colour_code, colour = rng.choice(COLOURS)
    pack = rng.choice(PACKS)
    sku = f"{family}-{colour_code}-{FAMILIES[family].index(base) + 1:02d}{pack:02d}"
    pack_text = f", pack of {pack}" if pack > 1 else ""
    name = f"{base}, {colour}{pack_text} {rng.choice(DETAILS)}".strip()
    payload = f"400{index:09d}"
    price = Decimal(rng.randint(2_000, 60_000) if rng.random() < 0.15 else rng.randint(50, 6_000)) / 100
    return Product(sku, name, payload + str(check_digit(payload)), price)


def write_csv(products: list[Product], path: Path, currency: str = "EUR") -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for p in products:
            writer.writerow([p.sku, p.name, p.name, f"{p.price:.2f}", currency, p.barcode, "0.5"])
    return path
