"""What a hand-coded style prints and its ground truth, in the truth format of the generated documents
(an ExtractedDocument and the code each line is): line total = quantity x unit price, total = subtotal +
shipping + tax, each rounded to the cent."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from evals.order_entry.formats import number
from evals.order_entry.sample import Sample
from oms.channels.documents.model import ExtractedDocument, ExtractedLine, Party

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Item:
    code: str
    description: str
    quantity: Decimal
    price: Decimal
    unit: str = "EA"

    @property
    def total(self) -> Decimal:
        return (self.quantity * self.price).quantize(CENT, ROUND_HALF_UP)


def items(rows: list[tuple]) -> list[Item]:
    """(code, description, quantity, price[, unit]) with the numbers as strings, exact."""
    return [Item(code, text, Decimal(qty), Decimal(price), *unit) for code, text, qty, price, *unit in rows]


@dataclass(frozen=True)
class Order:
    number: str
    date: dt.date
    buyer: str
    ship_to: dict  # name, line1, postal_code, city (a US city without its state), country (ISO)
    currency: str
    language: str
    items: list[Item]
    tax_rate: Decimal = Decimal(0)
    shipping: Decimal = Decimal(0)
    delivery: dt.date | None = None

    @property
    def subtotal(self) -> Decimal:
        return sum((item.total for item in self.items), Decimal(0))

    @property
    def tax(self) -> Decimal:
        return ((self.subtotal + self.shipping) * self.tax_rate / 100).quantize(CENT, ROUND_HALF_UP)

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.shipping + self.tax


def amount(value: Decimal, numbers: str = "us", places: int = 2) -> str:
    """1,234.56 (us), 1.234,56 (eu), 1 234,56 (fr), 1'234.56 (ch)."""
    return number(value, numbers, places)


def truth(order: Order) -> ExtractedDocument:
    lines = [
        ExtractedLine(
            code=item.code,
            description=item.description,
            quantity=item.quantity,
            unit_price=item.price,
            line_total=item.total,
        )
        for item in order.items
    ]
    return ExtractedDocument(
        document_type="purchase_order",
        document_number=order.number,
        document_date=order.date,
        requested_delivery_date=order.delivery,
        buyer=Party(name=order.buyer),
        ship_to=Party(**order.ship_to),
        currency=order.currency,
        lines=lines,
        subtotal=order.subtotal,
        shipping=order.shipping or None,
        tax=order.tax,
        total=order.total,
        language=order.language,
    )


def styled(name: str, order: Order, pdf: bytes) -> Sample:
    """`name` is the style: the report groups by it as the generated documents' layout."""
    skus = [item.code for item in order.items]
    return Sample(name, pdf, truth(order), skus, order.language, name, "text")
