"""A Sage Intacct purchase order: "Vendor", "Ship to" and "Bill to" side by side, a grid of "PO number |
Date | Required date | Terms", descriptions wrapped over two or three rows in a narrow column, "Item ID |
Item description | Quantity | UOM | Price | Extended price", and "Subtotal", "Tax", "Total (USD)"."""

import datetime as dt
import textwrap
from decimal import Decimal

from evals.order_entry.styles.order import Order, amount, items, styled
from evals.order_entry.styles.sheet import Column, Sheet

ORDER = Order(
    number="PO-26-00731",
    date=dt.date(2026, 10, 2),
    delivery=dt.date(2026, 10, 16),
    buyer="Harborview Property Management LLC",
    ship_to={"name": "Harborview Property Mgmt - Maintenance Shop", "line1": "410 Alaskan Way S",
             "postal_code": "98104", "city": "Seattle", "country": "US"},
    currency="USD",
    language="en",
    items=items([
        ("HVAC-FLT-20251", "Pleated air filter MERV 11, 20 x 25 x 1 in, case of 12, for rooftop units", "6",
         "64.80"),
        ("LGT-LED-T8-4", "LED T8 tube 4 ft, 18 W, 4000 K, ballast bypass, carton of 25", "4", "112.50"),
        ("PLB-CART-1222", "Single-handle faucet cartridge, ceramic disc, fits most lavatory faucets", "20",
         "18.40"),
        ("PNT-INT-EGG-5", "Interior latex paint, eggshell, antique white, 5 gallon pail", "3", "149.00"),
        ("SAF-GLV-CUT-L", "Cut-resistant work gloves A4, large", "24", "7.95"),
    ]),
    tax_rate=Decimal("10.25"),
)  # fmt: skip
COLUMNS = [Column(40), Column(125), Column(390, True), Column(400), Column(480, True), Column(572, True)]


def sample():
    return styled("us-intacct", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet()
    sheet.text(40, 48, order.buyer, 13, bold=True)
    sheet.text(40, 61, "1201 Western Ave, Suite 900, Seattle, WA 98101", 8)
    sheet.text(572, 48, "Purchase order", 16, bold=True, right=True)
    for i, (label, value) in enumerate([("PO number", order.number), ("Date", "10/02/2026"),
                                        ("Required date", "10/16/2026"), ("Terms", "Net 45")]):  # fmt: skip
        sheet.box(40 + 133 * i, 80, 133, 28)
        sheet.text(45 + 133 * i, 90, label, 7.5, bold=True)
        sheet.text(45 + 133 * i, 103, value, 8.5)
    to = order.ship_to
    blocks = [(40, ["Vendor", "Cascade Facility Supply", "2200 1st Ave S", "Seattle, WA 98134"]),
              (230, ["Ship to", to["name"], to["line1"], f"{to['city']}, WA {to['postal_code']}"]),
              (420, ["Bill to", order.buyer, "Accounts Payable", "Seattle, WA 98101"])]  # fmt: skip
    for x, lines in blocks:
        sheet.block(x, 135, lines, size=8.5, bold=True)
    titles = ["Item ID", "Item description", "Quantity", "UOM", "Price", "Extended price"]
    sheet.row(COLUMNS, titles, 205, 8, True)
    sheet.rule(40, 572, 209)
    top = 209
    for item in order.items:
        top += 14
        wrapped = textwrap.wrap(item.description, 52)
        cells = [item.code, wrapped[0], amount(item.quantity), "Each", amount(item.price), amount(item.total)]
        sheet.row(COLUMNS, cells, top, 8)
        for more in wrapped[1:]:
            top += 10
            sheet.text(125, top, more, 8)
    rows = [("Subtotal", order.subtotal), ("Tax", order.tax), ("Total (USD)", order.total)]
    for i, (label, value) in enumerate(rows):
        sheet.text(420, top + 28 + 14 * i, label, 9, bold=i == 2)
        sheet.text(572, top + 28 + 14 * i, amount(value), 9, bold=i == 2, right=True)
    return sheet.pdf()
