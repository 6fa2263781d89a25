"""Draws one document's content and layout from a random generator: the language decides the country,
the country the conventions (numbers, dates, currency), and every other choice is the seed's."""

import datetime as dt
import random
from decimal import Decimal

from evals.order_entry import parties
from evals.order_entry.catalogue import Product
from evals.order_entry.formats import Style
from evals.order_entry.spec import COLUMN_SETS, TAX_RATES, Line, Spec
from evals.order_entry.vocabulary import INJECTIONS

# country: (number styles, date styles, currency)
CONVENTIONS = {
    "US": (["us"], ["mdy_slash", "long", "iso"], "USD"),
    "GB": (["us"], ["dmy_slash", "long"], "GBP"),
    "FR": (["fr", "eu"], ["dmy_slash", "long", "iso"], "EUR"),
    "BE": (["eu", "fr"], ["dmy_slash", "long"], "EUR"),
    "CH": (["ch"], ["dmy_dot", "long"], "CHF"),
    "DE": (["eu"], ["dmy_dot", "long", "iso"], "EUR"),
    "NL": (["eu"], ["dmy_slash", "long", "iso"], "EUR"),
    "ES": (["eu"], ["dmy_slash", "long"], "EUR"),
    "IT": (["eu"], ["dmy_slash", "long", "iso"], "EUR"),
}
QUANTITIES = [1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 24, 25, 30, 40, 50, 60, 100, 120, 250, 500, 1200]
BENIGN_NOTES = [
    "Deliveries Monday to Friday, 8:00-16:00, gate 3.",
    "Please quote our order number on the delivery note and the invoice.",
    "Pallets max. 1.80 m high.",
]
START = dt.date(2025, 1, 1)


def draw(rng: random.Random, products: list[Product], language: str, index: int) -> Spec:
    country = rng.choice(parties.COUNTRIES[language])
    kind = "purchase_order" if rng.random() < 0.65 else "invoice"
    buyer = parties.company(rng, country)
    bill_to = parties.address(rng, buyer, country)
    ship_to = parties.address(rng, parties.site_name(rng, buyer, language), country)
    sender = (
        bill_to if kind == "purchase_order" else parties.address(rng, parties.company(rng, country), country)
    )
    arrangement = rng.choice(
        ["side-by-side", "stacked"] + (["ship-only"] if kind == "purchase_order" else [])
    )
    date = START + dt.timedelta(days=rng.randint(0, 700))
    header_style = rng.choice(["block", "strip", "boxes"])
    addressed = kind == "purchase_order" and header_style != "block" and rng.random() < 0.6
    return Spec(
        kind=kind,
        style=_style(rng, language, country),
        number=_number(rng, kind, date.year, index),
        date=date,
        delivery=date + dt.timedelta(days=rng.randint(3, 40)) if rng.random() < 0.7 else None,
        sender=sender,
        bill_to=None if arrangement == "ship-only" else bill_to,
        ship_to=ship_to,
        lines=_lines(rng, products),
        discount_rate=Decimal(rng.choice([0, 0, 0, 2, 3, 5, 10])),
        shipping=Decimal(rng.choice([0, 0, 0, 990, 1500, 4900])) / 100,
        tax_rate=Decimal(TAX_RATES[country]),
        parties=arrangement,
        ruled=rng.random() < 0.5,
        columns=rng.choice(list(COLUMN_SETS)),
        money_cells=rng.random() < 0.2,
        header_style=header_style,
        supplier=parties.address(rng, parties.company(rng, country), country) if addressed else None,
        note=_note(rng),
        customer_no=f"K{rng.randint(10000, 99999)}" if rng.random() < 0.5 else None,
        label_choice=rng.randint(0, 2),
        typeface=rng.choice(["helvetica", "helvetica", "times"]),
    )


def _style(rng: random.Random, language: str, country: str) -> Style:
    numbers, dates, currency = CONVENTIONS[country]
    return Style(language, rng.choice(numbers), rng.choice(dates), currency, symbol=rng.random() < 0.5)


def _number(rng: random.Random, kind: str, year: int, index: int) -> str:
    serial = rng.randint(100, 99999) * 100 + index % 100
    if kind == "invoice":
        return rng.choice([f"INV-{year}-{serial:07d}", f"FA{year}{serial:07d}", f"RE-{serial}"])
    return rng.choice([f"PO-{year}-{serial:07d}", f"45{serial:08d}", f"BST-{serial}", f"{year}/{serial}"])


def _lines(rng: random.Random, products: list[Product]) -> list[Line]:
    count = rng.choice([rng.randint(1, 8)] * 3 + [rng.randint(9, 25), rng.randint(26, 90)])
    chosen = rng.sample(products, count)
    return [
        Line(p, Decimal(_quantity(rng, p)), f"{rng.choice('ABCKX')}{rng.randint(10000, 99999)}")
        for p in chosen
    ]


def _quantity(rng: random.Random, product: Product) -> int:
    """Hundreds of cheap things, a few dear ones."""
    return rng.choice(QUANTITIES if product.price < 20 else QUANTITIES[:10])


def _note(rng: random.Random) -> str | None:
    roll = rng.random()
    if roll < 0.2:
        return rng.choice(INJECTIONS)
    return rng.choice(BENIGN_NOTES) if roll < 0.4 else None
