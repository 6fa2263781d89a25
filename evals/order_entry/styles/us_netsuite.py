"""A NetSuite purchase order: the title and "PO #" at the right, dates without leading zeros ("11/5/2026"),
"Vendor" beside "Ship To", a strip of boxes with the label above the value ("Receive By", "Terms"), a
shaded "Item | Description | Qty | Units | Rate | Amount" table and a plain "Total"."""

import datetime as dt

from reportlab.lib.pagesizes import letter

from evals.order_entry.styles.order import Order, amount, items, styled
from evals.order_entry.styles.sheet import Column, Sheet

ORDER = Order(
    number="PO10482",
    date=dt.date(2026, 3, 9),
    delivery=dt.date(2026, 4, 2),
    buyer="Bluegrass Brewing Supply LLC",
    ship_to={"name": "Bluegrass Brewing Supply LLC", "line1": "2300 Distillery Way", "postal_code": "40508",
             "city": "Lexington", "country": "US"},
    currency="USD",
    language="en",
    items=items([
        ("MLT-PIL-25", "Pilsner malt, 25 kg sack", "40", "38.75", "Sack"),
        ("HOP-CAS-1", "Cascade hop pellets, 1 lb", "60", "14.20", "Each"),
        ("YST-US05-11", "Dry ale yeast, 11.5 g sachet", "200", "3.15", "Each"),
        ("CAP-OXY-26", "Oxygen-absorbing crown caps 26 mm, box of 1,000", "8", "42.00", "Box"),
        ("SAN-STR-32", "No-rinse sanitizer concentrate, 32 oz", "12", "19.95", "Each"),
    ]),
)  # fmt: skip
COLUMNS = [Column(40), Column(140), Column(400, True), Column(412), Column(500, True), Column(572, True)]


def sample():
    return styled("us-netsuite", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet(letter)
    sheet.text(40, 50, order.buyer, 13, bold=True)
    sheet.block(40, 64, ["2300 Distillery Way", "Lexington KY 40508", "United States"], size=8.5)
    sheet.text(572, 50, "Purchase Order", 20, bold=True, right=True)
    sheet.text(572, 70, f"#{order.number}", 11, right=True)
    sheet.text(572, 84, _date(order.date), 9, right=True)
    sheet.block(40, 130, ["Vendor", "Hopworks Ingredients Co.", "881 Commerce Park Dr",
                          "Yakima WA 98901", "United States"], size=9, bold=True)  # fmt: skip
    to = order.ship_to
    sheet.block(320, 130, ["Ship To", to["name"], to["line1"], f"{to['city']} KY {to['postal_code']}",
                           "United States"], size=9, bold=True)  # fmt: skip
    _boxes(sheet, order, 200)
    sheet.box(36, 240, 540, 16, fill=0.85)
    sheet.row(COLUMNS, ["Item", "Description", "Qty", "Units", "Rate", "Amount"], 251, 8.5, True)
    top = 251
    for item in order.items:
        top += 16
        cells = [item.code, item.description, str(item.quantity), item.unit, amount(item.price),
                 amount(item.total)]  # fmt: skip
        sheet.row(COLUMNS, cells, top)
    sheet.rule(400, 576, top + 10)
    sheet.text(500, top + 26, "Total", 10, bold=True, right=True)
    sheet.text(572, top + 26, f"${amount(order.total)}", 10, bold=True, right=True)
    sheet.text(306, 760, "1 of 1", 8)
    return sheet.pdf()


def _boxes(sheet: Sheet, order: Order, top: float):
    """Label above value, each in its own box, as NetSuite prints the order's terms."""
    fields = [("Receive By", _date(order.delivery)), ("Terms", "Net 30"), ("Ship Via", "LTL Freight"),
              ("Buyer", "Dana Whitfield")]  # fmt: skip
    for i, (label, value) in enumerate(fields):
        sheet.box(36 + 135 * i, top, 135, 30)
        sheet.text(42 + 135 * i, top + 11, label, 7.5, bold=True)
        sheet.text(42 + 135 * i, top + 24, value, 9)


def _date(value: dt.date) -> str:
    return f"{value.month}/{value.day}/{value.year}"
