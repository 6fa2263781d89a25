"""A Sage 50 purchase order from a British firm: "Supplier:" and "Deliver To:" boxes, "Order No." and
"Order Date" at the right, long dates ("5th November 2026"), the buyer's own code ("Our Ref") beside the
supplier's ("Your Ref"), "Price/Unit", "Net", pound signs, "Carriage", "VAT 20%" and "TOTAL"."""

import datetime as dt
from decimal import Decimal

from evals.order_entry.styles.order import Order, amount, items, styled
from evals.order_entry.styles.sheet import Column, Sheet

ORDER = Order(
    number="PO-004417",
    date=dt.date(2026, 11, 5),
    buyer="Thornbury Catering Supplies Ltd",
    ship_to={"name": "Thornbury Catering - Bristol Depot", "line1": "14 Avonmouth Way",
             "postal_code": "BS11 9HX", "city": "Bristol", "country": "GB"},
    currency="GBP",
    language="en",
    items=items([
        ("GN-1/1-65", "Gastronorm pan 1/1, 65 mm, stainless", "24", "11.80"),
        ("GN-LID-1/1", "Gastronorm lid 1/1, stainless", "24", "6.45"),
        ("CB-RED-45", "Chopping board red, 450 x 300 mm", "10", "9.99"),
        ("TH-PRB-01", "Digital probe thermometer", "6", "17.50"),
        ("FL-WRP-450", "Cling film 450 mm x 300 m", "30", "7.25"),
    ]),
    tax_rate=Decimal(20),
    shipping=Decimal("12.50"),
)  # fmt: skip
OUR_REFS = ["TCS-1101", "TCS-1102", "TCS-2210", "TCS-3307", "TCS-4012"]
COLUMNS = [Column(40), Column(100), Column(175), Column(405, True), Column(470, True), Column(550, True)]


def sample():
    return styled("uk-sage", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet()
    sheet.text(40, 50, order.buyer, 15, bold=True)
    sheet.block(40, 66, ["Brunel House, 3 Temple Gate, Bristol BS1 6PL",
                         "Tel 0117 496 0321   VAT Reg No. GB 318 4471 02"], size=8)  # fmt: skip
    sheet.text(550, 50, "PURCHASE ORDER", 13, bold=True, right=True)
    for i, (label, value) in enumerate([("Order No.", order.number), ("Order Date", "5th November 2026"),
                                        ("Account Ref", "KITCH01")]):  # fmt: skip
        sheet.text(400, 100 + 13 * i, label, 9, bold=True)
        sheet.text(550, 100 + 13 * i, value, 9, right=True)
    sheet.box(40, 150, 240, 72)
    sheet.block(46, 162, ["Supplier:", "Kitchen Pro Wholesale Ltd", "Unit 12, Wharf Road", "Manchester",
                          "M17 1BY"], bold=True)  # fmt: skip
    sheet.box(310, 150, 240, 72)
    to = order.ship_to
    sheet.block(316, 162, ["Deliver To:", to["name"], to["line1"], to["city"], to["postal_code"]], bold=True)
    sheet.row(COLUMNS, ["Our Ref", "Your Ref", "Description", "Qty", "Price/Unit", "Net"], 250, 8.5, True)
    sheet.rule(40, 550, 254)
    top = 254
    for our, item in zip(OUR_REFS, order.items, strict=True):
        top += 14
        cells = [our, item.code, item.description, str(item.quantity), f"£{amount(item.price)}",
                 f"£{amount(item.total)}"]  # fmt: skip
        sheet.row(COLUMNS, cells, top)
    _totals(sheet, order, top + 30)
    return sheet.pdf()


def _totals(sheet: Sheet, order: Order, top: float):
    rows = [("Total Net Amount", order.subtotal), ("Carriage", order.shipping), ("VAT 20%", order.tax),
            ("TOTAL", order.total)]  # fmt: skip
    for i, (label, value) in enumerate(rows):
        sheet.text(400, top + 14 * i, label, 9, bold=label == "TOTAL")
        sheet.text(550, top + 14 * i, f"£{amount(value)}", 9, bold=label == "TOTAL", right=True)
