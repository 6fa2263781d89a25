"""A QuickBooks purchase order: "DATE" and "P.O. NO." in a little grid under the title, ruled "VENDOR" and
"SHIP TO" boxes, an upper-case ruled table "ITEM | DESCRIPTION | QTY | RATE | AMOUNT", amounts without a
currency sign and "Total $" at the foot."""

import datetime as dt
from decimal import Decimal

from evals.order_entry.styles.order import Order, amount, items, styled
from evals.order_entry.styles.sheet import Column, Sheet

ORDER = Order(
    number="1047",
    date=dt.date(2026, 2, 3),
    buyer="Cedar Ridge Landscaping, Inc.",
    ship_to={"name": "Cedar Ridge Landscaping, Inc.", "line1": "718 Quarry Road", "postal_code": "45402",
             "city": "Dayton", "country": "US"},
    currency="USD",
    language="en",
    items=items([
        ("IRR-DRP-50", "Drip irrigation tubing 1/2 in x 500 ft", "6", "89.00"),
        ("IRR-EMT-2", "Pressure-compensating emitters 2 GPH, bag of 100", "10", "24.50"),
        ("MUL-HWD-2", "Hardwood mulch, 2 cu ft bag", "150", "4.35"),
        ("EDG-STL-16", "Steel landscape edging 16 ft", "20", "38.90"),
    ]),
    tax_rate=Decimal("7.25"),
)  # fmt: skip
COLUMNS = [Column(44), Column(130), Column(380, True), Column(460, True), Column(548, True)]


def sample():
    return styled("us-quickbooks", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet()
    sheet.block(44, 48, [order.buyer, "718 Quarry Road", "Dayton, OH 45402"], size=10, bold=True)
    sheet.text(548, 52, "Purchase Order", 20, bold=True, right=True)
    _grid(sheet, order)
    sheet.box(40, 130, 230, 70)
    sheet.block(46, 142, ["VENDOR", "Midwest Turf & Irrigation", "4100 Industrial Pkwy",
                          "Columbus, OH 43228"], step=12, bold=True)  # fmt: skip
    sheet.box(320, 130, 230, 70)
    to = order.ship_to
    sheet.block(326, 142, ["SHIP TO", to["name"], to["line1"], f"{to['city']}, OH {to['postal_code']}"],
                step=12, bold=True)  # fmt: skip
    sheet.box(40, 220, 510, 16)
    sheet.row(COLUMNS, ["ITEM", "DESCRIPTION", "QTY", "RATE", "AMOUNT"], 231, 8.5, True)
    top = 231
    for item in order.items:
        top += 18
        cells = [item.code, item.description, str(item.quantity), amount(item.price), amount(item.total)]
        sheet.row(COLUMNS, cells, top)
    sheet.box(40, 236, 510, top - 228)
    sheet.block(380, top + 30, ["Subtotal", "Sales Tax (7.25%)"], step=14)
    sheet.text(548, top + 30, amount(order.subtotal), right=True)
    sheet.text(548, top + 44, amount(order.tax), right=True)
    sheet.text(380, top + 62, "Total", 11, bold=True)
    sheet.text(548, top + 62, f"${amount(order.total)}", 11, bold=True, right=True)
    return sheet.pdf()


def _grid(sheet: Sheet, order: Order):
    sheet.box(420, 70, 128, 30)
    sheet.text(426, 80, "DATE", 8, bold=True)
    sheet.text(490, 80, "P.O. NO.", 8, bold=True)
    sheet.text(426, 94, f"{order.date.month}/{order.date.day}/{order.date.year}", 9)
    sheet.text(490, 94, order.number, 9)
