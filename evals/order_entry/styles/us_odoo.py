"""An Odoo purchase order in US English: "Purchase Order #P00418" as the title, "Order Deadline:" and
"Expected Arrival:" as labels over their values, the vendor's address at the right with no label,
"Shipping address:" at the left, quantities with three decimals and their unit ("12.000 Units"), a
"Taxes" column, "Untaxed Amount", "Taxes" and "Total"."""

import datetime as dt
from decimal import Decimal

from evals.order_entry.styles.order import Order, amount, items, styled
from evals.order_entry.styles.sheet import Column, Sheet

ORDER = Order(
    number="P00418",
    date=dt.date(2026, 9, 14),
    delivery=dt.date(2026, 9, 28),
    buyer="Lakeshore Robotics Inc.",
    ship_to={"name": "Lakeshore Robotics Inc.", "line1": "2250 W Fulton St", "postal_code": "60612",
             "city": "Chicago", "country": "US"},
    currency="USD",
    language="en",
    items=items([
        ("MTR-NEMA17", "Stepper motor NEMA 17, 1.8 deg", "40", "14.60"),
        ("DRV-TMC2209", "Stepper driver module TMC2209", "40", "6.85"),
        ("PSU-24V-350", "Power supply 24 V 350 W", "12", "38.90"),
        ("BLT-GT2-6-5M", "GT2 timing belt 6 mm, 5 m", "25", "7.40"),
    ]),
    tax_rate=Decimal("10.25"),
)  # fmt: skip
COLUMNS = [Column(40), Column(280), Column(340), Column(455, True), Column(505, True), Column(572, True)]


def sample():
    return styled("us-odoo", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet()
    sheet.text(40, 50, order.buyer, 13, bold=True)
    sheet.block(40, 64, ["2250 W Fulton St", "Chicago IL 60612", "United States"], size=8.5)
    sheet.rule(40, 572, 100)
    sheet.text(40, 125, "Shipping address:", 9, bold=True)
    to = order.ship_to
    sheet.block(40, 138, [to["name"], to["line1"], f"{to['city']} IL {to['postal_code']}", "United States"])
    sheet.block(330, 125, ["Midwest Motion Components", "1400 Industrial Dr", "Elk Grove Village IL 60007",
                           "United States"])  # fmt: skip
    sheet.text(40, 210, f"Purchase Order #{order.number}", 16, bold=True)
    fields = [("Buyer:", "Priya Natarajan"), ("Order Deadline:", "09/14/2026 10:15:00"),
              ("Expected Arrival:", "09/28/2026")]  # fmt: skip
    for i, (label, value) in enumerate(fields):
        sheet.text(40 + 170 * i, 235, label, 8.5, bold=True)
        sheet.text(40 + 170 * i, 247, value, 8.5)
    titles = ["Description", "Taxes", "Date Req.", "Qty", "Unit Price", "Amount"]
    sheet.row(COLUMNS, titles, 280, 8.5, True)
    sheet.rule(40, 572, 284)
    top = 284
    for item in order.items:
        top += 16
        cells = [f"[{item.code}] {item.description}", "10.25%", "09/28/2026", f"{item.quantity}.000 Units",
                 amount(item.price), f"$ {amount(item.total)}"]  # fmt: skip
        sheet.row(COLUMNS, cells, top, 8)
    rows = [("Untaxed Amount", order.subtotal), ("Taxes", order.tax), ("Total", order.total)]
    for i, (label, value) in enumerate(rows):
        sheet.text(430, top + 28 + 15 * i, label, 9, bold=i == 2)
        sheet.text(572, top + 28 + 15 * i, f"$ {amount(value)}", 9, bold=i == 2, right=True)
    return sheet.pdf()
