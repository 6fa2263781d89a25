"""A Fishbowl purchase order: "PO Number:" and "Issue Date: Nov 5, 2026" at the right, "Vendor" and "Ship
To" boxes, "Part Number | Description | UOM | Qty | Unit Cost | Total" with quantities "12.00",
"Subtotal", "Freight", "Tax" and "Total:"."""

import datetime as dt
from decimal import Decimal

from evals.order_entry.styles.order import Order, amount, items, styled
from evals.order_entry.styles.sheet import Column, Sheet

ORDER = Order(
    number="10442",
    date=dt.date(2026, 11, 5),
    buyer="Granite Peak Bikes Inc.",
    ship_to={"name": "Granite Peak Bikes Inc.", "line1": "77 Canyon Rd", "postal_code": "84101",
             "city": "Salt Lake City", "country": "US"},
    currency="USD",
    language="en",
    items=items([
        ("BRK-PAD-RS", "Disc brake pads, resin, pair", "60", "8.40"),
        ("TUB-29-PV", "Inner tube 29 x 2.1, presta", "100", "5.25"),
        ("CHN-12S-126", "12-speed chain, 126 links", "25", "32.00"),
    ]),
    shipping=Decimal("35.00"),
    tax_rate=Decimal("7.75"),
)  # fmt: skip
COLUMNS = [Column(40), Column(130), Column(350), Column(420, True), Column(490, True), Column(560, True)]


def sample():
    return styled("us-fishbowl", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet()
    sheet.block(40, 50, [order.buyer, "77 Canyon Rd", "Salt Lake City, UT 84101"], size=9, bold=True)
    sheet.text(560, 50, "PURCHASE ORDER", 16, bold=True, right=True)
    sheet.block(400, 72, [f"PO Number: {order.number}", "Issue Date: Nov 5, 2026", "Payment Terms: Net 30"])
    sheet.box(40, 120, 250, 62)
    sheet.block(
        46, 132, ["Vendor", "Wasatch Cycle Distributors", "4100 S 500 W", "Murray, UT 84123"], bold=True
    )
    sheet.box(310, 120, 250, 62)
    to = order.ship_to
    sheet.block(
        316, 132, ["Ship To", to["name"], to["line1"], f"{to['city']}, UT {to['postal_code']}"], bold=True
    )
    sheet.row(COLUMNS, ["Part Number", "Description", "UOM", "Qty", "Unit Cost", "Total"], 210, 8.5, True)
    sheet.rule(40, 560, 214)
    top = 214
    for item in order.items:
        top += 15
        cells = [item.code, item.description, "ea", amount(item.quantity), f"${amount(item.price)}",
                 f"${amount(item.total)}"]  # fmt: skip
        sheet.row(COLUMNS, cells, top, 8.5)
    rows = [
        ("Subtotal:", order.subtotal),
        ("Freight:", order.shipping),
        ("Tax:", order.tax),
        ("Total:", order.total),
    ]
    for i, (label, value) in enumerate(rows):
        sheet.text(430, top + 28 + 14 * i, label, 9, bold=i == 3)
        sheet.text(560, top + 28 + 14 * i, f"${amount(value)}", 9, bold=i == 3, right=True)
    return sheet.pdf()
