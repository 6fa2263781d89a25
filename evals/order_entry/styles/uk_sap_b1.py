"""An SAP Business One purchase order from a British firm: "No.", "Posting Date", "Delivery Date" and
"Vendor Ref. No." at the right, "Vendor" and "Ship To" blocks, "# | Item No. | Item Description | Quantity |
UoM | Unit Price | Disc. % | Total (LC)" with prices printed with their currency ("GBP 11.80"), "Total
Before Discount", "Freight", "Tax" and "Total Payment Due"."""

import datetime as dt
from decimal import Decimal

from evals.order_entry.styles.order import Order, amount, items, styled
from evals.order_entry.styles.sheet import Column, Sheet

ORDER = Order(
    number="3417",
    date=dt.date(2026, 11, 5),
    delivery=dt.date(2026, 11, 19),
    buyer="Pennine Outdoor Ltd",
    ship_to={"name": "Pennine Outdoor Ltd - Distribution Centre", "line1": "Unit 4, Lowfields Business Park",
             "postal_code": "HX5 9DA", "city": "Elland", "country": "GB"},
    currency="GBP",
    language="en",
    items=items([
        ("A00121", "Walking pole, carbon, pair", "30", "24.90", "Pair"),
        ("A00178", "Waterproof map case A4", "50", "6.75", "Each"),
        ("A00240", "Emergency foil blanket", "200", "0.95", "Each"),
        ("A00315", "Head torch 200 lm, AAA", "40", "11.60", "Each"),
    ]),
    tax_rate=Decimal(20),
    shipping=Decimal("18.00"),
)  # fmt: skip
COLUMNS = [Column(40), Column(60), Column(115), Column(345, True), Column(352), Column(440, True),
           Column(480, True), Column(555, True)]  # fmt: skip


def sample():
    return styled("uk-sap-b1", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet()
    sheet.text(40, 50, order.buyer, 14, bold=True)
    sheet.block(40, 64, ["Pennine House, Wakefield Road", "Huddersfield", "HD1 3LH"], size=8)
    sheet.text(555, 50, "Purchase Order", 15, bold=True, right=True)
    fields = [("No.", order.number), ("Posting Date", "05.11.26"), ("Delivery Date", "19.11.26"),
              ("Vendor Ref. No.", "SO-88120")]  # fmt: skip
    for i, (label, value) in enumerate(fields):
        sheet.text(400, 75 + 12 * i, label, 8.5)
        sheet.text(555, 75 + 12 * i, value, 8.5, right=True)
    sheet.block(
        40, 140, ["Vendor", "Trailhead Wholesale Ltd", "8 Canal Wharf", "Leeds", "LS11 5PS"], bold=True
    )
    to = order.ship_to
    sheet.block(300, 140, ["Ship To", to["name"], to["line1"], to["city"], to["postal_code"]], bold=True)
    titles = ["#", "Item No.", "Item Description", "Quantity", "UoM", "Unit Price", "Disc. %", "Total (LC)"]
    sheet.box(36, 215, 522, 15, fill=0.9)
    sheet.row(COLUMNS, titles, 225, 8, True)
    top = 225
    for number, item in enumerate(order.items, 1):
        top += 15
        cells = [str(number), item.code, item.description, amount(item.quantity), item.unit,
                 f"GBP {amount(item.price)}", "0.00", f"GBP {amount(item.total)}"]  # fmt: skip
        sheet.row(COLUMNS, cells, top, 8)
    rows = [("Total Before Discount", order.subtotal), ("Freight", order.shipping), ("Tax", order.tax),
            ("Total Payment Due", order.total)]  # fmt: skip
    for i, (label, value) in enumerate(rows):
        sheet.text(380, top + 28 + 14 * i, label, 9, bold=i == 3)
        sheet.text(555, top + 28 + 14 * i, f"GBP {amount(value)}", 9, bold=i == 3, right=True)
    return sheet.pdf()
