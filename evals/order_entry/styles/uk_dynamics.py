"""A Dynamics 365 Business Central purchase order over two pages: the vendor's address in the window at
the left under "Buy-from Vendor", the buyer's at the right, dates dd/mm/yyyy in pounds, a UK ship-to with
its town and postcode on two lines, column titles wrapped over two lines ("Direct Unit Cost" / "Excl. VAT"),
a "VAT %" column, the header repeated on page 2, "Page 1 of 2" and "Total GBP Incl. VAT"."""

import datetime as dt
from decimal import Decimal

from evals.order_entry.styles.order import Item, Order, amount, styled
from evals.order_entry.styles.sheet import Column, Sheet

PRODUCTS = [
    ("Hex bolt M8 x 40, zinc plated, box of 100", "8.40"), ("Washer M8 form A, box of 250", "3.95"),
    ("Nyloc nut M8, box of 100", "5.20"), ("Socket cap screw M6 x 20, box of 100", "7.65"),
    ("Threaded rod M10 x 1 m", "2.85"), ("Cable ties 300 mm black, pack of 100", "4.10"),
    ("Safety gloves cut level C, size 9", "6.75"), ("Marking paint, fluorescent orange", "5.60"),
]  # fmt: skip
ITEMS = [
    Item(
        f"{1896 + 3 * i}-S", PRODUCTS[i % 8][0], Decimal(5 * (i % 7 + 1)), Decimal(PRODUCTS[i % 8][1]), "PCS"
    )
    for i in range(38)
]
ORDER = Order(
    number="106015",
    date=dt.date(2026, 11, 5),
    delivery=dt.date(2026, 11, 12),
    buyer="Hartley Engineering Ltd",
    ship_to={"name": "Hartley Engineering Ltd - Goods In", "line1": "Unit 7, Riverside Park",
             "postal_code": "LS10 1QP", "city": "Leeds", "country": "GB"},
    currency="GBP",
    language="en",
    items=ITEMS,
    tax_rate=Decimal(20),
)  # fmt: skip
COLUMNS = [Column(40), Column(100), Column(345, True), Column(355), Column(462, True), Column(500, True),
           Column(556, True)]  # fmt: skip
PER_PAGE = 24


def sample():
    return styled("uk-dynamics", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet()
    pages = [order.items[i : i + PER_PAGE] for i in range(0, len(order.items), PER_PAGE)]
    for number, chunk in enumerate(pages, 1):
        _head(sheet, order, number)
        top = _table(sheet, chunk, 300 if number == 1 else 130)
        if number == len(pages):
            _totals(sheet, order, top + 24)
        sheet.text(556, 810, f"Page {number} of {len(pages)}", 8, right=True)
        if number < len(pages):
            sheet.next_page()
    return sheet.pdf()


def _head(sheet: Sheet, order: Order, page: int):
    sheet.text(556, 50, "Purchase - Order", 14, bold=True, right=True)
    sheet.block(380, 70, [order.buyer, "Unit 7, Riverside Park", "Leeds", "LS10 1QP"], size=8.5)
    if page > 1:
        sheet.text(40, 70, f"Order No. {order.number}", 9)
        return
    sheet.text(40, 110, "Buy-from Vendor", 7.5)
    sheet.block(40, 122, ["Fabory UK Ltd", "Phoenix Works, Unit 3", "Birmingham", "B7 4AA"], size=9)
    fields = [
        ("Order No.", order.number),
        ("Document Date", _date(order.date)),
        ("Expected Receipt Date", _date(order.delivery)),
        ("VAT Registration No.", "GB 287 4410 56"),
    ]
    for i, (label, value) in enumerate(fields):
        sheet.text(380, 130 + 12 * i, label, 8.5)
        sheet.text(556, 130 + 12 * i, value, 8.5, right=True)
    to = order.ship_to
    sheet.block(40, 200, ["Ship-to Address", to["name"], to["line1"], to["city"], to["postal_code"],
                          "United Kingdom"], size=9, bold=True)  # fmt: skip


def _table(sheet: Sheet, chunk: list[Item], top: float) -> float:
    titles = [["No.", "Description", "Quantity", "Unit of", "Direct Unit Cost", "VAT %", "Line Amount"],
              ["", "", "", "Measure", "Excl. VAT", "", "Excl. VAT"]]  # fmt: skip
    for i, title in enumerate(titles):
        sheet.row(COLUMNS, title, top + 10 * i, 8, True)
    sheet.rule(40, 556, top + 14)
    top += 16
    for item in chunk:
        top += 13
        cells = [item.code, item.description, str(item.quantity), item.unit, amount(item.price), "20",
                 amount(item.total)]  # fmt: skip
        sheet.row(COLUMNS, cells, top, 8)
    return top


def _totals(sheet: Sheet, order: Order, top: float):
    rows = [("Total GBP Excl. VAT", order.subtotal), ("20% VAT", order.tax),
            ("Total GBP Incl. VAT", order.total)]  # fmt: skip
    for i, (label, value) in enumerate(rows):
        sheet.text(380, top + 13 * i, label, 8.5, bold=i == 2)
        sheet.text(556, top + 13 * i, amount(value), 8.5, bold=i == 2, right=True)


def _date(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")
