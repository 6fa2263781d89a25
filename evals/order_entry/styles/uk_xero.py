"""A Xero purchase order: the title at the top left, "Date", "Order Number", "Reference" and "Delivery
Date" stacked at the right with the buyer's address beside them, a "Delivery Address" block with its
attention line, "Item | Description | Quantity | Unit Price | VAT | Amount GBP", "TOTAL VAT 20%" and
"TOTAL GBP"; dates as "5 Nov 2026"."""

import datetime as dt
from decimal import Decimal

from evals.order_entry.styles.order import Order, amount, items, styled
from evals.order_entry.styles.sheet import Column, Sheet

ORDER = Order(
    number="PO-0193",
    date=dt.date(2026, 11, 5),
    delivery=dt.date(2026, 11, 18),
    buyer="Greenleaf Cafés Ltd",
    ship_to={"name": "Greenleaf Cafés Ltd", "line1": "22 Castle Street", "postal_code": "EH2 3AH",
             "city": "Edinburgh", "country": "GB"},
    currency="GBP",
    language="en",
    items=items([
        ("CUP-12-KRAFT", "Kraft paper cup 12 oz, sleeve of 50", "40", "4.60"),
        ("LID-12-SIP", "Sip lid for 12 oz cup, sleeve of 50", "40", "2.10"),
        ("BEAN-ESP-1KG", "Espresso beans, 1 kg bag", "25", "17.40"),
        ("MILK-OAT-1L", "Oat drink barista edition, 1 litre", "72", "1.85"),
    ]),
    tax_rate=Decimal(20),
)  # fmt: skip
COLUMNS = [Column(40), Column(125), Column(380, True), Column(450, True), Column(466), Column(555, True)]


def sample():
    return styled("uk-xero", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet()
    sheet.text(40, 55, "PURCHASE ORDER", 20, bold=True)
    fields = [("Date", "5 Nov 2026"), ("Order Number", order.number), ("Reference", "Autumn menu"),
              ("Delivery Date", "18 Nov 2026")]  # fmt: skip
    for i, (label, value) in enumerate(fields):
        sheet.text(300, 50 + 26 * i, label, 8, bold=True)
        sheet.text(300, 61 + 26 * i, value, 8.5)
    sheet.block(
        430, 50, [order.buyer, "14 Rose Street", "Edinburgh", "EH2 2PR", "VAT No. 412 7788 21"], size=8.5
    )
    to = order.ship_to
    sheet.block(40, 100, ["Delivery Address", to["name"], "Attention: Morag Keller", to["line1"], to["city"],
                          to["postal_code"], "United Kingdom"], size=8.5, bold=True)  # fmt: skip
    titles = ["Item", "Description", "Quantity", "Unit Price", "VAT", "Amount GBP"]
    sheet.row(COLUMNS, titles, 210, 8.5, True)
    sheet.rule(40, 555, 214, 1)
    top = 214
    for item in order.items:
        top += 18
        cells = [item.code, item.description, amount(item.quantity), amount(item.price), "20% (VAT on Expenses)",
                 amount(item.total)]  # fmt: skip
        sheet.row(COLUMNS, [*cells[:4], "20%", cells[5]], top, 8.5)
        sheet.rule(40, 555, top + 6, 0.3)
    rows = [("Subtotal", order.subtotal), ("TOTAL VAT 20%", order.tax), ("TOTAL GBP", order.total)]
    for i, (label, value) in enumerate(rows):
        sheet.text(400, top + 28 + 15 * i, label, 9, bold=i == 2)
        sheet.text(555, top + 28 + 15 * i, amount(value), 9, bold=i == 2, right=True)
    return sheet.pdf()
