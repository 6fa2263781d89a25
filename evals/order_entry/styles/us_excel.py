"""A US purchase order from a spreadsheet template: the letterhead's address on one line ("Portland, OR
97209"), "Vendor:" beside "Deliver to:", a line number, "Part No.", "Unit Cost" and "Ext. Cost" columns,
dollar signs in every cell and "TOTAL USD"."""

import datetime as dt
from decimal import Decimal

from reportlab.lib.pagesizes import letter

from evals.order_entry.styles.order import Order, amount, items, styled
from evals.order_entry.styles.sheet import Column, Sheet

ORDER = Order(
    number="RO-88213",
    date=dt.date(2026, 11, 5),
    delivery=dt.date(2026, 11, 20),
    buyer="Riverside Outfitters Inc.",
    ship_to={"name": "Riverside Outfitters - DC 2", "line1": "4410 NW Front Ave", "postal_code": "97210",
             "city": "Portland", "country": "US"},
    currency="USD",
    language="en",
    items=items([
        ("TRL-RUN-42", "Trail running shoe, size 42", "12", "64.50"),
        ("HYD-BOT-750", "Insulated water bottle 750 ml", "48", "12.25"),
        ("SOCK-MER-M", "Merino hiking socks, medium, pack of 3", "100", "9.80"),
        ("HDL-LMP-300", "Headlamp 300 lumen, rechargeable", "24", "27.90"),
    ]),
    shipping=Decimal("45.00"),
)  # fmt: skip
COLUMNS = [Column(40), Column(70), Column(160), Column(410, True), Column(470, True), Column(540, True)]


def sample():
    return styled("us-excel", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet(letter)
    sheet.text(40, 42, order.buyer, 16, bold=True)
    sheet.text(40, 56, "1200 Harbor Blvd, Suite 4, Portland, OR 97209", 9)
    sheet.text(400, 42, "PURCHASE ORDER", 14, bold=True)
    sheet.block(400, 62, [f"PO #: {order.number}", f"Date: {_date(order.date)}",
                          f"Need by: {_date(order.delivery)}"], step=14, size=10)  # fmt: skip
    sheet.text(40, 112, "Vendor:", 10, bold=True)
    sheet.text(300, 112, "Deliver to:", 10, bold=True)
    vendor = ["Acme Sports Supply", "55 Market St", "San Francisco, CA 94105", "USA"]
    to = order.ship_to
    ship = [to["name"], to["line1"], f"{to['city']}, OR {to['postal_code']}", "United States"]
    sheet.block(40, 126, vendor, step=14, size=10)
    sheet.block(300, 126, ship, step=14, size=10)
    sheet.row(
        COLUMNS, ["Line", "Part No.", "Item Description", "Qty", "Unit Cost", "Ext. Cost"], 202, 9, True
    )
    top = 202
    for number, item in enumerate(order.items, 1):
        top += 16
        cells = [
            str(number),
            item.code,
            item.description,
            f"{item.quantity}",
            _usd(item.price),
            _usd(item.total),
        ]
        sheet.row(COLUMNS, cells, top, 9)
    _totals(sheet, order, top + 30)
    sheet.text(40, 732, "Please confirm receipt of this PO within 24 hours. Terms: Net 30.", 8)
    sheet.text(540, 750, "Page 1 of 1", 8, right=True)
    return sheet.pdf()


def _totals(sheet: Sheet, order: Order, top: float):
    rows = [("Subtotal", order.subtotal), ("Freight", order.shipping), ("Sales Tax", order.tax)]
    for i, (label, value) in enumerate(rows):
        sheet.text(430, top + 14 * i, label, 9)
        sheet.text(540, top + 14 * i, _usd(value), 9, right=True)
    sheet.text(430, top + 42, "TOTAL USD", 9, bold=True)
    sheet.text(540, top + 42, _usd(order.total), 9, bold=True, right=True)


def _usd(value: Decimal) -> str:
    return f"${amount(value)}"


def _date(value: dt.date) -> str:
    return f"{value.month:02d}/{value.day:02d}/{value.year}"
