"""What one generated document says and how it is laid out, drawn from a seed; and its ground truth, an
ExtractedDocument computed from the same values the PDF prints (line totals = quantity x unit price,
total = subtotal - discount + shipping + tax)."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from evals.order_entry import parties
from evals.order_entry.catalogue import Product
from evals.order_entry.formats import Style
from oms.channels.documents.model import ExtractedDocument, ExtractedLine, Party

CENT = Decimal("0.01")
TAX_RATES = {
    "US": "7",
    "GB": "20",
    "FR": "20",
    "BE": "21",
    "CH": "8.1",
    "DE": "19",
    "NL": "21",
    "ES": "21",
    "IT": "22",
}
COLUMN_SETS = {
    "code-first": ["pos", "code", "desc", "qty", "unit", "price", "amount"],
    "description-first": ["desc", "code", "qty", "price", "amount"],
    "part-numbers": ["pos", "cpn", "code", "desc", "qty", "price", "amount"],
    "price-before-qty": ["code", "desc", "price", "qty", "amount"],
    "barcode": ["pos", "ean", "desc", "qty", "unit", "price", "amount"],
}


@dataclass(frozen=True)
class Line:
    product: Product
    quantity: Decimal
    customer_part: str

    @property
    def total(self) -> Decimal:
        return (self.quantity * self.product.price).quantize(CENT, ROUND_HALF_UP)


@dataclass
class Spec:
    kind: str  # purchase_order or invoice
    style: Style
    number: str
    date: dt.date
    delivery: dt.date | None
    sender: dict  # the letterhead: the buyer on a PO, the seller on an invoice
    bill_to: dict | None
    ship_to: dict
    lines: list[Line]
    discount_rate: Decimal
    shipping: Decimal
    tax_rate: Decimal
    parties: str  # side-by-side, stacked, ship-only
    ruled: bool
    columns: str  # a key of COLUMN_SETS
    money_cells: bool  # prices in the table carry the currency too
    header_style: str  # block (at the right), strip (pairs across the page) or boxes (label above value)
    typeface: str = "helvetica"  # a key of typeface.TYPEFACES
    supplier: dict | None = None  # a PO's block addressed to the seller: no party of the order
    note: str | None = None
    customer_no: str | None = None
    label_choice: int = field(default=0)  # which of a field's labels the document uses

    def word(self, wordings: dict[str, list[str]]) -> str:
        """The document's wording of a label, among those of its language."""
        options = wordings[self.style.language]
        return options[self.label_choice % len(options)]

    @property
    def buyer(self) -> str:
        return self.sender["name"] if self.kind == "purchase_order" else self.bill_to["name"]

    @property
    def subtotal(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal(0))

    @property
    def discount(self) -> Decimal:
        return (self.subtotal * self.discount_rate / 100).quantize(CENT, ROUND_HALF_UP)

    @property
    def tax(self) -> Decimal:
        base = self.subtotal - self.discount + self.shipping
        return (base * self.tax_rate / 100).quantize(CENT, ROUND_HALF_UP)

    @property
    def total(self) -> Decimal:
        return self.subtotal - self.discount + self.shipping + self.tax

    @property
    def layout(self) -> str:
        ruling = "ruled" if self.ruled else "unruled"
        addressed = " supplier-block" if self.supplier else ""
        return f"{self.parties} {self.header_style} {ruling} {self.columns} {self.typeface}{addressed}"

    def printed_code(self, line: Line) -> str:
        return line.product.barcode if self.columns == "barcode" else line.product.sku


def truth(spec: Spec) -> ExtractedDocument:
    with_parts = spec.columns == "part-numbers"
    lines = [
        ExtractedLine(
            code=spec.printed_code(line),
            customer_part_number=line.customer_part if with_parts else None,
            description=line.product.name,
            quantity=line.quantity,
            unit_price=line.product.price,
            line_total=line.total,
        )
        for line in spec.lines
    ]
    return ExtractedDocument(
        document_type=spec.kind,
        document_number=spec.number,
        document_date=spec.date,
        requested_delivery_date=spec.delivery,
        customer_reference=spec.customer_no,
        buyer=Party(name=spec.buyer),
        bill_to=Party(**parties.truth(spec.bill_to)) if spec.bill_to else None,
        ship_to=Party(**parties.truth(spec.ship_to)),
        currency=spec.style.currency,
        lines=lines,
        subtotal=spec.subtotal,
        discount=spec.discount or None,
        shipping=spec.shipping or None,
        tax=spec.tax,
        total=spec.total,
        language=spec.style.language,
    )
